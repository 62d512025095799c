import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Collection } from 'mongodb';
import { timeBuckets } from '../../src/core/time-buckets';
import { postsPer, postsPerScan } from '../../src/research/trends';
import { bulkWriteChunked, insertManyChunked, UPDATE_CHUNK } from '../../src/store/bulk';
import { rebuildPostRollups, rollupCollections } from '../../src/store/post-rollups';
import { ensureIndexes, openStore, type Store } from '../../src/store/store';
import { upsertPosts, type PostDoc } from '../../src/store/repos/posts';
import { mongoUrl, redisUrl, uniqueName } from '../support/services';
import { storeDb } from '../../src/store/db-handle';

const run = promisify(execFile);

interface Row {
  _id: string;
  n: number;
  note?: string;
}

/**
 * Bulk writes on FerretDB: one command of more update statements than FerretDB's pool holds wedged the whole database
 * (150 upserts of existing channel-days: the second `rollups rebuild` never returned, and later reads hung too).
 * Every bulk write goes through store/bulk.ts, which splits it.
 */
describe('bulk writes', () => {
  let store: Store;
  const dbName = uniqueName('hwbulk');

  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName });
    await ensureIndexes(store);
  });
  afterAll(async () => {
    await storeDb(store).dropDatabase();
    await store.close();
  });

  it('1,000 upserts of existing documents in one call return, and the database still answers', async () => {
    const col: Collection<Row> = storeDb(store).collection<Row>('bulk_rows');
    const docs = Array.from({ length: 1000 }, (_, i) => ({ _id: `r:${i}`, n: i }));
    expect((await insertManyChunked(col, docs)).duplicates).toEqual([]);
    const ops = docs.map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $set: { note: `seen ${d.n}` } }, upsert: true } }));
    expect(ops.length).toBeGreaterThan(UPDATE_CHUNK * 50);
    expect((await bulkWriteChunked(col, ops)).duplicates).toEqual([]);
    expect(await col.countDocuments({ note: { $exists: true } })).toBe(1000);
    expect(await col.findOne({ _id: 'r:999' })).toEqual({ _id: 'r:999', n: 999, note: 'seen 999' });
  });

  it('inserts of documents that exist already come back by their index in the whole list', async () => {
    const col: Collection<Row> = storeDb(store).collection<Row>('bulk_rows');
    // 600 documents: every third one exists (r:0 … r:999 from the test above), spread over several chunks
    const docs = Array.from({ length: 600 }, (_, i) => ({ _id: i % 3 === 0 ? `r:${i}` : `new:${i}`, n: i }));
    const { duplicates } = await insertManyChunked(col, docs);
    expect(duplicates).toEqual(docs.flatMap((d, i) => (d._id.startsWith('r:') ? [i] : [])));
    expect(await col.countDocuments({ _id: { $regex: /^new:/ } })).toBe(400);
  });

  it('a write error other than a duplicate key throws', async () => {
    const col = storeDb(store).collection<{ _id: string }>('bulk_rows');
    const bad = [{ updateOne: { filter: { _id: 'r:1' }, update: { $inc: { note: 1 } } } }]; // $inc of a string
    await expect(bulkWriteChunked(col, bad)).rejects.toThrow();
  });

  it('`hydrawatch rollups rebuild` twice in a row over 150 channel-days: both finish with the same counts', async () => {
    const t0 = Date.parse('2026-10-01T10:00:00Z');
    const posts: PostDoc[] = [];
    // 150 channels on one day: the rebuild writes that day's 150 channel-days in one call
    for (let ch = 0; ch < 150; ch++)
      for (let day = 0; day < 1; day++)
        for (let k = 0; k < 2; k++) {
          const at = new Date(t0 + day * 86_400_000 + k * 3_600_000);
          const postId = String(day * 10 + k);
          posts.push({
            _id: `tg:${5000 + ch}:${postId}`,
            channelKey: `tg:${5000 + ch}`,
            postId,
            sourceId: `s${ch}`,
            platform: 'telegram',
            handle: `h${ch}`,
            text: 'synthetic',
            lang: 'eng',
            links: [],
            hashtags: [],
            mentions: [],
            media: [],
            tags: ['net-a'],
            firstSeenAt: at,
            lastSeenAt: at,
            publishedAt: at,
            at,
            buckets: timeBuckets(at),
          });
        }
    await upsertPosts(store, posts);
    const first = await rebuildPostRollups(store);
    expect(first).toMatchObject({ posts: 300, days: 1, channelDays: 150 });
    expect(await rollupCollections(store).channelDays.countDocuments({})).toBe(150);

    // the CLI, as an operator runs it: twice, each run rewriting the 150 existing channel-days
    const main = resolve(__dirname, '../../dist/src/cli/main.js');
    const env = { ...process.env, MONGO_URL: mongoUrl(), MONGO_DB: dbName, REDIS_URL: redisUrl() };
    const configDir = mkdtempSync(join(tmpdir(), 'hw-bulk-cfg-'));
    for (let i = 0; i < 2; i++) {
      const { stdout } = await run(process.execPath, [main, 'rollups', 'rebuild', '--config', configDir], { env, timeout: 120_000 });
      expect(stdout).toMatch(/rebuilt post rollups: 300 posts, 1 days, 150 channel-days/);
    }
    expect(await postsPer(store, 'day', 'channel')).toEqual(await postsPerScan(store, 'day', 'channel'));
    expect(await postsPer(store, 'day', 'total')).toEqual([{ period: '2026-10-01', key: 'all', posts: 300 }]);
  }, 300_000);
});
