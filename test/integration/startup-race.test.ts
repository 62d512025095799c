import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { rollupCollections } from '../../src/store/post-rollups';
import { sightingRollups } from '../../src/store/sighting-rollups';
import { dayDocVersions } from '../../src/store/day-doc-cache';
import { openStore, type Store } from '../../src/store/store';
import { spawnWorker } from '../support/child-worker';
import { seedResearchDb } from '../support/research-seed';
import { mongoUrl, redisUrl, uniqueName } from '../support/services';
import { storeDb } from '../../src/store/db-handle';

/**
 * Workers started together on one database: every start-up step (collections, indexes, the PostgreSQL `_id`
 * indexes, migrations, rollup markers and rebuilds, day-document versions) must be idempotent under concurrency. Three
 * workers started at once used to lose one to `E11000 duplicate key error … sighting_rollups` (1 of 3 trials).
 */
describe('workers starting together', () => {
  function configFor(dbName: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'hw-startup-'));
    const settings = { redisUrl: redisUrl(), mongoUrl: mongoUrl(), mongoDb: dbName, queue: { name: uniqueName('crawl'), prefix: uniqueName('hwstart') } };
    writeFileSync(join(dir, 'settings.yaml'), stringify(settings));
    writeFileSync(join(dir, 'sources.yaml'), 'sources: []\n');
    return dir;
  }

  async function startFive(configDir: string): Promise<void> {
    const workers = Array.from({ length: 5 }, () => spawnWorker(configDir, { HYDRAWATCH_PG_URL: process.env.HYDRAWATCH_PG_URL ?? '' }));
    try {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const dead = workers.find((w) => w.child.exitCode !== null);
        if (dead) throw new Error(`a worker exited with ${dead.child.exitCode}:\n${dead.output().slice(-3000)}`);
        if (workers.every((w) => w.output().includes('"event":"worker.start"'))) break;
        if (Date.now() > deadline)
          throw new Error(`not all five workers started:\n${workers.map((w, i) => `--- ${i}\n${w.output().slice(-1500)}`).join('\n')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 1000)); // a start-up error after the stages started would show here
      for (const w of workers) {
        expect(w.child.exitCode).toBeNull();
        expect(w.output()).not.toMatch(/E11000|duplicate key/);
      }
    } finally {
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
    }
  }

  it('five workers on a new, empty database: none dies, the rollups are marked once', async () => {
    const dbName = uniqueName('hwstart');
    await startFive(configFor(dbName));
    const store = await openStore({ url: mongoUrl(), dbName });
    try {
      expect(await rollupCollections(store).days.findOne({ _id: 'meta:post-rollups' })).toMatchObject({ complete: true, how: 'empty' });
      expect(await sightingRollups(store).countDocuments({ _id: { $regex: /^meta:/ } })).toBe(1);
    } finally {
      await storeDb(store).dropDatabase();
      await store.close();
    }
  }, 150_000);

  it('five workers on a database with posts and sightings but no rollups: none dies, the rebuilt rollups count once', async () => {
    const dbName = uniqueName('hwstart');
    let store: Store = await openStore({ url: mongoUrl(), dbName });
    await seedResearchDb(store);
    const before = await rollupCollections(store)
      .days.find({ _id: { $regex: /^pd:/ } })
      .sort({ _id: 1 })
      .toArray();
    const sightingDays = await sightingRollups(store)
      .find({ _id: { $regex: /^sd:/ } })
      .sort({ _id: 1 })
      .toArray();
    // as a database written before the rollups existed: only posts and sightings
    for (const c of [
      rollupCollections(store).days,
      rollupCollections(store).channelDays,
      rollupCollections(store).channels,
      sightingRollups(store),
      dayDocVersions(store),
    ])
      await c.deleteMany({});
    await store.close();
    await startFive(configFor(dbName));
    store = await openStore({ url: mongoUrl(), dbName });
    try {
      const strip = (docs: Array<Record<string, unknown>>): unknown => docs.map(({ _id, c }) => ({ _id, c }));
      expect(
        strip(
          await rollupCollections(store)
            .days.find({ _id: { $regex: /^pd:/ } })
            .sort({ _id: 1 })
            .toArray(),
        ),
      ).toEqual(strip(before));
      expect(
        strip(
          await sightingRollups(store)
            .find({ _id: { $regex: /^sd:/ } })
            .sort({ _id: 1 })
            .toArray(),
        ),
      ).toEqual(strip(sightingDays));
    } finally {
      await storeDb(store).dropDatabase();
      await store.close();
    }
  }, 150_000);
});
