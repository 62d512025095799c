import type { CommandStartedEvent } from 'mongodb';
import { postsPer, topClusters } from '../../src/research/trends';
import { DayDocCache, VERSIONS_MARKER_ID, dayDocVersions } from '../../src/store/day-doc-cache';
import { recordPostRollups, rollupCollections } from '../../src/store/post-rollups';
import { ensureRollups } from '../../src/store/rollups';
import { readSightingRows, recordSightingRollups } from '../../src/store/sighting-rollups';
import { ensureIndexes, openStore, type Store } from '../../src/store/store';
import { SEED, seedResearchDb, T0 } from '../support/research-seed';
import { mongoUrl, uniqueName } from '../support/services';
import { storeDb } from '../../src/store/db-handle';

/**
 * The trend routes read the rollup day documents through a per-process cache checked against each day's version:
 * after the first read, a query reads the versions and only the days that changed, and never answers from a stale day.
 */
describe('rollup day documents through the version cache', () => {
  let store: Store;
  const commands: string[] = [];

  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwdaycache') });
    await ensureIndexes(store);
    await seedResearchDb(store);
    store.commandEvents.on('commandStarted', (e: CommandStartedEvent) => {
      const coll = e.command[e.commandName] as unknown;
      const id = (e.command.filter as { _id?: unknown } | undefined)?._id;
      commands.push(`${e.commandName} ${typeof coll === 'string' ? coll : ''}${typeof id === 'string' ? ` ${id}` : ''}`);
    });
  });
  afterAll(async () => {
    await storeDb(store).dropDatabase();
    await store.close();
  });

  async function counted<T>(f: () => Promise<T>): Promise<{ result: T; cmds: string[] }> {
    commands.length = 0;
    const result = await f();
    return { result, cmds: [...commands] };
  }
  const total = (rows: Array<{ posts: number }>): number => rows.reduce((a, r) => a + r.posts, 0);

  it('reads day documents directly until every day has a version, then caches them', async () => {
    await dayDocVersions(store).deleteMany({});
    const direct = await counted(() => postsPer(store, 'day', 'total'));
    expect(direct.cmds).toContain('find post_rollups'); // the whole collection
    await ensureRollups(store); // gives the seeded days their versions, then the marker
    expect(await dayDocVersions(store).findOne({ _id: VERSIONS_MARKER_ID })).not.toBeNull();
    expect(await dayDocVersions(store).countDocuments({ _id: /^pd:/ })).toBe(Object.keys(SEED.postsPerDay).length);
    const first = await counted(() => postsPer(store, 'day', 'total'));
    expect(first.result).toEqual(direct.result);
    const again = await counted(() => postsPer(store, 'day', 'total'));
    expect(again.result).toEqual(direct.result);
    // the marker and the versions, and no day document
    expect(again.cmds.filter((c) => c.startsWith('find post_rollups') && c !== 'find post_rollups meta:post-rollups')).toEqual([]);
    expect(again.cmds).toContain('find rollup_versions');
  });

  it('a new post is counted at once: its day alone is read again', async () => {
    const before = await postsPer(store, 'day', 'total');
    const at = new Date(T0.getTime() + 2 * 3600_000);
    await recordPostRollups(store, [
      { channelKey: 'tg:100', postId: '9001', sourceId: 's-alpha', tags: ['net-a'], lang: 'eng', at, buckets: { day: '2026-11-02' } },
    ]);
    const after = await counted(() => postsPer(store, 'day', 'total'));
    expect(total(after.result)).toBe(total(before) + 1);
    expect(after.cmds.filter((c) => c.startsWith('find post_rollups') && c !== 'find post_rollups meta:post-rollups')).toEqual([
      'find post_rollups pd:2026-11-02',
    ]);
  });

  it('sighting rows follow new sightings, and the top clusters with them', async () => {
    const rows = await readSightingRows(store);
    const top = await topClusters(store, 1);
    const leader = top[0];
    if (!leader) throw new Error('no cluster seeded');
    const at = new Date(T0.getTime() + 30 * 3600_000);
    // the leading cluster seen in two more channels
    await recordSightingRollups(
      store,
      ['tg:901', 'tg:902'].map((ch, i) => ({
        _id: `sg:test:${i}`,
        clusterId: leader.clusterId,
        channelKey: ch,
        sourceId: 's-alpha',
        at,
        afterOriginRemoved: false,
        buckets: { day: at.toISOString().slice(0, 10) },
      })),
    );
    const next = await counted(() => readSightingRows(store));
    expect(next.result).toHaveLength(rows.length + 2);
    expect(next.cmds.filter((c) => c.startsWith('find sighting_rollups'))).toEqual([`find sighting_rollups sd:${at.toISOString().slice(0, 10)}`]);
    expect((await topClusters(store, 1))[0]).toMatchObject({ clusterId: leader.clusterId, channels: leader.channels + 2 });
  });

  it('a day deleted from the store leaves the cache; a day kept past its age is read again', async () => {
    const days = rollupCollections(store).days;
    const reads: string[] = [];
    const cache = new DayDocCache<string>(
      'pd:',
      {
        readDoc: async (id) => {
          reads.push(id);
          return (await days.findOne({ _id: id }))?._id;
        },
      },
      { maxAgeMs: 0 }, // every day is past its age at once
    );
    const all = await cache.all(store);
    expect(all?.size).toBe(Object.keys(SEED.postsPerDay).length);
    await cache.all(store);
    expect(reads).toHaveLength(2 * Object.keys(SEED.postsPerDay).length);
    // at most ageReadsPerQuery days are read again for age in one query, the oldest first
    const capped = new DayDocCache<string>(
      'pd:',
      {
        readDoc: async (id) => {
          reads.push(id);
          return (await days.findOne({ _id: id }))?._id;
        },
      },
      { maxAgeMs: 0, ageReadsPerQuery: 1 },
    );
    await capped.all(store);
    reads.length = 0;
    expect((await capped.all(store))?.size).toBe(Object.keys(SEED.postsPerDay).length);
    expect(reads).toHaveLength(1);
    await dayDocVersions(store).deleteOne({ _id: 'pd:2026-11-10' });
    expect([...((await cache.all(store))?.keys() ?? [])]).not.toContain('pd:2026-11-10');
  });

  it('a cold cache with many changed days scans the collection once instead of reading each day', async () => {
    const days = rollupCollections(store).days;
    let scans = 0;
    let reads = 0;
    const cache = new DayDocCache<string>(
      'pd:',
      {
        readDoc: async (id) => {
          reads++;
          return (await days.findOne({ _id: id }))?._id;
        },
        scanAll: async () => {
          scans++;
          const out = new Map<string, string>();
          for await (const d of days.find({})) if (d._id.startsWith('pd:')) out.set(d._id, d._id);
          return out;
        },
      },
      { scanAbove: 0 },
    );
    const all = await cache.all(store);
    expect([scans, reads]).toEqual([1, 0]);
    expect(all?.size).toBe(await dayDocVersions(store).countDocuments({ _id: /^pd:/ }));
    await cache.all(store); // warm: neither
    expect([scans, reads]).toEqual([1, 0]);
  });
});
