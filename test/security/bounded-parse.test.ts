import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultCrawlers } from '../../src/app/crawler-registry';
import { sourceSchema } from '../../src/config/schema';
import { ParseBudgetError, ParseError, isRetryable } from '../../src/core/errors';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { amplificationPage, deepDivPage } from '../fixtures/hostile/pages';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';

/**
 * Bounded parse: hostile t.me/s pages crawled at the same time as a normal channel. The deep page hits the nesting cap,
 * the amplification page the time budget (its parse thread is terminated); both are final errors for their source,
 * and the normal crawl completes meanwhile.
 */
describe('bounded parse (limits.parseTimeoutMs, limits.maxHtmlDepth)', () => {
  const budgetMs = 3000;
  let h: Harness;
  let deps: PipelineDeps;
  let hostile: Server;
  let hostileUrl = '';
  const deep = deepDivPage();
  const amp = amplificationPage();

  beforeAll(async () => {
    h = await startHarness('pipeline-test.yaml', { limits: { parseTimeoutMs: budgetMs, parseThreads: 2 }, media: { enabled: false } });
    deps = { store: h.rt.store, crawlers: defaultCrawlers, fetcher: h.rt.fetcher, limiter: h.rt.limiter, parser: h.rt.parser, settings: h.rt.settings };
    hostile = createServer((req, res) => {
      const body = req.url === '/s/deep_page' ? deep : req.url === '/s/slow_page' ? amp : undefined;
      if (!body) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
    });
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
    hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => hostile?.close(r));
    await h?.close();
  });

  it('a 1.1 MB page of 100k nested divs and a pathological page fail with clear final errors while another crawl completes', async () => {
    expect(Buffer.byteLength(deep)).toBeGreaterThan(1_100_000);
    const hostileSource = (id: string, handle: string) =>
      sourceSchema.parse(tgSource(h.sim, id, handle, { options: { baseUrl: hostileUrl, backfillPages: 0 } }));
    const done: string[] = [];
    const settle = <T>(name: string, p: Promise<T>) =>
      p.then(
        (v) => (done.push(name), { ok: true as const, v, at: Date.now() }),
        (e: unknown) => (done.push(name), { ok: false as const, e: e as Error, at: Date.now() }),
      );
    const t0 = Date.now();
    const [d, s, n] = await Promise.all([
      settle('deep', runCrawl(deps, hostileSource('deep', 'deep_page'), { jobId: 'bp-deep', attempt: 1 })),
      settle('slow', runCrawl(deps, hostileSource('slow', 'slow_page'), { jobId: 'bp-slow', attempt: 1 })),
      settle('normal', runCrawl(deps, sourceSchema.parse(tgSource(h.sim, 'normal', 'sim_gamma')), { jobId: 'bp-normal', attempt: 1 })),
    ]);

    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.e).toBeInstanceOf(ParseError);
    expect(d.e.message).toBe(`cannot parse Telegram preview page at ${hostileUrl}/s/deep_page: elements nested deeper than 256 levels (limits.maxHtmlDepth)`);
    expect(isRetryable(d.e)).toBe(false);

    expect(s.ok).toBe(false);
    if (s.ok) return;
    expect(s.e).toBeInstanceOf(ParseBudgetError);
    expect(s.e.message).toBe(
      `cannot parse Telegram preview page at ${hostileUrl}/s/slow_page: parse took longer than ${budgetMs} ms (limits.parseTimeoutMs); its thread was stopped`,
    );
    expect(isRetryable(s.e)).toBe(false);
    // within the budget (plus fetch and slack on a shared machine); in-thread this page alone takes ~20 s of CPU
    expect(s.at - t0).toBeLessThan(budgetMs + 8000);

    expect(n.ok).toBe(true);
    if (!n.ok) return;
    expect(n.v.status).toBe('active');
    expect(n.v.postsSeen).toBeGreaterThan(0);
    expect(await h.rt.store.posts.countDocuments({ sourceId: 'normal' })).toBe(n.v.postsSeen);
    expect(done.indexOf('deep')).toBeLessThan(done.indexOf('slow'));

    // the pool is whole again: the same hostile source fails the same way, a normal crawl still works
    const again = await runCrawl(deps, hostileSource('deep', 'deep_page'), { jobId: 'bp-deep-2', attempt: 1 }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ParseError);
    const normal2 = await runCrawl(deps, sourceSchema.parse(tgSource(h.sim, 'normal', 'sim_gamma')), { jobId: 'bp-normal-2', attempt: 1 });
    expect(normal2.status).toBe('active');
  });
});
