import { ensurePostRollups } from './post-rollups';
import { ensureSightingRollups } from './sighting-rollups';
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
  return { posts, sightings };
}
