import type { CommandStartedEvent } from 'mongodb';
import { defaultCrawlers } from '../../src/app/crawler-registry';
import { sourceSchema, type Settings } from '../../src/config/schema';
import { recordCrawlFailure, runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { HttpStatusError } from '../../src/core/errors';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';

/**
 * A check with no new post, on real Redis + FerretDB: its cursor comes from the Redis cache, so it sends no store
 * command at all (no run document; the channel's check time once per resolution period). The cache never hides a
 * new post: a missing, stale or broken entry costs a store read or a full check.
 */
describe('checks with no new post', () => {
  let h: Harness;
  let deps: PipelineDeps;
  let job = 0;
  const commands: string[] = [];
  const source = () => sourceSchema.parse(tgSource(h.sim, 'alpha', 'sim_alpha'));
  const check = (settings: Settings = h.rt.settings) => runCrawl({ ...deps, settings }, source(), { jobId: `idle-${++job}`, attempt: 1 });
  async function counted<T>(f: () => Promise<T>): Promise<{ result: T; cmds: string[] }> {
    commands.length = 0;
    const result = await f();
    return { result, cmds: [...commands] };
  }
  const withResolution = (s: number): Settings => ({ ...h.rt.settings, worker: { ...h.rt.settings.worker, checkTimeResolutionSeconds: s } });

  beforeAll(async () => {
    // media off: a channel is settled without its avatar's fingerprint (no media stage here)
    h = await startHarness('pipeline-test.yaml', { media: { enabled: false } });
    deps = { store: h.rt.store, crawlers: defaultCrawlers, fetcher: h.rt.fetcher, limiter: h.rt.limiter, settings: h.rt.settings };
    h.rt.store.commandEvents.on('commandStarted', (e: CommandStartedEvent) => {
      const coll = e.command[e.commandName] as unknown;
      commands.push(`${e.commandName} ${typeof coll === 'string' ? coll : ''}`);
    });
    const first = await check();
    expect(first.postsNew).toBe(45);
  });
  afterAll(async () => h?.close());

  it('with the cursor in Redis, a check with nothing new sends no store command and writes no run', async () => {
    const { result, cmds } = await counted(() => check());
    expect(result).toMatchObject({ status: 'active', postsNew: 0, unchanged: true });
    expect(cmds).toEqual([]);
    expect(await h.rt.store.runs.findOne({ _id: `run:idle-${job}` })).toBeNull();
  });

  it("writes the channel's check time once per resolution period (0: at every check)", async () => {
    const before = (await h.rt.store.channels.findOne({ _id: 'tg:1700000001' }))?.lastCheckedAt.getTime() ?? 0;
    const every = await counted(() => check(withResolution(0)));
    expect(every.cmds).toEqual(['update channels']);
    const after = (await h.rt.store.channels.findOne({ _id: 'tg:1700000001' }))?.lastCheckedAt.getTime() ?? 0;
    expect(after).toBeGreaterThan(before);
    expect((await h.rt.store.cursorCache?.get('alpha'))?.checkWrittenAt).toBe(after);
    // written just now: the default period (300 s) is not over, so the next check writes nothing
    expect((await counted(() => check())).cmds).toEqual([]);
  });

  it('a lost or broken cache entry costs one store read (and the check time), then the cache is warm again', async () => {
    await h.rt.store.cursorCache?.drop('alpha');
    const miss = await counted(() => check());
    expect(miss.result.unchanged).toBe(true);
    expect(miss.cmds).toEqual(['find crawl_cursors', 'update channels']);
    expect((await counted(() => check())).cmds).toEqual([]);
    await h.rt.redis.set(`${h.rt.settings.queue.prefix}:cursors:${h.rt.settings.mongoDb}:alpha`, '{"doc": 17');
    const broken = await counted(() => check());
    expect(broken.result.unchanged).toBe(true);
    expect(broken.cmds).toEqual(['find crawl_cursors', 'update channels']);
  });

  it('a cache entry behind the store (a crash between the two writes) leads to a full check, never a missed post', async () => {
    const cached = await h.rt.store.cursorCache?.get('alpha');
    if (!cached) throw new Error('no cached cursor');
    h.sim.advanceTo(1); // sim_alpha posts #46
    const fresh = await check();
    expect(fresh).toMatchObject({ postsNew: 1 });
    await h.rt.store.cursorCache?.put('alpha', cached); // the entry as it was before post 46
    const behind = await check();
    expect(behind.unchanged).toBeUndefined(); // the page's newest post is not the cached one: full path
    expect(behind.postsNew).toBe(0);
    expect(await h.rt.store.posts.countDocuments({ channelKey: 'tg:1700000001' })).toBe(46);
    expect((await h.rt.store.cursorCache?.get('alpha'))?.doc.cursor.newestPostId).toBe('46');
    expect((await check()).unchanged).toBe(true);
  });

  it('a final crawl failure drops the cache entry: the next check reads the store and takes the full path', async () => {
    await recordCrawlFailure(deps, source(), { jobId: `idle-${++job}`, attempt: 3 }, new HttpStatusError(`${h.sim.url}/s/sim_alpha`, 500));
    expect(await h.rt.store.cursorCache?.get('alpha')).toBeNull();
    const run = await h.rt.store.runs.findOne({ _id: `run:idle-${job}` });
    expect(run).toMatchObject({ status: 'failed', sourceId: 'alpha', attempt: 3 });
    const next = await check();
    expect(next.unchanged).toBeUndefined(); // not settled (a failure on record): full path, failures reset
    expect((await h.rt.store.channels.findOne({ _id: 'tg:1700000001' }))?.consecutiveFailures ?? 0).toBe(0);
    expect((await check()).unchanged).toBe(true);
  });
});
