import { mediaSpread, topClusters } from '../../src/research/trends';
import { SIGHTING_MARKER_ID } from '../../src/core/sighting-rollup-math';
import { ensureSightingRollups, recordSightingRollups, sightingRollups, sightingRollupsReady } from '../../src/store/sighting-rollups';
import { ensureIndexes, openStore, type Store } from '../../src/store/store';
import { seedResearchDb, T0 } from '../support/research-seed';
import { mongoUrl, uniqueName } from '../support/services';
import { storeDb } from '../../src/store/db-handle';

/** Top clusters and media spread read from the sighting rollups equal the same read from `sightings`. */
describe('sighting rollups', () => {
  let store: Store;
  const day = (n: number): Date => new Date(T0.getTime() + n * 86400_000);

  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwsight') });
    await ensureIndexes(store);
    await seedResearchDb(store); // records the sighting rollups as media intake does
  });
  afterAll(async () => {
    await storeDb(store).dropDatabase();
    await store.close();
  });

  const answers = async (): Promise<unknown[]> => [
    await topClusters(store, 10),
    await topClusters(store, 1, { tags: ['net-b'] }),
    await topClusters(store, 10, { from: day(1), to: day(3), channels: ['@alpha_news1', 'tg:200'] }),
    await mediaSpread(store, 'day'),
    await mediaSpread(store, 'week', { sourceIds: ['s-alpha'] }),
    await mediaSpread(store, 'day', { from: new Date(T0.getTime() + 3 * 3600_000) }, { clusters: ['mc:bbbb2222', 'mc:nope'] }),
  ];

  it('gives the figures of the scan on sightings, and the scan is used until the rollups exist', async () => {
    expect(await sightingRollupsReady(store)).toBe(true);
    const fromRollups = await answers();
    expect((fromRollups[0] as Array<{ clusterId: string; channels: number }>)[0]).toMatchObject({
      clusterId: 'mc:aaaa1111',
      channels: 3,
      kind: expect.any(String),
    });
    await sightingRollups(store).deleteOne({ _id: SIGHTING_MARKER_ID });
    expect(await answers()).toEqual(fromRollups);
    await expect(topClusters(store, 5, { langs: ['eng'] })).rejects.toThrow(/lang: sightings have no language/);
    // rebuilt once from sightings, the same again; a repeated write changes nothing
    await sightingRollups(store).deleteMany({});
    expect(await ensureSightingRollups(store)).toBe('rebuilt');
    expect(await ensureSightingRollups(store)).toBe('ready');
    expect(await answers()).toEqual(fromRollups);
    await recordSightingRollups(store, await store.sightings.find({}).toArray());
    expect(await answers()).toEqual(fromRollups);
    await expect(topClusters(store, 5, { langs: ['eng'] })).rejects.toThrow(/lang: sightings have no language/);
  });
});
