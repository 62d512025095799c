import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserCrawler } from '../../crawlers/browser';
import { sourceSchema, type BrowserSource } from '../../src/config/schema';
import { createPassThrough } from '../../src/net/browser-passthrough';
import type { BrowserPool } from '../../src/core/browser-pool';
import { PageWallClockError, isRetryable } from '../../src/core/errors';
import { createHttpFetcher } from '../../src/net/http-fetcher';
import { createPlaywrightPool } from '../../src/net/playwright-pool';
import type { EgressGuard } from '../../src/net/egress/guard';
import { testEgressGuard } from '../support/egress';

/**
 * Browser wall clock: pages whose script never yields hang Playwright's own calls (goto, content) past the navigation
 * timeout. The render must fail at `browser.pageWallClockMs` with a final error, by closing the context, and the next
 * page must render.
 */
describe('browser crawler: hard wall-clock limit per page (browser.pageWallClockMs)', () => {
  const limitMs = 5000;
  let server: Server;
  let base = '';
  let egress: EgressGuard;
  let pool: BrowserPool;
  const posts =
    '<div class="post" data-id="1"><div class="body">first synthetic post</div></div><div class="post" data-id="2"><div class="body">second synthetic post</div></div>';
  const pages: Record<string, string> = {
    // the parser never reaches DOMContentLoaded: goto hangs
    '/loop-head': `<!DOCTYPE html><html><head><script>while (true) {}</script></head><body>${posts}</body></html>`,
    // the document loads, then the script never yields: content() and waitForSelector hang
    '/loop-late': `<!DOCTYPE html><html><body>${posts}<script>setTimeout(() => { for (;;) {} }, 0)</script></body></html>`,
    '/ok': `<!DOCTYPE html><html><head><title>ok board</title></head><body><div id="app"></div><script>document.getElementById('app').innerHTML = ${JSON.stringify(posts)};</script></body></html>`,
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = pages[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body ?? 'not here');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    egress = testEgressGuard();
    const passThrough = createPassThrough({ timeoutMs: 5000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 }, egress);
    pool = createPlaywrightPool({ executablePath: '/usr/bin/chromium', egress, passThrough, pageWallClockMs: limitMs });
    await pool.render({ url: `${base}/ok`, timeoutMs: 30000 }); // chromium started before the clocks that count
  });
  afterAll(async () => {
    await pool?.close();
    await egress?.close();
    await new Promise((r) => server?.close(r));
  });

  const source = (path: string): BrowserSource =>
    sourceSchema.parse({
      id: `b${path.replace(/\W/g, '_')}`,
      platform: 'browser',
      url: `${base}${path}`,
      schedule: '*/5 * * * *',
      options: { selectors: { post: 'div.post', text: '.body', idAttr: 'data-id' }, navigationTimeoutMs: 30000 },
    }) as BrowserSource;
  const crawl = (path: string) =>
    browserCrawler.crawl(source(path), {
      fetcher: createHttpFetcher({ timeoutMs: 5000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5, userAgent: 'hydrawatch-test' }, egress),
      browser: pool,
      cursor: {},
      now: () => new Date(),
    });

  it('a page that loops forever fails with a clear final error within the limit, while another page renders; the next crawl works', async () => {
    for (const path of ['/loop-head', '/loop-late']) {
      const t0 = Date.now();
      const [hostile, ok] = await Promise.all([crawl(path).catch((e: unknown) => e), crawl('/ok')]);
      const elapsed = Date.now() - t0;
      expect(hostile).toBeInstanceOf(PageWallClockError);
      expect((hostile as Error).message).toBe(
        `browser page ${base}${path} was not done after the wall-clock limit of ${limitMs} ms (browser.pageWallClockMs); its context was closed`,
      );
      expect(isRetryable(hostile)).toBe(false);
      expect(elapsed).toBeLessThan(limitMs + 10_000); // the navigation timeout alone is 30 s
      expect(ok.posts.map((p) => p.postId)).toEqual(['1', '2']);
      const next = await crawl('/ok');
      expect(next.channel.title).toBe('ok board');
      expect(next.posts).toHaveLength(2);
    }
  });
});
