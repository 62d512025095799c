import { sourceSchema } from '../../src/config/schema';
import { enqueueCrawl } from '../../src/queue/crawl-queue';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';
import { waitFor } from '../support/wait-for';
import { spawnWorker } from '../support/child-worker';

describe('limits across workers and Retry-After', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h?.close());

  async function enqueue(id: string, handle: string, extra: Record<string, unknown> = {}): Promise<string> {
    const source = sourceSchema.parse(tgSource(h.sim, id, handle, { options: { baseUrl: h.sim.url, backfillPages: 0 }, ...extra }));
    const now = new Date();
    return (await enqueueCrawl(h.rt.queue, { source, tick: now.toISOString(), reason: 'manual' }, { delayMs: 0, tickAt: now, reason: 'manual' })).jobId;
  }

  it('two workers together keep one host under the configured rate', async () => {
    // Two worker processes: the simulator stamps arrivals in this process, whose event loop then carries no
    // crawl work, so a stamp is late by a few ms at most (in-process workers delayed stamps by up to ~230 ms on a
    // loaded 2-core CI machine).
    const w1 = spawnWorker(h.configDir, {}, ['--stages', 'crawl']);
    const w2 = spawnWorker(h.configDir, {}, ['--stages', 'crawl']);
    try {
      const rate = { rateLimit: { requests: 4, perSeconds: 1 } }; // ≥ 250 ms between requests to the host
      const ids = await Promise.all([
        enqueue('a', 'sim_alpha', rate),
        enqueue('b', 'sim_beta', rate),
        enqueue('g', 'sim_gamma', rate),
        enqueue('l', 'sim_locked', rate), // private: 2 requests (preview + status page)
      ]);
      await waitFor(
        'all four runs',
        async () => (await h.rt.store.runs.countDocuments({ _id: { $in: ids.map((i) => `run:${i}`) }, status: 'ok' })) === 4,
        30000,
      );
      const times = h.sim.requests
        .filter((r) => !r.path.startsWith('/_sim'))
        .map((r) => r.at)
        .sort((x, y) => x - y);
      expect(times.length).toBeGreaterThanOrEqual(5);
      // Slots are reserved 250 ms apart in Redis. A request can reach the simulator late after its slot (a process not scheduled at once on a
      // loaded 2-core machine, or a late stamp in this process: seen up to ~310 ms with the demo-shutdown test
      // alongside), and a late arrival only shortens the spans after it. So any k+1 consecutive requests (k ≥ 3) span
      // at least k × 250 ms minus two slots; without the limit, the 5 requests arrive within a few ms of each other.
      const allowance = 500;
      for (let k = 3; k < times.length; k++) {
        for (let i = 0; i + k < times.length; i++) {
          expect((times[i + k] as number) - (times[i] as number)).toBeGreaterThanOrEqual(k * 250 - allowance);
        }
      }
      // and on the whole, the host saw at most the configured rate
      const span = (times[times.length - 1] as number) - (times[0] as number);
      expect(span).toBeGreaterThanOrEqual((times.length - 1) * 250 - allowance);
    } finally {
      w1.child.kill('SIGTERM');
      w2.child.kill('SIGTERM');
      await Promise.all([w1.exited, w2.exited]);
    }
  });

  it('a 429 is retried no sooner than its Retry-After', async () => {
    const w = spawnWorker(h.configDir, {}, ['--stages', 'crawl']); // out of process, for the same reason as above
    try {
      h.sim.setFault('/s/sim_beta', { kind: 'status', status: 429, retryAfterSeconds: 2, times: 1 });
      const jobId = await enqueue('b', 'sim_beta');
      await waitFor('run ok', async () => (await h.rt.store.runs.findOne({ _id: `run:${jobId}` }))?.status === 'ok', 30000);
      const hits = h.sim.requests.filter((r) => r.path === '/s/sim_beta');
      expect(hits.map((r) => r.status)).toEqual([429, 200]);
      expect((hits[1]?.at as number) - (hits[0]?.at as number)).toBeGreaterThanOrEqual(1900);
    } finally {
      w.child.kill('SIGTERM');
      await w.exited;
    }
  });

  it("a crawl longer than worker.lockDurationMs keeps its source lock: the runtime's leases are renewed while held", async () => {
    // the harness's lockDurationMs is 3 s: the lock is held across three of them, and a second taker waits in vain
    const key = `source:${h.rt.settings.mongoDb}:long-crawl`;
    const held = await h.rt.limiter.acquire(key, undefined, 1);
    await new Promise((r) => setTimeout(r, 9000));
    await expect(h.rt.limiter.acquire(key, undefined, 1)).rejects.toThrow(/host\.lease/);
    await held.release();
    await (await h.rt.limiter.acquire(key, undefined, 1)).release();
  }, 30_000);
});
