import { startSchedulerRole, startWorkerRole, sourcesPathIn, type SchedulerRole, type WorkerRole } from '../../src/app/roles';
import { defaultCrawlers } from '../../src/app/crawler-registry';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { sourceSchema } from '../../src/config/schema';
import type { ChannelEventType } from '../../src/core/channel-transitions';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';
import { waitFor } from '../support/wait-for';

/**
 * End to end on real Redis + FerretDB with the simulator: config → cron → BullMQ job → crawl → MongoDB timelines.
 */
describe('crawl pipeline (scheduler + worker + store)', () => {
  let h: Harness;
  let sched: SchedulerRole;
  let worker: WorkerRole;

  beforeAll(async () => {
    h = await startHarness();
    h.writeSources([tgSource(h.sim, 'alpha', 'sim_alpha')]);
    sched = await startSchedulerRole(h.rt, sourcesPathIn(h.configDir), (l) => h.logs.push(l));
    worker = startWorkerRole(h.rt, (l) => h.logs.push(l));
  });
  afterAll(async () => {
    await sched?.stop();
    await worker?.close();
    await h?.close();
  });

  const postsOf = (channelKey: string): Promise<number> => h.rt.store.posts.countDocuments({ channelKey });
  const eventsOf = (channelKey: string, type?: ChannelEventType) =>
    h.rt.store.events
      .find({ channelKey, ...(type ? { type } : {}) })
      .sort({ at: 1 })
      .toArray();

  it('backfills a watched channel: 45 posts over 3 pages, channel state and first_seen event', async () => {
    await waitFor('45 posts of sim_alpha', async () => (await postsOf('tg:1700000001')) === 45, 30000);
    const ch = await waitFor('the channel state', () => h.rt.store.channels.findOne({ _id: 'tg:1700000001' }), 30000);
    expect(ch).toMatchObject({ status: 'active', handle: 'sim_alpha', platformId: '1700000001', subscribers: 12300, title: 'Alpha Weather Desk (synthetic)' });
    // the state (with its outbox) is written before the events are appended: wait for the append
    const first = await waitFor(
      'the first_seen event',
      async () => {
        const e = await eventsOf('tg:1700000001', 'first_seen');
        return e.length ? e : undefined;
      },
      30000,
    );
    expect(first).toHaveLength(1);
    const post = await h.rt.store.posts.findOne({ _id: 'tg:1700000001:10' });
    expect(post).toMatchObject({ postId: '10', lang: 'eng', sourceId: 'alpha', tags: ['test'] });
    expect(post?.buckets.day).toBe(post?.publishedAt?.toISOString().slice(0, 10));
    expect(post?.media).toEqual([]);
    const withPhoto = await h.rt.store.posts.findOne({ _id: 'tg:1700000001:11' }); // photoEvery 10: posts 1, 11, 21…
    expect(withPhoto?.media).toEqual([{ kind: 'photo', url: `${h.sim.url}/media/photo-1010.png` }]);
    expect(await h.rt.store.media.countDocuments({ channelKey: 'tg:1700000001' })).toBe(5);
    // media intake fingerprints each photo (synthetic PNGs from the simulator) and records its sighting
    await waitFor('5 sightings', async () => (await h.rt.store.sightings.countDocuments({ channelKey: 'tg:1700000001' })) === 5, 30000);
    const item = await h.rt.store.mediaItems.findOne({ _id: (await h.rt.store.sightings.findOne({ channelKey: 'tg:1700000001' }))?.mediaId as string });
    expect(item).toMatchObject({ kind: 'image', contentType: 'image/png', width: 480, height: 360 });
    expect(item?.pdq).toMatch(/^[0-9a-f]{64}$/);
  });

  it('picks up a source added to the config without a restart', async () => {
    h.writeSources([tgSource(h.sim, 'alpha', 'sim_alpha'), tgSource(h.sim, 'gamma', 'sim_gamma')]);
    await waitFor('8 posts of sim_gamma', async () => (await postsOf('tg:1700000003')) === 8, 30000);
    const arabic = await h.rt.store.posts.findOne({ channelKey: 'tg:1700000003' });
    expect(arabic?.lang).toBe('arb');
  });

  it('crawls incrementally: a new post is stored once, nothing is duplicated by repeated checks', async () => {
    h.sim.advanceTo(1); // sim_alpha posts #46
    await waitFor('post 46', async () => (await postsOf('tg:1700000001')) === 46, 30000);
    const p = await h.rt.store.posts.findOne({ _id: 'tg:1700000001:46' });
    expect(p?.hashtags).toContain('weather');
    expect(p?.links).toContain('https://example.org/forecast');
    // the cursor is written last: the check that stored post 46 is over
    await waitFor('the cursor at post 46', async () => (await h.rt.store.cursors.findOne({ _id: 'alpha' }))?.cursor.newestPostId === '46', 30000);
    const since = Date.now();
    // several more checks run every 2 s; the count must stay at 46
    const idleJobs = async () =>
      (await h.rt.queue.getJobs(['completed'], 0, -1))
        .filter((j) => j.data.source.id === 'alpha' && (j.processedOn ?? 0) > since && j.returnvalue?.unchanged)
        .sort((a, b) => (a.processedOn ?? 0) - (b.processedOn ?? 0));
    const idle = await waitFor('two checks with nothing new', async () => ((await idleJobs()).length >= 2 ? idleJobs() : undefined), 30000);
    expect(await postsOf('tg:1700000001')).toBe(46);
    // checks with nothing new are told from the page's newest post and header, before the parse, with the cursor read
    // from Redis: they write no run document, and the channel's check time only once per resolution period (300 s)
    for (const j of idle) expect(await h.rt.store.runs.findOne({ _id: `run:${j.id}` })).toBeNull();
    const ch = await h.rt.store.channels.findOne({ _id: 'tg:1700000001' });
    const checkedAt = ch?.lastCheckedAt.getTime() ?? NaN;
    expect(checkedAt).toBeLessThan(idle[idle.length - 1]?.processedOn ?? 0);
    expect(ch?.status).toBe('active');
    // the cursor says the channel is settled, under which handle; Redis holds the same document
    const cursor = await h.rt.store.cursors.findOne({ _id: 'alpha' });
    expect(cursor?.settled).toEqual({ configHandle: 'sim_alpha', handle: 'sim_alpha' });
    const cached = await h.rt.store.cursorCache?.get('alpha');
    expect(cached?.doc).toEqual(cursor);
    expect(cached?.checkWrittenAt).toBe(checkedAt);
  });

  it('records a removal (ToS banner) with its time and time-to-takedown', async () => {
    const before = new Date();
    h.sim.advanceTo(2); // sim_alpha removed
    const [removed] = await waitFor(
      'removed event',
      async () => {
        const e = await eventsOf('tg:1700000001', 'removed');
        return e.length ? e : undefined;
      },
      30000,
    );
    expect(removed?.at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(String(removed?.data.detail)).toMatch(/Terms of Service/);
    expect(removed?.data.timeToTakedownMs).toBeGreaterThan(0);
    const ch = await h.rt.store.channels.findOne({ _id: 'tg:1700000001' });
    expect(ch?.status).toBe('removed');
    expect(ch?.removedAt?.getTime()).toBe(removed?.at.getTime());
    // repeated checks of a removed channel add no more removed events, and keep the posts
    const runs = await h.rt.store.runs.countDocuments({ sourceId: 'alpha' });
    await waitFor('more runs', async () => (await h.rt.store.runs.countDocuments({ sourceId: 'alpha' })) >= runs + 2, 30000);
    expect(await eventsOf('tg:1700000001', 'removed')).toHaveLength(1);
    expect(await postsOf('tg:1700000001')).toBe(46);
    // a removed channel is not settled: its checks read the channel again
    expect((await h.rt.store.cursors.findOne({ _id: 'alpha' }))?.settled).toBeUndefined();
  });

  it('records a rename as a rename (same channel id), not as a takedown or a new channel', async () => {
    h.writeSources([tgSource(h.sim, 'alpha', 'sim_alpha'), tgSource(h.sim, 'gamma', 'sim_gamma'), tgSource(h.sim, 'beta', 'sim_beta')]);
    await waitFor('5 posts of sim_beta', async () => (await postsOf('tg:1700000002')) === 5, 30000);
    h.sim.advanceTo(4); // rename sim_beta → sim_beta_renamed, then a post under the new name
    await waitFor('not_found for the old handle', async () => (await eventsOf('tg:1700000002', 'not_found')).length === 1, 30000);
    // the analyst points the source at the new handle
    h.writeSources([tgSource(h.sim, 'alpha', 'sim_alpha'), tgSource(h.sim, 'gamma', 'sim_gamma'), tgSource(h.sim, 'beta', 'sim_beta_renamed')]);
    const [renamed] = await waitFor(
      'renamed event',
      async () => {
        const e = await eventsOf('tg:1700000002', 'renamed');
        return e.length ? e : undefined;
      },
      30000,
    );
    expect(renamed?.data).toEqual({ from: 'sim_beta', to: 'sim_beta_renamed' });
    await waitFor('6 posts, none duplicated', async () => (await postsOf('tg:1700000002')) === 6, 30000);
    const ch = await h.rt.store.channels.findOne({ _id: 'tg:1700000002' });
    expect(ch?.handles).toEqual(['sim_beta', 'sim_beta_renamed']);
    expect(ch?.status).toBe('active');
    expect(await h.rt.store.channels.countDocuments({ platformId: '1700000002' })).toBe(1);
    expect(await eventsOf('tg:1700000002', 'removed')).toHaveLength(0);
    expect(await eventsOf('tg:1700000002', 'first_seen')).toHaveLength(1);
  });
});

describe('retries and idempotency', () => {
  let h: Harness;
  let deps: PipelineDeps;
  beforeAll(async () => {
    h = await startHarness();
    deps = { store: h.rt.store, crawlers: defaultCrawlers, fetcher: h.rt.fetcher, limiter: h.rt.limiter, settings: h.rt.settings };
  });
  afterAll(async () => h?.close());

  it('a crawl repeated from scratch (lost cursor, retried job) leaves no duplicate posts or events', async () => {
    const source = sourceSchema.parse(tgSource(h.sim, 'gamma', 'sim_gamma'));
    await runCrawl(deps, source, { jobId: 'j1', attempt: 1 });
    // as if the first attempt died before saving its cursor (the Redis copy is written after the store's)
    await h.rt.store.cursors.deleteMany({});
    await h.rt.store.cursorCache?.drop('gamma');
    await h.rt.store.channels.updateOne({ _id: 'tg:1700000003' }, { $unset: { pendingEvents: '' } });
    await runCrawl(deps, source, { jobId: 'j1', attempt: 2 });
    expect(await h.rt.store.posts.countDocuments({ channelKey: 'tg:1700000003' })).toBe(8);
    expect(await h.rt.store.events.countDocuments({ channelKey: 'tg:1700000003' })).toBe(1);
    const run = await h.rt.store.runs.findOne({ _id: 'run:j1' });
    expect(run).toMatchObject({ status: 'ok', attempt: 2, postsNew: 0, postsSeen: 8 });
  });

  it('a 503 is retried with backoff and the retried job stores each post once', async () => {
    const worker = startWorkerRole(h.rt, () => undefined);
    try {
      h.sim.setFault('/s/sim_beta', { kind: 'status', status: 503, times: 1 });
      const source = sourceSchema.parse(tgSource(h.sim, 'beta', 'sim_beta'));
      const { enqueueCrawl } = await import('../../src/queue/crawl-queue');
      const now = new Date();
      const { jobId } = await enqueueCrawl(h.rt.queue, { source, tick: now.toISOString(), reason: 'manual' }, { delayMs: 0, tickAt: now, reason: 'manual' });
      const run = await waitFor(
        'run ok',
        async () => {
          const r = await h.rt.store.runs.findOne({ _id: `run:${jobId}` });
          return r?.status === 'ok' ? r : undefined;
        },
        30000,
      );
      expect(run.attempt).toBe(2);
      expect(await h.rt.store.posts.countDocuments({ channelKey: 'tg:1700000002' })).toBe(5);
      const failures = h.sim.requests.filter((r) => r.path === '/s/sim_beta' && r.status === 503);
      expect(failures).toHaveLength(1);
    } finally {
      await worker.close();
    }
  });

  it('a 404 is final: no retry, a crawl_failed event and a failed run naming the error', async () => {
    const worker = startWorkerRole(h.rt, () => undefined);
    try {
      h.sim.setFault('/s/sim_locked', { kind: 'status', status: 404 });
      const source = sourceSchema.parse(tgSource(h.sim, 'locked', 'sim_locked'));
      const { enqueueCrawl } = await import('../../src/queue/crawl-queue');
      const now = new Date();
      const { jobId } = await enqueueCrawl(h.rt.queue, { source, tick: now.toISOString(), reason: 'manual' }, { delayMs: 0, tickAt: now, reason: 'manual' });
      const run = await waitFor(
        'run failed',
        async () => {
          const r = await h.rt.store.runs.findOne({ _id: `run:${jobId}` });
          return r?.status === 'failed' ? r : undefined;
        },
        30000,
      );
      expect(run.error).toMatchObject({ code: 'HTTP_STATUS', retryable: false });
      expect(run.error?.message).toMatch(/HTTP 404/);
      expect(h.sim.requests.filter((r) => r.path === '/s/sim_locked')).toHaveLength(1);
      const ev = await h.rt.store.events.find({ type: 'crawl_failed', sourceId: 'locked' }).toArray();
      expect(ev).toHaveLength(1);
    } finally {
      h.sim.setFault('/s/sim_locked', undefined);
      await worker.close();
    }
  });

  it('a private channel is recorded as private, an unknown handle as not found', async () => {
    await runCrawl(deps, sourceSchema.parse(tgSource(h.sim, 'locked', 'sim_locked')), { jobId: 'j-locked', attempt: 1 });
    await runCrawl(deps, sourceSchema.parse(tgSource(h.sim, 'ghost', 'sim_ghost')), { jobId: 'j-ghost', attempt: 1 });
    const locked = await h.rt.store.channels.findOne({ _id: 'tg:@sim_locked' });
    const ghost = await h.rt.store.channels.findOne({ _id: 'tg:@sim_ghost' });
    expect(locked?.status).toBe('private');
    expect(ghost?.status).toBe('not_found');
    // (the 404 test before left a crawl_failed event on this channel)
    const types = (await h.rt.store.events.find({ channelKey: 'tg:@sim_locked' }).toArray()).map((e) => e.type).filter((t) => t !== 'crawl_failed');
    expect(types.sort()).toEqual(['first_seen', 'private']);
    expect((await h.rt.store.events.find({ channelKey: 'tg:@sim_ghost' }).toArray()).map((e) => e.type).sort()).toEqual(['first_seen', 'not_found']);
  });

  it('service messages are channel events with their data, never posts; a re-crawl repeats none of them', async () => {
    const source = sourceSchema.parse(tgSource(h.sim, 'gamma', 'sim_gamma'));
    await runCrawl(deps, source, { jobId: 'j-svc-0', attempt: 1 });
    const postsBefore = await h.rt.store.posts.countDocuments({ channelKey: 'tg:1700000003' });
    const blank = { text: '', photos: [], links: [] };
    h.sim.apply({ step: 99, action: 'post', channel: 'sim_gamma', post: { ...blank, service: 'photo_changed', date: '2026-11-10T08:00:00Z' } });
    h.sim.apply({
      step: 99,
      action: 'post',
      channel: 'sim_gamma',
      post: { ...blank, text: 'طبق اليوم: شوربة العدس مع الليمون والكمون', date: '2026-11-10T09:00:00Z' },
    });
    h.sim.apply({ step: 99, action: 'post', channel: 'sim_gamma', post: { ...blank, service: 'pinned', date: '2026-11-10T10:00:00Z' } });
    h.sim.apply({ step: 99, action: 'retitle', channel: 'sim_gamma', to: 'مطبخ الاختبار' });
    await runCrawl(deps, source, { jobId: 'j-svc-1', attempt: 1 });
    await runCrawl(deps, source, { jobId: 'j-svc-2', attempt: 1 });
    expect(await h.rt.store.posts.countDocuments({ channelKey: 'tg:1700000003' })).toBe(postsBefore + 1);
    const evs = await h.rt.store.events.find({ channelKey: 'tg:1700000003', 'data.source': 'service_message' }).toArray();
    expect(evs.map((e) => e.type).sort()).toEqual(['photo_changed', 'pinned', 'renamed_title']);
    expect(evs.find((e) => e.type === 'renamed_title')?.data).toMatchObject({ title: 'مطبخ الاختبار' });
    expect(evs.find((e) => e.type === 'pinned')?.data).toMatchObject({ pinnedText: 'طبق اليوم: شوربة العدس م…' });
    expect(evs.find((e) => e.type === 'photo_changed')?.at.toISOString()).toBe('2026-11-10T08:00:00.000Z');
    // the header's new title is a title_changed of the channel as well
    expect(await h.rt.store.events.countDocuments({ channelKey: 'tg:1700000003', type: 'title_changed' })).toBe(1);
  });
});
