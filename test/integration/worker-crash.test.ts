import { sourceSchema } from '../../src/config/schema';
import { enqueueCrawl } from '../../src/queue/crawl-queue';
import { startWorkerRole } from '../../src/app/roles';
import { spawnWorker } from '../support/child-worker';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';
import { waitFor } from '../support/wait-for';

/** Workers as real OS processes: killed with SIGKILL mid-crawl, or stopped with SIGTERM. */
describe('worker processes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h?.close());

  async function enqueue(id: string, handle: string): Promise<string> {
    const source = sourceSchema.parse(tgSource(h.sim, id, handle));
    const now = new Date();
    const r = await enqueueCrawl(h.rt.queue, { source, tick: now.toISOString(), reason: 'manual' }, { delayMs: 0, tickAt: now, reason: 'manual' });
    return r.jobId;
  }

  it('a worker killed mid-crawl loses nothing: the stalled job is recovered by another worker', async () => {
    h.sim.setFault('/s/sim_gamma', { kind: 'delay', ms: 5000, times: 1 });
    const w = spawnWorker(h.configDir);
    const jobId = await enqueue('gamma', 'sim_gamma');
    await waitFor('the child worker to take the job (its fetch is held)', async () => (await (await h.rt.queue.getJob(jobId))?.getState()) === 'active', 20000);
    w.child.kill('SIGKILL');
    await w.exited;
    expect(await h.rt.store.posts.countDocuments({ channelKey: 'tg:1700000003' })).toBe(0);

    const worker = startWorkerRole(h.rt, () => undefined);
    try {
      const run = await waitFor(
        'the recovered job to finish',
        async () => {
          const r = await h.rt.store.runs.findOne({ _id: `run:${jobId}` });
          return r?.status === 'ok' ? r : undefined;
        },
        30000,
      );
      expect(run.postsSeen).toBe(8);
      expect(await h.rt.store.posts.countDocuments({ channelKey: 'tg:1700000003' })).toBe(8);
      expect(await h.rt.store.events.countDocuments({ channelKey: 'tg:1700000003', type: 'first_seen' })).toBe(1);
      await waitFor('the job to be completed', async () => (await (await h.rt.queue.getJob(jobId))?.getState()) === 'completed', 10000);
    } finally {
      await worker.close();
    }
  });

  it('a worker killed while the media stage runs (posts and events stored) leaves no duplicate and no gap', async () => {
    // the first photo download hangs: the kill lands after the crawl stage's writes, while media jobs run
    h.sim.setFault('/media/photo-', { kind: 'delay', ms: 8000, times: 1 });
    const w = spawnWorker(h.configDir);
    const jobId = await enqueue('alpha', 'sim_alpha');
    await waitFor(
      'posts and the first_seen event stored by the child',
      async () =>
        (await h.rt.store.posts.countDocuments({ channelKey: 'tg:1700000001' })) === 45 &&
        (await h.rt.store.events.countDocuments({ channelKey: 'tg:1700000001', type: 'first_seen' })) === 1,
      60000,
    );
    const refs = await h.rt.store.media.countDocuments({ channelKey: 'tg:1700000001' });
    expect(refs).toBeGreaterThan(0);
    expect(await h.rt.store.media.countDocuments({ channelKey: 'tg:1700000001', ingestedAt: { $exists: true } })).toBeLessThan(refs); // mid-intake
    w.child.kill('SIGKILL');
    await w.exited;

    const worker = startWorkerRole(h.rt, () => undefined);
    try {
      // the recovered crawl waits for the killed worker's job to be found stalled: up to ~40 s on a loaded machine
      await waitFor('the crawl to finish', async () => (await h.rt.store.runs.findOne({ _id: `run:${jobId}` }))?.status === 'ok', 90000);
      await waitFor(
        'the stalled media jobs to be recovered',
        async () => (await h.rt.store.media.countDocuments({ channelKey: 'tg:1700000001', ingestedAt: { $exists: true } })) === refs,
        90000,
      );
      expect(await h.rt.store.posts.countDocuments({ channelKey: 'tg:1700000001' })).toBe(45);
      const events = await h.rt.store.events.find({ channelKey: 'tg:1700000001' }).toArray();
      expect(events.map((e) => e.type)).toEqual(['first_seen']);
      expect(await h.rt.store.media.countDocuments({ channelKey: 'tg:1700000001' })).toBe(refs);
      expect(await h.rt.store.media.countDocuments({ channelKey: 'tg:1700000001', ingestedAt: { $exists: true } })).toBe(refs); // no gap
      expect(await h.rt.store.sightings.countDocuments({ channelKey: 'tg:1700000001' })).toBe(refs); // one sighting per reference
      const ch = await h.rt.store.channels.findOne({ _id: 'tg:1700000001' });
      expect(ch?.pendingEvents ?? []).toEqual([]); // the outbox was flushed
    } finally {
      await worker.close();
    }
  }, 300_000);

  it('a page over the size cap that announces its length fails its job with TOO_LARGE, and the worker process stays up', async () => {
    // 200 MB under a Content-Length header: undici used to emit an unhandled RequestAbortedError when the body was
    // dropped, and Node exited; the job stayed active and killed the next worker too.
    h.sim.setFault('/s/sim_gamma', { kind: 'oversize', bytes: 200 * 1024 * 1024 });
    const w = spawnWorker(h.configDir);
    try {
      const bigJob = await enqueue('gamma', 'sim_gamma');
      const run = await waitFor(
        'the oversized crawl to fail',
        async () => {
          const r = await h.rt.store.runs.findOne({ _id: `run:${bigJob}` });
          return r?.status === 'failed' ? r : undefined;
        },
        30000,
      );
      expect(JSON.stringify(run.error)).toMatch(/TOO_LARGE/);
      await waitFor(
        'the job to be failed (not retried: the cap is final)',
        async () => (await (await h.rt.queue.getJob(bigJob))?.getState()) === 'failed',
        10000,
      );
      // the same process goes on crawling
      const okJob = await enqueue('beta', 'sim_beta');
      await waitFor(
        'the next crawl to finish in the same worker',
        async () => (await h.rt.store.runs.findOne({ _id: `run:${okJob}` }))?.status === 'ok',
        30000,
      );
      expect(w.child.exitCode).toBeNull();
      expect(w.output()).not.toMatch(/Unhandled 'error' event|UND_ERR_ABORTED/);
    } finally {
      w.child.kill('SIGTERM');
      await w.exited;
    }
  });

  it('SIGTERM is graceful: the running crawl finishes before the worker exits', async () => {
    h.sim.setFault('/s/sim_beta', { kind: 'delay', ms: 1500, times: 1 });
    const w = spawnWorker(h.configDir);
    const jobId = await enqueue('beta', 'sim_beta');
    await waitFor('the child worker to take the job (its fetch is held)', async () => (await (await h.rt.queue.getJob(jobId))?.getState()) === 'active', 20000);
    w.child.kill('SIGTERM');
    const code = await w.exited;
    expect(code).toBe(0);
    const run = await h.rt.store.runs.findOne({ _id: `run:${jobId}` });
    expect(run?.status).toBe('ok');
    expect(await h.rt.store.posts.countDocuments({ channelKey: 'tg:1700000002' })).toBe(5);
    expect(w.output()).toMatch(/SIGTERM: shutting down gracefully/);
  });
});
