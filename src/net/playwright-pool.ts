import { chromium, type Browser, type Route } from 'playwright';
import type { BrowserPool, RenderRequest, RenderResult } from './browser-pool';
import { NetworkError, TimeoutError } from './errors';
import { EgressDeniedError, type EgressGuard } from './egress/guard';
import { defaultPort } from './egress/policy';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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
 * Egress: every request of the page (the document, each redirect hop, every subresource, XHR/fetch) is intercepted
 * and checked against the egress policy before it leaves; a refused one is aborted. Requests are made with
 * `route.fetch({ maxRedirects: 0 })` and fulfilled, so a redirect comes back to the browser and its target is
 * intercepted (and checked) as a request of its own.
 */
export function createPlaywrightPool(opts: { executablePath: string; egress: EgressGuard }): BrowserPool {
  let browser: Promise<Browser> | undefined;
  const getBrowser = (): Promise<Browser> => {
    browser ??= chromium.launch({ executablePath: opts.executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 30000 }).catch((err: unknown) => {
      browser = undefined;
      throw new Error(`cannot start chromium at ${opts.executablePath} (run scripts/setup.sh): ${(err as Error).message}`);
    });
    return browser;
  };
  return {
    async render(req: RenderRequest): Promise<RenderResult> {
      await checkBrowserRequest(opts.egress, req.url);
      if (req.proxy) opts.egress.checkUrl(req.proxy);
      const b = await getBrowser();
      const context = await b.newContext({
        ...(req.userAgent ? { userAgent: req.userAgent } : {}),
        ...(req.proxy ? { proxy: { server: req.proxy } } : {}),
        javaScriptEnabled: true,
        acceptDownloads: false,
        serviceWorkers: 'block',
      });
      /** The first refused navigation (document) request: the render fails with its reason. */
      let deniedNavigation: EgressDeniedError | undefined;
      const guardRoute = async (route: Route): Promise<void> => {
        const request = route.request();
        try {
          await checkBrowserRequest(opts.egress, request.url());
        } catch (err) {
          if (err instanceof EgressDeniedError && request.isNavigationRequest() && request.frame().parentFrame() === null) deniedNavigation ??= err;
          await route.abort('blockedbyclient').catch(() => undefined);
          return;
        }
        try {
          const response = await route.fetch({ maxRedirects: 0 });
          await route.fulfill({ response });
        } catch {
          await route.abort('failed').catch(() => undefined);
        }
      };
      try {
        await context.route('**/*', guardRoute);
        const page = await context.newPage();
        let status = 0;
        try {
          const res = await page.goto(req.url, { timeout: req.timeoutMs, waitUntil: 'domcontentloaded' });
          status = res?.status() ?? 0;
          if (req.waitForSelector) await page.waitForSelector(req.waitForSelector, { timeout: req.timeoutMs }).catch(() => undefined);
        } catch (err) {
          if (deniedNavigation) throw new EgressDeniedError(req.url, `${deniedNavigation.reason} (at ${deniedNavigation.url})`);
          if ((err as Error).name === 'TimeoutError') throw new TimeoutError('browser.navigation', req.timeoutMs, req.url);
          throw new NetworkError(req.url, err);
        }
        if (deniedNavigation) throw new EgressDeniedError(req.url, `${deniedNavigation.reason} (at ${deniedNavigation.url})`);
        return { finalUrl: page.url(), status, html: await page.content() };
      } finally {
        await context.close().catch(() => undefined);
      }
    },
    async close(): Promise<void> {
      if (browser) await (await browser.catch(() => undefined))?.close();
      browser = undefined;
    },
  };
}
