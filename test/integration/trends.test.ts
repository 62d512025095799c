import { timeBuckets } from '../../src/core/time-buckets';
import { distribution, percentile } from '../../src/research/percentiles';
import { eventsPerWeek, hydraIndex, postsPer, resurfacingDelay, timeToTakedown } from '../../src/research/trends';
import { ensureRollups } from '../../src/store/rollups';
import { ensureIndexes, openStore, type Store } from '../../src/store/store';
import type { EventDoc } from '../../src/store/repos/channels';
import type { PostDoc } from '../../src/store/repos/posts';
import { mongoUrl, uniqueName } from '../support/services';
import { storeDb } from '../../src/store/db-handle';

/** Trend queries on FerretDB against a seeded timeline whose answers are known. */
describe('trends', () => {
  let store: Store;
  const H = 3600_000;
  const t0 = new Date('2026-11-02T10:00:00Z'); // Monday, ISO week 2026-W45

  const post = (ch: string, id: number, at: Date, tags: string[], lang: string): PostDoc => ({
    _id: `${ch}:${id}`,
    channelKey: ch,
    postId: String(id),
    sourceId: ch,
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
  });
  const ev = (ch: string, type: EventDoc['type'], at: Date, data: Record<string, unknown> = {}): EventDoc => ({
    _id: `${ch}:${type}:${at.toISOString()}`,
    channelKey: ch,
    sourceId: ch,
    platform: 'telegram',
    type,
    at,
    buckets: timeBuckets(at),
    handle: ch,
    data,
  });

  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwtrends') });
    await ensureIndexes(store);
    const posts: PostDoc[] = [];
    for (let i = 0; i < 3; i++) posts.push(post('tg:1', i, new Date(t0.getTime() + i * H), ['net-a'], 'arb')); // day 1: 3
    for (let i = 3; i < 5; i++) posts.push(post('tg:1', i, new Date(t0.getTime() + 24 * H + i * H), ['net-a'], 'arb')); // day 2: 2
    posts.push(post('tg:2', 1, new Date(t0.getTime() + 2 * H), ['net-a', 'net-b'], 'eng')); // day 1
    posts.push(post('tg:3', 1, new Date(t0.getTime() + 8 * 24 * H), ['net-b'], 'eng')); // next week
    await store.posts.insertMany(posts);
    await ensureRollups(store); // posts but no rollups yet: the one-time rebuild; postsPer then reads the rollups
    await store.events.insertMany([
      ev('tg:1', 'first_seen', t0),
      ev('tg:2', 'first_seen', t0),
      ev('tg:3', 'first_seen', new Date(t0.getTime() + 8 * 24 * H)),
      ev('tg:1', 'removed', new Date(t0.getTime() + 10 * H), { timeToTakedownMs: 10 * H }),
      ev('tg:2', 'removed', new Date(t0.getTime() + 30 * H), { timeToTakedownMs: 30 * H }),
      ev('tg:11', 'resurfaced', new Date(t0.getTime() + 12 * H), { delayMs: 2 * H, lineage: ['tg:1', 'tg:11'] }),
      ev('tg:12', 'resurfaced', new Date(t0.getTime() + 8 * 24 * H), { delayMs: 6 * H, lineage: ['tg:1', 'tg:11', 'tg:12'] }),
      ev('tg:21', 'resurfaced', new Date(t0.getTime() + 40 * H), { delayMs: 10 * H, lineage: ['tg:2', 'tg:21'] }),
    ]);
  });
  afterAll(async () => {
    await storeDb(store).dropDatabase();
    await store.close();
  });

  it('posts per day by channel, per week by tag and language, with filters', async () => {
    expect(await postsPer(store, 'day', 'channel')).toEqual([
      { period: '2026-11-02', key: 'tg:1', posts: 3 },
      { period: '2026-11-02', key: 'tg:2', posts: 1 },
      { period: '2026-11-03', key: 'tg:1', posts: 2 },
      { period: '2026-11-10', key: 'tg:3', posts: 1 },
    ]);
    expect(await postsPer(store, 'week', 'tag')).toEqual([
      { period: '2026-W45', key: 'net-a', posts: 6 },
      { period: '2026-W45', key: 'net-b', posts: 1 },
      { period: '2026-W46', key: 'net-b', posts: 1 },
    ]);
    expect(await postsPer(store, 'week', 'lang', { tags: ['net-b'] })).toEqual([
      { period: '2026-W45', key: 'eng', posts: 1 },
      { period: '2026-W46', key: 'eng', posts: 1 },
    ]);
    expect(await postsPer(store, 'day', 'total', { from: new Date('2026-11-03T00:00:00Z'), to: new Date('2026-11-03T23:59:59Z') })).toEqual([
      { period: '2026-11-03', key: 'all', posts: 2 },
    ]);
  });

  it('new channels, takedowns and resurfacings per week', async () => {
    expect(await eventsPerWeek(store)).toEqual([
      { week: '2026-W45', type: 'first_seen', count: 2 },
      { week: '2026-W45', type: 'removed', count: 2 },
      { week: '2026-W45', type: 'resurfaced', count: 2 },
      { week: '2026-W46', type: 'first_seen', count: 1 },
      { week: '2026-W46', type: 'resurfaced', count: 1 },
    ]);
  });

  it('time-to-takedown and resurfacing-delay distributions, and the hydra index', async () => {
    expect(await timeToTakedown(store)).toMatchObject({ count: 2, min: 10, p50: 10, max: 30, mean: 20 });
    expect(await resurfacingDelay(store)).toMatchObject({ count: 3, min: 2, p50: 6, max: 10, mean: 6 });
    const hydra = await hydraIndex(store);
    expect(hydra).toMatchObject({ takedowns: 2, successors: 3, successorsPerTakedown: 1.5 });
    expect(hydra.chainLengths).toMatchObject({ count: 2, min: 2, max: 3 });
  });

  it('percentiles (nearest rank)', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 90)).toBe(4);
    expect(percentile([], 50)).toBeUndefined();
    expect(distribution([5])).toMatchObject({ count: 1, p25: 5, p90: 5, mean: 5 });
  });
});
