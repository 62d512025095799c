import { chromium, type Browser } from 'playwright';
import type { BrowserPool, RenderRequest, RenderResult } from './browser-pool';
import { NetworkError, TimeoutError } from './errors';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Playwright driving Debian's chromium (never a downloaded browser). Launched lazily; every render gets a fresh
 * context (no cookies or storage kept between pages) that is closed afterwards.
 */
export function createPlaywrightPool(opts: { executablePath: string }): BrowserPool {
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
      const b = await getBrowser();
      const context = await b.newContext({
        ...(req.userAgent ? { userAgent: req.userAgent } : {}),
        ...(req.proxy ? { proxy: { server: req.proxy } } : {}),
        javaScriptEnabled: true,
        acceptDownloads: false,
        serviceWorkers: 'block',
      });
      try {
        const page = await context.newPage();
        let status = 0;
        try {
          const res = await page.goto(req.url, { timeout: req.timeoutMs, waitUntil: 'domcontentloaded' });
          status = res?.status() ?? 0;
          if (req.waitForSelector) await page.waitForSelector(req.waitForSelector, { timeout: req.timeoutMs }).catch(() => undefined);
        } catch (err) {
          if ((err as Error).name === 'TimeoutError') throw new TimeoutError('browser.navigation', req.timeoutMs, req.url);
          throw new NetworkError(req.url, err);
        }
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
