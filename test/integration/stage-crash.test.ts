import { sourceSchema } from '../../src/config/schema';
import { enqueueCrawl } from '../../src/queue/crawl-queue';
import { startWorkerRole } from '../../src/app/roles';
import type { CrashPointName } from '../../src/util/crash-point';
import { spawnWorker } from '../support/child-worker';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';
import { waitFor } from '../support/wait-for';

/**
 * Every hand-off survives a crash: a worker process SIGKILLs itself at a named point between two stages (posts
 * written / media handed to its queue / channel state written / a media item stored before its sighting), another
 * worker recovers the stalled job, and the store ends with nothing lost and nothing doubled.
 */
describe('crash between stages', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h?.close());

  const CH = 'tg:1700000001';

  async function crashAt(point: CrashPointName): Promise<string> {
    const w = spawnWorker(h.configDir, { HYDRAWATCH_CRASH_POINT: point });
    const source = sourceSchema.parse(tgSource(h.sim, 'alpha', 'sim_alpha'));
    const now = new Date();
    const { jobId } = await enqueueCrawl(h.rt.queue, { source, tick: now.toISOString(), reason: 'manual' }, { delayMs: 0, tickAt: now, reason: 'manual' });
    const code = await Promise.race([w.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60000))]);
    if (code === 'timeout') {
      w.child.kill('SIGKILL');
      throw new Error(`the worker did not reach crash point ${point}:\n${w.output()}`);
    }
    expect(w.child.signalCode).toBe('SIGKILL');
    return jobId;
  }

  async function recoverAndCheck(jobId: string): Promise<void> {
    const worker = startWorkerRole(h.rt, () => undefined);
    try {
      await waitFor('the recovered crawl to finish', async () => (await h.rt.store.runs.findOne({ _id: `run:${jobId}` }))?.status === 'ok', 40000);
      const refs = await h.rt.store.media.countDocuments({ channelKey: CH });
      expect(refs).toBe(5);
      await waitFor(
        'every media reference ingested',
        async () => (await h.rt.store.media.countDocuments({ channelKey: CH, ingestedAt: { $exists: true } })) === refs,
        90000, // a loaded 2-core machine once took over 40 s here (the recovered worker's first media jobs)
      );
      expect(await h.rt.store.posts.countDocuments({ channelKey: CH })).toBe(45);
      const events = await h.rt.store.events.find({ channelKey: CH }).toArray();
      expect(events.map((e) => e.type)).toEqual(['first_seen']);
      const sightings = await h.rt.store.sightings.find({ channelKey: CH }).toArray();
      expect(sightings).toHaveLength(refs); // one per reference
      expect(sightings.every((s) => s.matchedVia === 'new')).toBe(true); // a retried intake is still the first sighting
      expect(new Set(sightings.map((s) => s.clusterId)).size).toBe(refs); // five distinct pictures, five clusters
      expect(await h.rt.store.mediaItems.countDocuments({})).toBe(refs);
      const ch = await h.rt.store.channels.findOne({ _id: CH });
      expect(ch?.pendingEvents ?? []).toEqual([]);
      expect((await h.rt.store.handles.findOne({ _id: 'tg:sim_alpha' }))?.channelKey).toBe(CH);
      const summary = await h.rt.store.channelSummaries.findOne({ _id: CH });
      expect(summary?.mediaClusters?.length).toBe(refs);
    } finally {
      await worker.close();
    }
  }

  it.each<CrashPointName>(['crawl:after-posts', 'crawl:after-handoff', 'crawl:after-state', 'media:after-item'])(
    'killed at %s: nothing lost, nothing doubled',
    async (point) => {
      const jobId = await crashAt(point);
      await recoverAndCheck(jobId);
    },
    150000,
  );
});
