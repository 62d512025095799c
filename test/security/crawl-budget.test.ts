import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { defaultCrawlers } from '../../src/app/crawler-registry';
import { sourceSchema } from '../../src/config/schema';
import { TimeoutError } from '../../src/core/errors';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';

/**
 * One hostile source holds one worker slot at most, and not past its budget (worker.crawlTimeoutMs): a server that
 * takes the connection and never answers (the fetch timeout is longer than the budget) fails the crawl at the budget,
 * its source and host leases are free again (the next crawl of the same source starts at once), and a normal source
 * crawled meanwhile completes.
 */
describe('crawl budget (worker.crawlTimeoutMs)', () => {
  const budgetMs = 2500;
  let h: Harness;
  let deps: PipelineDeps;
  let tarpit: Server;
  let tarpitUrl = '';
  const sockets: Socket[] = [];

  beforeAll(async () => {
    h = await startHarness('pipeline-test.yaml', {
      worker: { concurrency: 2, hostConcurrency: 2, lockDurationMs: 30000, stalledIntervalMs: 1000, crawlTimeoutMs: budgetMs },
      fetch: { timeoutMs: 60000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5, userAgent: 'hydrawatch-test' },
      media: { enabled: false },
    });
    deps = { store: h.rt.store, crawlers: defaultCrawlers, fetcher: h.rt.fetcher, limiter: h.rt.limiter, parser: h.rt.parser, settings: h.rt.settings };
    tarpit = createServer(() => undefined); // never answers
    tarpit.on('connection', (s) => sockets.push(s));
    await new Promise<void>((r) => tarpit.listen(0, '127.0.0.1', r));
    tarpitUrl = `http://127.0.0.1:${(tarpit.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => tarpit?.close(r));
    await h?.close();
  });

  it('a source that never answers fails at the budget, frees its leases, and does not hold up another crawl', async () => {
    const hostile = sourceSchema.parse(tgSource(h.sim, 'tarpit', 'tarpit_page', { options: { baseUrl: tarpitUrl, backfillPages: 0 } }));
    const t0 = Date.now();
    const [bad, good] = await Promise.all([
      runCrawl(deps, hostile, { jobId: 'cb-1', attempt: 1 }).then(
        () => undefined,
        (e: unknown) => ({ e: e as Error, at: Date.now() }),
      ),
      runCrawl(deps, sourceSchema.parse(tgSource(h.sim, 'normal', 'sim_beta')), { jobId: 'cb-normal', attempt: 1 }),
    ]);
    expect(bad?.e).toBeInstanceOf(TimeoutError);
    expect(bad?.e.message).toBe(`timeout "crawl.total" after ${budgetMs} ms for tarpit_page`);
    expect((bad?.at ?? Infinity) - t0).toBeLessThan(budgetMs + 5000); // the fetch timeout alone is 60 s
    expect(good.status).toBe('active');

    // the same source again at once: it gets its source lease (no "host.lease" wait) and fails the same way
    const t1 = Date.now();
    const again = await runCrawl(deps, hostile, { jobId: 'cb-2', attempt: 1 }).catch((e: unknown) => e as Error);
    expect(again).toBeInstanceOf(TimeoutError);
    expect((again as Error).message).toMatch(/"crawl\.total"/);
    expect(Date.now() - t1).toBeLessThan(budgetMs + 5000);
  });
});
