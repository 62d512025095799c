import type { Store } from '../store/store';

export interface ClusterStats {
  clusterId: string;
  channels: number;
  sightings: number;
  afterTakedown: number;
  firstSeen: Date;
  lastSeen: Date;
}

/**
 * Per-cluster figures computed at query time from the sightings (no shared counters): number of channels,
 * sightings, re-uploads after the origin's takedown, first and last seen. Portable: $group with $sum only; the
 * first/last times come from the sorted sightings in TypeScript.
 */
export async function clusterStats(store: Store, clusterId: string): Promise<ClusterStats | undefined> {
  const rows = await store.sightings.find({ clusterId }, { projection: { channelKey: 1, at: 1, afterOriginRemoved: 1 } }).sort({ at: 1 }).toArray();
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

/** Clusters seen in the most channels (ties: most sightings). */
export async function topClusters(store: Store, limit: number): Promise<ClusterStats[]> {
  const perPair = await store.sightings
    .aggregate<{ _id: { c: string; ch: string }; n: number }>([{ $group: { _id: { c: '$clusterId', ch: '$channelKey' }, n: { $sum: 1 } } }])
    .toArray();
  const channels = new Map<string, number>();
  for (const r of perPair) channels.set(r._id.c, (channels.get(r._id.c) ?? 0) + 1);
  const top = [...channels.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);
  const out: ClusterStats[] = [];
  for (const [id] of top) {
    const s = await clusterStats(store, id);
    if (s) out.push(s);
  }
  return out.sort((a, b) => b.channels - a.channels || b.sightings - a.sightings);
}
