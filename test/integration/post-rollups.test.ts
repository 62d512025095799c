import { timeBuckets } from '../../src/core/time-buckets';
import { channelTimeline, postsPer, postsPerScan } from '../../src/research/trends';
import { ensurePostRollups as ensureRollups, rebuildPostRollups, recordPostRollups, rollupCollections, rollupsReady } from '../../src/store/post-rollups';
import { leases } from '../../src/store/rollup-lock';
import { ensureIndexes, openStore, type Store } from '../../src/store/store';
import { upsertPosts, type PostDoc } from '../../src/store/repos/posts';
import { Redis as IORedis, type Redis } from 'ioredis';
import { HostLimiter } from '../../src/queue/host-limiter';
import { mongoUrl, redisUrl, uniqueName } from '../support/services';
import { storeDb } from '../../src/store/db-handle';

/**
 * Post rollups on real FerretDB: idempotent, safe for concurrent channels, and equal to the raw counts. Twice: with
 * the `rollup_locks` collection (a bare store) and with the runtime's Redis document locks.
 */
describe.each(['rollup_locks collection', 'Redis document locks'])('post rollups (%s)', (locks) => {
  let store: Store;
  let redis: Redis | undefined;
  const t0 = Date.parse('2026-11-01T09:00:00Z'); // Sunday: days 1–3 straddle ISO weeks W44 and W45
  const H = 3600_000;

  const post = (ch: string, id: number, h: number, lang: string, tags: string[]): PostDoc => {
    const at = new Date(t0 + h * H);
    return {
      _id: `${ch}:${id}`,
      channelKey: ch,
      postId: String(id),
      sourceId: `s-${ch}`,
      platform: 'telegram',
      handle: ch,
      text: 'x',
      lang,
      links: [],
      hashtags: [],
      mentions: [],
      media: [],
      tags,
      firstSeenAt: at,
      lastSeenAt: at,
      publishedAt: at,
      at,
      buckets: timeBuckets(at),
    };
  };
  // 3 days × 2 channels × 2 languages, tags varying (a changed source tag list)
  const chA: PostDoc[] = [];
  const chB: PostDoc[] = [];
  for (let i = 0; i < 18; i++) chA.push(post('tg:10', i, i * 4, i % 3 ? 'arb' : 'eng', i < 9 ? ['net-a'] : ['net-a', 'net.c']));
  for (let i = 0; i < 12; i++) chB.push(post('tg:20', i, 1 + i * 5, i % 2 ? 'eng' : 'rus', ['net-b']));

  const queries = async (): Promise<Array<{ q: string; rollup: unknown; scan: unknown }>> => {
    const out: Array<{ q: string; rollup: unknown; scan: unknown }> = [];
    const filters = [
      {},
      { channels: ['tg:10'] },
      { channels: ['tg:20', 'tg:10'], from: new Date('2026-11-02T06:00:00Z'), langs: ['eng', 'rus'] },
      { tags: ['net.c'] },
      { langs: ['eng'] },
      { sourceIds: ['s-tg:20'] },
      { from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-03T00:00:00Z') },
      { from: new Date('2026-11-01T20:30:00Z'), to: new Date('2026-11-03T05:00:00Z'), tags: ['net-a', 'net-b'] },
    ];
    for (const f of filters)
      for (const period of ['day', 'week'] as const)
        for (const by of ['channel', 'tag', 'lang', 'total'] as const)
          out.push({ q: `${period}/${by}/${JSON.stringify(f)}`, rollup: await postsPer(store, period, by, f), scan: await postsPerScan(store, period, by, f) });
    return out;
  };

  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwrollup') });
    await ensureIndexes(store);
    if (locks === 'Redis document locks') {
      redis = new IORedis(redisUrl());
      const docLocks = new HostLimiter(redis, { prefix: uniqueName('hwlocks'), hostConcurrency: 1, leaseMs: 30_000, acquireTimeoutMs: 60_000, maxPauseMs: 50 });
      store.docLock = (id) => docLocks.acquire(id, undefined, 1);
    }
  });
  afterAll(async () => {
    await storeDb(store).dropDatabase();
    await store.close();
    await redis?.quit();
  });

  it('marks an empty database ready; counts crawl-like writes, twice and concurrently, like the raw aggregation', async () => {
    expect(await ensureRollups(store)).toBe('empty');
    expect(await rollupsReady(store)).toBe(true);
    // crawl-like: pages of posts upserted, then their rollups; the same page seen twice (a retry after a crash)
    for (let i = 0; i < chA.length; i += 6) {
      await upsertPosts(store, chA.slice(i, i + 6));
      await recordPostRollups(store, chA.slice(i, i + 6));
      await recordPostRollups(store, chA.slice(i, i + 6));
    }
    // two processes' worth of writers on two channels at once, the same days
    await upsertPosts(store, chB);
    await Promise.all([recordPostRollups(store, chB.slice(0, 6)), recordPostRollups(store, chB.slice(6)), recordPostRollups(store, chA.slice(12))]);
    // a re-crawl that changed a post's language and tags
    const changed = { ...chA[0], lang: 'rus', tags: ['net-b'] } as PostDoc;
    await upsertPosts(store, [changed]);
    await recordPostRollups(store, [changed]);

    for (const r of await queries()) expect({ q: r.q, rows: r.rollup }).toEqual({ q: r.q, rows: r.scan });
    expect(await postsPer(store, 'day', 'total')).toEqual([
      { period: '2026-11-01', key: 'all', posts: 7 },
      { period: '2026-11-02', key: 'all', posts: 11 },
      { period: '2026-11-03', key: 'all', posts: 10 },
      { period: '2026-11-04', key: 'all', posts: 2 },
    ]);
    expect((await channelTimeline(store, 'tg:20')).postsPerDay.reduce((a, r) => a + r.posts, 0)).toBe(12);
    // no lease left behind
    expect(await leases(store).countDocuments({})).toBe(0);
  });

  it('a crash between the post write and the rollup write is repaired by the retried call', async () => {
    const late = post('tg:20', 99, 30, 'eng', ['net-b']);
    await upsertPosts(store, [late]);
    // simulated crash half-way: the channel-day entry written, the day summary not
    await rollupCollections(store).channelDays.updateOne(
      { _id: `pdc:${late.buckets.day}:tg:20` },
      { $set: { 'p.99': ['eng', 's-tg:20', late.at.getTime(), 'net-b'] } },
    );
    expect(await postsPer(store, 'day', 'channel')).not.toEqual(await postsPerScan(store, 'day', 'channel'));
    await recordPostRollups(store, [late]);
    expect(await postsPer(store, 'day', 'channel')).toEqual(await postsPerScan(store, 'day', 'channel'));
  });

  it('rebuilds from posts for a database that has none, with the same counts', async () => {
    const before = await queries();
    const { days, channelDays, channels } = rollupCollections(store);
    await days.deleteMany({});
    await channelDays.deleteMany({});
    await channels.deleteMany({});
    expect(await rollupsReady(store)).toBe(false);
    // without the marker, trends count on posts
    expect(await postsPer(store, 'week', 'lang')).toEqual(await postsPerScan(store, 'week', 'lang'));
    expect(await ensureRollups(store)).toBe('rebuilt');
    expect(await ensureRollups(store)).toBe('ready');
    const after = await queries();
    expect(after).toEqual(before);
    for (const r of after) expect({ q: r.q, rows: r.rollup }).toEqual({ q: r.q, rows: r.scan });
    const report = await rebuildPostRollups(store);
    expect(report).toMatchObject({ posts: 31, days: 4, channelDays: 7 });
    expect(await queries()).toEqual(before);
  });
});
