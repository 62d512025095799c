import { chromium, type Browser, type BrowserContext, type Route } from 'playwright';
import type { BrowserPool, RenderRequest, RenderResult } from '../core/browser-pool';
import { NetworkError, PageWallClockError, TimeoutError } from '../core/errors';
import { EgressDeniedError, type EgressGuard } from './egress/guard';
import { defaultPort } from './egress/policy';
import type { PassThrough } from './browser-passthrough';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebRTC must not reach local addresses (ICE candidates, STUN) behind the egress guard's back
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
];

/** After the wall clock, a context that does not close within this long takes its browser down with it. */
const CLOSE_GRACE_MS = 5000;

/** Schemes a page may use without touching the network. */
const LOCAL_SCHEMES = ['data:', 'blob:', 'about:'];

/**
 * The egress check for one browser request: scheme, then the host resolved and checked like the HTTP fetcher's.
 * Throws EgressDeniedError.
 */
async function checkBrowserRequest(egress: EgressGuard, url: string): Promise<void> {
  const u = new URL(url);
  if (LOCAL_SCHEMES.includes(u.protocol)) return;
  egress.checkUrl(url);
  await egress.pin(u.hostname, u.port ? Number(u.port) : defaultPort(u.protocol), url);
}

/**
 * Playwright driving Debian's chromium (never a downloaded browser). Launched lazily; every render gets a fresh
 * context (no cookies or storage kept between pages) that is closed afterwards.
 *
 * Egress: every request of the page (the document, every subresource, XHR/fetch) is intercepted and made from Node by
 * `passThrough` (./browser-passthrough.ts): on the egress guard's pinned connections, redirects followed by hand with
 * every hop checked, bodies capped. A refused request is aborted; a refused main document fails the render with
 * EgressDeniedError. (Chromium's route handler is not called for redirect targets, so the browser is never left to
 * follow a redirect itself.) WebSockets are checked by address; WebRTC is kept off local addresses.
 *
 * Wall clock: each render has a hard limit (`pageWallClockMs`) over everything it does once the browser runs, enforced by closing its context:
 * a page whose script never yields (`while(true){}`) hangs Playwright's own calls past every per-step timeout, and
 * the close ends them. The render fails at the limit with PageWallClockError; if the context has not closed
 * `CLOSE_GRACE_MS` later, the whole browser is closed and the next render launches a fresh one.
 */
export function createPlaywrightPool(opts: PoolOptions): BrowserPool {
  const pool: PoolState = { opts };
  return {
    render: (req: RenderRequest): Promise<RenderResult> => renderWithWallClock(pool, req),
    async close(): Promise<void> {
      if (pool.browser) await (await pool.browser.catch(() => undefined))?.close();
      pool.browser = undefined;
    },
  };
}

interface PoolOptions {
  executablePath: string;
  egress: EgressGuard;
  passThrough: PassThrough;
  pageWallClockMs: number;
}

/** The pool's options and its browser, launched lazily (unset again when its launch failed or it was closed hard). */
interface PoolState {
  opts: PoolOptions;
  browser?: Promise<Browser>;
}

function getBrowser(pool: PoolState): Promise<Browser> {
  const { opts } = pool;
  pool.browser ??= chromium
    // hydrawatch owns the signals: Playwright's own SIGINT handler would end the process with code 130 before the
    // graceful stop, and its SIGTERM one would close the browser under a running render. The stop closes it (close()).
    .launch({
      executablePath: opts.executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30000,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    })
    .catch((err: unknown) => {
      pool.browser = undefined;
      throw new Error(`cannot start chromium at ${opts.executablePath} (run scripts/setup.sh): ${(err as Error).message}`);
    });
  return pool.browser;
}

/** Closes a context the wall clock gave up on; a browser that cannot close it is closed (and relaunched on demand). */
async function closeHard(pool: PoolState, context: BrowserContext, b: Browser): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    context.close().then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), CLOSE_GRACE_MS);
    }),
  ]);
  clearTimeout(timer);
  if (closed) return;
  if (pool.browser && (await pool.browser.catch(() => undefined)) === b) pool.browser = undefined;
  await b.close().catch(() => undefined);
}

