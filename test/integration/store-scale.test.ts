import { timeBuckets } from '../../src/core/time-buckets';
import { ensurePgIdIndexes } from '../../src/store/pg-id-index';
import { ensureIndexes, openStore, type Store } from '../../src/store/store';
import { upsertPosts, type PostDoc } from '../../src/store/repos/posts';
import { mongoUrl, uniqueName } from '../support/services';
import { storeDb } from '../../src/store/db-handle';

function post(i: number, views: number): PostDoc {
  const at = new Date(Date.UTC(2026, 10, 1) + i * 60_000);
  return {
    _id: `tg:42:${i}`,
    channelKey: 'tg:42',
    postId: String(i),
    sourceId: 's',
    platform: 'telegram',
    handle: 'h',
    text: `post ${i}`,
    lang: 'und',
    links: [],
    hashtags: [],
    mentions: [],
    media: [],
    tags: [],
    views,
    firstSeenAt: at,
    lastSeenAt: at,
    at,
    buckets: timeBuckets(at),
  };
}

/** The store on the embedded back end under the load a long backfill and a retried crawl put on it. */
describe('store at scale', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwscale') });
    await ensureIndexes(store);
    if (process.env.HYDRAWATCH_PG_URL) await ensurePgIdIndexes(process.env.HYDRAWATCH_PG_URL, storeDb(store).databaseName);
  });
  afterAll(async () => {
    await storeDb(store)
      .dropDatabase()
      .catch(() => undefined);
    await store.close();
  });

  it('re-upserting 1,000 existing posts in one call finishes (FerretDB wedged on one bulk write of ≥ 50) and refreshes them', async () => {
    const first = Array.from({ length: 1000 }, (_, i) => post(i, 1));
    expect((await upsertPosts(store, first)).inserted).toBe(1000);
    const again = Array.from({ length: 1000 }, (_, i) => post(i, 2));
    const r = await upsertPosts(store, again);
    expect(r).toEqual({ inserted: 0, matched: 1000 });
    expect((await store.posts.findOne({ _id: 'tg:42:999' }))?.views).toBe(2);
    expect(await store.posts.countDocuments({})).toBe(1000);
  }, 180000);

  it('a look-up by _id stays an index look-up on a big collection (PostgreSQL back end: the GIN index is used)', async () => {
    if (!process.env.HYDRAWATCH_PG_URL) return; // SQLite back end: FerretDB scans, nothing to assert
    const plan = (await store.posts.find({ _id: 'tg:42:777' }).explain()) as { queryPlanner?: { Plan?: unknown } };
    expect(JSON.stringify(plan.queryPlanner?.Plan)).toMatch(/Index Scan/);
  });
});
