import { TimeoutError } from '../core/errors';
import type { EgressGuard } from './egress/guard';
import { fetchHop, readCapped, TooManyRedirectsError } from './http-fetcher';

/** One request of a page in the browser crawler, as Playwright's route hands it over. */
export interface PageRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  proxy?: string;
}

export interface PageResponse {
  /** Where the response came from after redirects (the main document's URL). */
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type PassThrough = (req: PageRequest) => Promise<PageResponse>;

/** Request headers the browser sets that this client sets itself (or that describe the browser's connection). */
const DROP_REQUEST = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
  'expect',
]);
/** The body handed back is decoded and complete: its framing and encoding headers no longer apply. */
const DROP_RESPONSE = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/**
 * The browser crawler's network, made from Node through the egress guard: each request of a page (document,
 * subresource, XHR) goes out on the guard's pinned connections, redirects are followed here with every hop checked
 * (Chromium's route handler never sees redirect targets), bodies are capped at `maxBytes` (decoded size, so a gzip
 * bomb stops at the cap) and the whole exchange has one named timeout. HTTP error statuses are handed to the page
 * as they are.
 */
export function createPassThrough(defaults: { timeoutMs: number; maxBytes: number; maxRedirects: number }, guard: EgressGuard): PassThrough {
  return async (req) => {
    const timer = new AbortController();
    const timeout = (): Error => new TimeoutError('browser.request', defaults.timeoutMs, req.url);
    const handle = setTimeout(() => timer.abort(timeout()), defaults.timeoutMs);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!DROP_REQUEST.has(k.toLowerCase()) && !k.startsWith(':')) headers[k] = v;
    let url = req.url;
    let method = req.method;
    let body = req.body;
    try {
      for (let hop = 0; ; hop++) {
        const res = await fetchHop(guard, url, {
          method,
          headers,
          ...(body ? { body } : {}),
          signal: timer.signal,
          ...(req.proxy ? { proxy: req.proxy } : {}),
          onAbort: timeout,
        });
        const location = res.headers.get('location');
        if (res.status >= 300 && res.status < 400 && location) {
          await res.body?.cancel().catch(() => undefined);
          if (hop >= defaults.maxRedirects) throw new TooManyRedirectsError(`more than ${defaults.maxRedirects} redirects from ${req.url}`);
          url = new URL(location, url).toString();
          if (res.status !== 307 && res.status !== 308) {
            method = method === 'HEAD' ? 'HEAD' : 'GET';
            body = undefined;
          }
          continue;
        }
        const out: Record<string, string> = {};
        res.headers.forEach((v, k) => {
          if (!DROP_RESPONSE.has(k) && k !== 'set-cookie') out[k] = v;
        });
        const cookies = res.headers.getSetCookie();
        if (cookies.length) out['set-cookie'] = cookies.join('\n');
        const bytes = await readCapped(res, url, defaults.maxBytes).catch((err: unknown) => {
          throw timer.signal.aborted ? timeout() : err;
        });
        return { finalUrl: url, status: res.status, headers: out, body: bytes };
      }
    } finally {
      clearTimeout(handle);
    }
  };
}
