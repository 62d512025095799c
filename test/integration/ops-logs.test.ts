import { sourceSchema } from '../../src/config/schema';
import { enqueueCrawl } from '../../src/queue/crawl-queue';
import { spawnWorker } from '../support/child-worker';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';
import { waitFor } from '../support/wait-for';

type Line = Record<string, unknown>;

function jsonLines(out: string): Line[] {
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      try {
        return JSON.parse(l) as Line;
      } catch {
        throw new Error(`a log line that is not JSON: ${l}`);
      }
    });
}

/** A worker as a real OS process writes JSON lines (stdout is a pipe): one crawl's lines carry its ids and timings. */
describe('structured logs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it("a child worker's crawl, hand-offs and stage jobs are JSON lines with source id, job id and timings", async () => {
    const w = spawnWorker(h.configDir, { HYDRAWATCH_LOG_LEVEL: 'info', HYDRAWATCH_METRICS_PORT: '0' });
    try {
      const source = sourceSchema.parse(tgSource(h.sim, 'beta', 'sim_beta'));
      const now = new Date();
      const { jobId } = await enqueueCrawl(h.rt.queue, { source, tick: now.toISOString(), reason: 'manual' }, { delayMs: 0, tickAt: now, reason: 'manual' });
      const done = await waitFor('the crawl.done line', () => jsonLines(w.output()).find((l) => l.event === 'crawl.done' && l.jobId === jobId), 60000);
      expect(done).toMatchObject({ level: 'info', sourceId: 'beta', jobId, status: 'active', postsSeen: 5, postsNew: 5, attempt: 1 });
      expect(typeof done.time).toBe('string');
      expect(new Date(done.time as string).getTime()).toBeGreaterThanOrEqual(now.getTime() - 1000);
      expect(done.durationMs).toEqual(expect.any(Number));
      expect(done.waitMs).toEqual(expect.any(Number));
      expect(done.msg).toBe('crawl beta: active, 5 posts seen, 5 new events: first_seen');

      // the text job handed to the media stage: enqueued by the crawl, then done, both with the source id and job id
      const handoff = jsonLines(w.output()).find((l) => l.event === 'handoff.enqueued' && l.sourceId === 'beta');
      expect(handoff).toMatchObject({ level: 'info', stage: 'media', sourceId: 'beta' });
      expect(handoff?.enqueueMs).toEqual(expect.any(Number));
      const mediaJobId = handoff?.jobId as string;
      expect(mediaJobId).toMatch(/^text__/);
      const stageDone = await waitFor(
        'the stage.done line of that job',
        () => jsonLines(w.output()).find((l) => l.event === 'stage.done' && l.jobId === mediaJobId),
        30000,
      );
      expect(stageDone).toMatchObject({ stage: 'media', kind: 'text', sourceId: 'beta', status: 'ingested' });
      expect(stageDone.durationMs).toEqual(expect.any(Number));
      // the worker's metrics port (metrics.port 0: any free port, logged) counts the same crawl
      const listen = jsonLines(w.output()).find((l) => l.event === 'metrics.listen');
      expect(listen?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const metrics = await (await fetch(listen?.url as string)).text();
      expect(metrics).toContain('hydrawatch_checks_total{source="beta",outcome="active"} 1');
      expect((await fetch((listen?.url as string).replace(/metrics$/, 'nothing'))).status).toBe(404);
      // every line the process wrote is JSON with a level and a time
      for (const l of jsonLines(w.output())) {
        expect(typeof l.level).toBe('string');
        expect(typeof l.time).toBe('string');
      }
    } finally {
      w.child.kill('SIGTERM');
      await w.exited;
    }
    // the graceful stop is logged too
    expect(jsonLines(w.output()).some((l) => l.event === 'shutdown' && l.signal === 'SIGTERM')).toBe(true);
  });

  it('HYDRAWATCH_LOG_LEVEL=warn leaves the info lines out; a bad level is refused with the variable named', async () => {
    const quiet = spawnWorker(h.configDir, { HYDRAWATCH_LOG_LEVEL: 'warn' });
    const source = sourceSchema.parse(tgSource(h.sim, 'gamma', 'sim_gamma'));
    const now = new Date();
    const { jobId } = await enqueueCrawl(h.rt.queue, { source, tick: now.toISOString(), reason: 'manual' }, { delayMs: 0, tickAt: now, reason: 'manual' });
    await waitFor('the crawl to finish', async () => (await h.rt.store.runs.findOne({ _id: `run:${jobId}` }))?.status === 'ok', 60000);
    quiet.child.kill('SIGTERM');
    await quiet.exited;
    expect(jsonLines(quiet.output()).filter((l) => l.level === 'info')).toEqual([]);

    const bad = spawnWorker(h.configDir, { HYDRAWATCH_LOG_LEVEL: 'loud' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('log.level (HYDRAWATCH_LOG_LEVEL)');
  });
});
