import type { ClusterStats } from '../core/sighting-rollup-math';
import type { Store } from '../store/store';

export type { ClusterStats };

/**
 * Per-cluster figures computed at query time from the sightings (no shared counters): number of channels,
 * sightings, re-uploads after the origin's takedown, first and last seen. Portable: $group with $sum only; the
 * first/last times come from the sorted sightings in TypeScript.
 */
export async function clusterStats(store: Store, clusterId: string): Promise<ClusterStats | undefined> {
  const rows = await store.sightings
    .find({ clusterId }, { projection: { channelKey: 1, at: 1, afterOriginRemoved: 1 } })
    .sort({ at: 1 })
    .toArray();
  if (!rows.length) return undefined;
  return {
    clusterId,
    channels: new Set(rows.map((r) => r.channelKey)).size,
    sightings: rows.length,
    afterTakedown: rows.filter((r) => r.afterOriginRemoved).length,
    firstSeen: rows[0]?.at as Date,
    lastSeen: rows[rows.length - 1]?.at as Date,
  };
}
