/**
 * The rollup family's collection names. Its documents, queries and leases live in the modules that maintain them
 * (they need the whole Store: its locks and the posts and sightings they roll up): `src/store/post-rollups.ts`
 * (posts per day, channel and day), `sighting-rollups.ts`, `rollup-lock.ts` (leases), `day-doc-cache.ts`
 * (versions), `rollups.ts` (start-up rebuild); the maths is `src/core/rollup-math.ts`.
 */
export const POST_DAY_CHANNELS = 'post_day_channels';
export const POST_ROLLUPS = 'post_rollups';
export const POST_CHANNEL_ROLLUPS = 'post_channel_rollups';
export const SIGHTING_ROLLUPS = 'sighting_rollups';
export const ROLLUP_LOCKS = 'rollup_locks';
/** Not created up front (COLLECTIONS): it appears with its first write. */
export const ROLLUP_VERSIONS = 'rollup_versions';