/** One render under the wall clock: a fresh context, closed afterwards (hard, when the wall clock ran out). */
async function renderWithWallClock(pool: PoolState, req: RenderRequest): Promise<RenderResult> {
  const { opts } = pool;
  await checkBrowserRequest(opts.egress, req.url);
  if (req.proxy) opts.egress.checkUrl(req.proxy);
  const b = await getBrowser(pool); // its launch has its own timeout; the wall clock is the page's
  const limitMs = opts.pageWallClockMs;
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  let opened: { b: Browser; context: BrowserContext } | undefined;
  const wall = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new PageWallClockError(req.url, limitMs));
      if (opened) void closeHard(pool, opened.context, opened.b);
    }, limitMs);
  });
  const work = (async (): Promise<RenderResult> => {
    const context = await b.newContext({
      ...(req.userAgent ? { userAgent: req.userAgent } : {}),
      ...(req.proxy ? { proxy: { server: req.proxy } } : {}),
      javaScriptEnabled: true,
      acceptDownloads: false,
      serviceWorkers: 'block',
    });
    opened = { b, context };
    if (timedOut) {
      void closeHard(pool, context, b);
      throw new PageWallClockError(req.url, limitMs);
    }
    return renderIn(opts, context, req);
  })();
  work.catch(() => undefined); // once the wall clock has failed the render, the closed context's errors are not wanted
  try {
    return await Promise.race([work, wall]);
  } finally {
    clearTimeout(timer);
    if (!timedOut && opened) await opened.context.close().catch(() => undefined);
  }
}

/** What the routed requests of one render saw of its main document. */
interface DocumentSeen {
  /** The first refused navigation (document) request: the render fails with its reason. */
  denied?: EgressDeniedError;
  /** Where the main document landed after redirects followed here. */
  documentUrl?: string;
}

/** One render in its context (closed by the caller). */
async function renderIn(opts: PoolOptions, context: BrowserContext, req: RenderRequest): Promise<RenderResult> {
  const seen: DocumentSeen = {};
  await context.route('**/*', (route) => guardRoute(opts, req, seen, route));
  // WebSockets are not routed like requests: check each one's address, then let it through or close it
  await context.routeWebSocket(/.*/, async (ws) => {
    try {
      await checkBrowserRequest(opts.egress, ws.url().replace(/^ws/i, 'http'));
    } catch {
      await ws.close({ code: 1008, reason: 'refused by the egress policy' }).catch(() => undefined);
      return;
    }
    ws.connectToServer();
  });
  const page = await context.newPage();
  let status = 0;
  try {
    const res = await page.goto(req.url, { timeout: req.timeoutMs, waitUntil: 'domcontentloaded' });
    status = res?.status() ?? 0;
    if (req.waitForSelector) await page.waitForSelector(req.waitForSelector, { timeout: req.timeoutMs }).catch(() => undefined);
  } catch (err) {
    if (seen.denied) throw new EgressDeniedError(req.url, `${seen.denied.reason} (at ${seen.denied.url})`);
    if ((err as Error).name === 'TimeoutError') throw new TimeoutError('browser.navigation', req.timeoutMs, req.url);
    throw new NetworkError(req.url, err);
  }
  if (seen.denied) throw new EgressDeniedError(req.url, `${seen.denied.reason} (at ${seen.denied.url})`);
  return { finalUrl: seen.documentUrl ?? page.url(), status, html: await page.content() };
}

/** Makes one request of the page from Node (`passThrough`, egress-checked) and fulfils it, or aborts it. */
async function guardRoute(opts: PoolOptions, req: RenderRequest, seen: DocumentSeen, route: Route): Promise<void> {
  const request = route.request();
  const mainDocument = request.isNavigationRequest() && request.frame().parentFrame() === null;
  try {
    const r = await opts.passThrough({
      url: request.url(),
      method: request.method(),
      headers: await request.allHeaders(),
      ...(request.postDataBuffer() ? { body: request.postDataBuffer() as Buffer } : {}),
      ...(req.proxy ? { proxy: req.proxy } : {}),
    });
    if (mainDocument) seen.documentUrl = r.finalUrl;
    await route.fulfill({ status: r.status, headers: r.headers, body: r.body });
  } catch (err) {
    if (err instanceof EgressDeniedError && mainDocument) seen.denied ??= err;
    await route.abort(err instanceof EgressDeniedError ? 'blockedbyclient' : 'failed').catch(() => undefined);
  }
}
