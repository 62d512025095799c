import { ensureDayDocVersions } from './day-doc-cache';
import { ensurePostRollups, rollupCollections } from './post-rollups';
import { ensureSightingRollups, sightingRollups } from './sighting-rollups';
import type { Store } from './store';

export type RollupState = 'ready' | 'rebuilt' | 'empty';

/**
 * Once per database, at every process start (one read by `_id` each when done): the post and sighting rollups the
 * trend routes read. A database with posts or sightings but no rollups is rebuilt from them once (an offline scan;
 * the same as `hydrawatch rollups rebuild`); an empty one is just marked, since every write from then on records its
 * own rollups.
 */
export async function ensureRollups(store: Store, log?: (line: string) => void): Promise<{ posts: RollupState; sightings: RollupState }> {
  const posts = await ensurePostRollups(store, log);
  const sightings = await ensureSightingRollups(store, log);
  // day documents written before their versions existed get one (once): the trend routes then cache decoded days
  await ensureDayDocVersions(store, [
    { ids: () => rollupCollections(store).days.find({}, { projection: { _id: 1 } }), prefix: 'pd:' },
    { ids: () => sightingRollups(store).find({}, { projection: { _id: 1 } }), prefix: 'sd:' },
  ]);
  return { posts, sightings };
}
