import { CrawlError, ContentTypeError, HttpStatusError, NetworkError, TimeoutError, TooLargeError, parseRetryAfter } from '../core/errors';
import { fetch, request, type Dispatcher, type Response } from 'undici';
import { chooseCharset, decodeBody } from './charset';
import type { FetchBytesResult, Fetcher, FetchRequest, FetchTextResult } from '../core/fetcher';
import { EgressDeniedError, findEgressDenied, type EgressGuard } from './egress/guard';

export interface HttpFetcherDefaults {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
}

export class UnsupportedUrlError extends CrawlError {
  readonly code = 'UNSUPPORTED_URL';
  readonly retryable = false;
}

export class TooManyRedirectsError extends CrawlError {
  readonly code = 'TOO_MANY_REDIRECTS';
  readonly retryable = false;
}

function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export async function readCapped(res: Response, url: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new TooLargeError(url, maxBytes);
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooLargeError(url, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The egress checks of one hop that need no connection: scheme, address literals, the proxy. Throws. */
function checkHop(guard: EgressGuard, url: string, proxy?: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsupportedUrlError(`not a valid URL: "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UnsupportedUrlError(`only http(s) URLs are fetched, got "${url}"`);
  }
  guard.checkUrl(url);
  if (proxy) {
    try {
      guard.checkUrl(proxy);
    } catch (err) {
      throw err instanceof EgressDeniedError ? new EgressDeniedError(url, `proxy ${proxy}: ${err.reason}`) : err;
    }
  }
}

export interface HopInit {
  method?: string;
  headers: Record<string, string>;
  body?: Buffer;
  signal: AbortSignal;
  proxy?: string;
  /** The error to throw when `signal` aborted the request (a named timeout, usually). */
  onAbort: () => Error;
}

/**
 * One HTTP request (no redirect following) through the egress guard: checked hop, the guard's pinning dispatcher,
 * a refusal from the connector surfaced as EgressDeniedError naming this URL (and the proxy when it was the proxy).
 */
export async function fetchHop(guard: EgressGuard, url: string, init: HopInit): Promise<Response> {
  checkHop(guard, url, init.proxy);
  if (init.proxy) await guard.checkProxiedTarget(url);
  try {
    return await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      signal: init.signal,
      headers: init.headers,
      ...(init.body ? { body: init.body } : {}),
      dispatcher: guard.dispatcher(init.proxy),
    });
  } catch (err) {
    const denied = findEgressDenied(err);
    if (denied) throw new EgressDeniedError(url, init.proxy && sameOrigin(denied.url, init.proxy) ? `proxy ${init.proxy}: ${denied.reason}` : denied.reason);
    throw init.signal.aborted ? init.onAbort() : new NetworkError(url, err);
  }
}

/** One response of `requestHop`: status, lower-case headers (repeated ones joined), and the body not read yet. */
interface HopResponse {
  status: number;
  headers: Record<string, string>;
  body: Dispatcher.ResponseData['body'];
}

function joinHeaders(h: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * `fetchHop` on undici's `request` (no WHATWG streams, a Node stream body): the same egress checks and errors, at a
 * fraction of the CPU per request. The crawl fetcher's path; the browser pass-through keeps `fetchHop`.
 */
async function requestHop(guard: EgressGuard, url: string, init: HopInit): Promise<HopResponse> {
  checkHop(guard, url, init.proxy);
  if (init.proxy) await guard.checkProxiedTarget(url);
  try {
    const r = await request(url, {
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      signal: init.signal,
      headers: init.headers,
      ...(init.body ? { body: init.body } : {}),
      dispatcher: guard.dispatcher(init.proxy),
      maxRedirections: 0,
    });
    return { status: r.statusCode, headers: joinHeaders(r.headers), body: r.body };
  } catch (err) {
    const denied = findEgressDenied(err);
    if (denied) throw new EgressDeniedError(url, init.proxy && sameOrigin(denied.url, init.proxy) ? `proxy ${init.proxy}: ${denied.reason}` : denied.reason);
    throw init.signal.aborted ? init.onAbort() : new NetworkError(url, err);
  }
}

/**
 * Abandons a body mid-stream. undici's body emits `RequestAbortedError` ('error') when destroyed before its end: with
 * no listener, Node treats that as an unhandled 'error' event and exits the process, so one oversized page (a
 * 200 MB body with a `Content-Length`) used to kill every worker that picked its job up. The listener keeps it quiet;
 * the caller throws its own named error.
 */
export function abandonBody(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Reads a Node stream body up to `maxBytes` (declared or streamed); past it the stream is destroyed. */
async function readCappedStream(res: HopResponse, url: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    abandonBody(res.body);
    throw new TooLargeError(url, maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    const b = chunk as Buffer;
    total += b.byteLength;
    if (total > maxBytes) {
      abandonBody(res.body);
      throw new TooLargeError(url, maxBytes);
    }
    chunks.push(b);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

/** Drops a body that is not wanted (a redirect, an error status, a refused type), freeing the connection. */
function discard(res: HopResponse): void {
  res.body.dump().catch(() => undefined);
}

interface RawResult {
  finalUrl: string;
  redirects: string[];
  status: number;
  contentType: string;
  headers: Record<string, string>;
  bytes: Buffer;
}

/**
 * HTTP adapter on undici's fetch: redirects followed by hand (chain recorded, capped), one named timeout covering
 * headers and body, a byte cap enforced while streaming, media type checked against `accept`. Every request and
 * redirect hop passes the egress guard: only http(s), and every connection (to the origin or to the proxy) goes to
 * an address that was resolved once, checked against the policy, and pinned (no DNS rebinding between check and use).
 */
export function createHttpFetcher(defaults: HttpFetcherDefaults, guard: EgressGuard, warn: (line: string) => void = () => undefined): Fetcher {
  async function raw(req: FetchRequest): Promise<RawResult> {
    const timeoutMs = req.timeoutMs ?? defaults.timeoutMs;
    const maxBytes = req.maxBytes ?? defaults.maxBytes;
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(new TimeoutError(req.timeoutName, timeoutMs, req.url)), timeoutMs);
    const signal = req.signal ? AbortSignal.any([timer.signal, req.signal]) : timer.signal;
    const redirects: string[] = [];
    let url = req.url;
    try {
      for (;;) {
        if (req.beforeRequest) {
          checkHop(guard, url, req.proxy); // refused before the rate limiter spends a slot on it
          await req.beforeRequest(url);
        }
        const res = await requestHop(guard, url, {
          headers: { 'user-agent': req.userAgent ?? defaults.userAgent, accept: req.accept.join(', ') + ', */*;q=0.1', ...req.headers },
          signal,
          ...(req.proxy ? { proxy: req.proxy } : {}),
          onAbort: () => abortReason(signal, req),
        });
        const location = res.headers['location'];
        if (res.status >= 300 && res.status < 400 && location) {
          discard(res);
          if (redirects.length >= defaults.maxRedirects) {
            throw new TooManyRedirectsError(`more than ${defaults.maxRedirects} redirects from ${req.url}`);
          }
          redirects.push(url);
          url = new URL(location, url).toString();
          continue;
        }
        if (res.status >= 400) {
          discard(res);
          throw new HttpStatusError(url, res.status, parseRetryAfter(res.headers['retry-after'] ?? null));
        }
        const contentType = res.headers['content-type'] ?? '';
        const type = mediaType(contentType);
        if (!req.accept.includes(type)) {
          discard(res);
          throw new ContentTypeError(url, type || '(none)', req.accept);
        }
        let bytes: Buffer;
        try {
          bytes = await readCappedStream(res, url, maxBytes);
        } catch (err) {
          if (err instanceof CrawlError) throw err;
          throw signal.aborted ? abortReason(signal, req) : new NetworkError(url, err);
        }
        return { finalUrl: url, redirects, status: res.status, contentType, headers: res.headers, bytes };
      }
    } finally {
      clearTimeout(handle);
    }
  }

  return {
    async fetchText(req: FetchRequest): Promise<FetchTextResult> {
      const r = await raw(req);
      const choice = chooseCharset(r.contentType, r.bytes);
      if (choice.warning) warn(`fetch: ${r.finalUrl}: ${choice.warning}`);
      const { text, charset } = decodeBody(r.bytes, choice.charset);
      return {
        url: req.url,
        finalUrl: r.finalUrl,
        redirects: r.redirects,
        status: r.status,
        contentType: mediaType(r.contentType),
        charset,
        headers: r.headers,
        text,
        ...(choice.warning ? { charsetWarning: choice.warning } : {}),
      };
    },
    async fetchBytes(req: FetchRequest): Promise<FetchBytesResult> {
      const r = await raw(req);
      return {
        url: req.url,
        finalUrl: r.finalUrl,
        redirects: r.redirects,
        status: r.status,
        contentType: mediaType(r.contentType),
        headers: r.headers,
        bytes: r.bytes,
      };
    },
  };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).host === new URL(b).host;
  } catch {
    return false;
  }
}

function abortReason(signal: AbortSignal, req: FetchRequest): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new TimeoutError(req.timeoutName, req.timeoutMs ?? 0, req.url);
}
