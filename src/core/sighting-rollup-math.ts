import { isoWeek } from './time-buckets';
import { byCode } from './compare';

/**
 * Pure math of the sighting rollups (IO shell: store/sighting-rollups.ts). One document per UTC day,
 * `sd:<day>`, holds every sighting of that day as `s.<sightingId>` = the JSON of a SightingEntry; the media trend
 * routes (top clusters, media spread) read those day documents instead of grouping `sightings`.
 */

/** Per-cluster figures (src/media/cluster-stats.ts computes them from the sightings at query time). */
export interface ClusterStats {
  clusterId: string;
  channels: number;
  sightings: number;
  afterTakedown: number;
  firstSeen: Date;
  lastSeen: Date;
}

/** [clusterId, channelKey, sourceId, at (epoch ms), after the origin's takedown (1) or not (0)]. */
export type SightingEntry = [clusterId: string, channelKey: string, sourceId: string, atMs: number, after: 0 | 1];

export interface SightingRow {
  clusterId: string;
  channelKey: string;
  sourceId: string;
  at: number;
  after: boolean;
  day: string;
}

export interface SightingInput {
  _id: string;
  clusterId: string;
  channelKey: string;
  sourceId: string;
  at: Date;
  afterOriginRemoved: boolean;
  buckets: { day: string };
}

/** The sighting filter once tags are turned into source ids and handles into channel keys. */
export interface SightingFilter {
  from?: Date;
  to?: Date;
  sourceIds?: string[];
  channelKeys?: string[];
}

export const sightingDayDocId = (day: string): string => `sd:${day}`;
export const SIGHTING_MARKER_ID = 'meta:sighting-rollups';

export function sightingEntryOf(s: SightingInput): SightingEntry {
  return [s.clusterId, s.channelKey, s.sourceId, s.at.getTime(), s.afterOriginRemoved ? 1 : 0];
}

export function rowOf(day: string, e: SightingEntry): SightingRow {
  return { clusterId: e[0], channelKey: e[1], sourceId: e[2], at: e[3], after: e[4] === 1, day };
}

export function filterSightings(rows: SightingRow[], f: SightingFilter): SightingRow[] {
  const lo = f.from ? f.from.getTime() : -Infinity;
  const hi = f.to ? f.to.getTime() : Infinity;
  const sources = f.sourceIds ? new Set(f.sourceIds) : undefined;
  const channels = f.channelKeys ? new Set(f.channelKeys) : undefined;
  if (lo === -Infinity && hi === Infinity && !sources && !channels) return rows;
  return rows.filter((r) => r.at >= lo && r.at < hi && (!sources || sources.has(r.sourceId)) && (!channels || channels.has(r.channelKey)));
}

/** Per-cluster figures (as clusterStats computes them from `sightings`) for the asked-for clusters. */
export function clusterFigures(rows: SightingRow[], ids: string[]): Map<string, ClusterStats> {
  const wanted = new Set(ids);
  const acc = new Map<string, { channels: Set<string>; sightings: number; after: number; first: number; last: number }>();
  for (const r of rows) {
    if (!wanted.has(r.clusterId)) continue;
    let a = acc.get(r.clusterId);
    if (!a) acc.set(r.clusterId, (a = { channels: new Set(), sightings: 0, after: 0, first: r.at, last: r.at }));
    a.channels.add(r.channelKey);
    a.sightings++;
    if (r.after) a.after++;
    a.first = Math.min(a.first, r.at);
    a.last = Math.max(a.last, r.at);
  }
  const out = new Map<string, ClusterStats>();
  for (const [clusterId, a] of acc)
    out.set(clusterId, {
      clusterId,
      channels: a.channels.size,
      sightings: a.sightings,
      afterTakedown: a.after,
      firstSeen: new Date(a.first),
      lastSeen: new Date(a.last),
    });
  return out;
}

/** Clusters seen in the most channels (ties: most sightings, then id), as topClusters ranks them. */
export function rankClusters(rows: SightingRow[], limit: number): string[] {
  // most clusters are seen in one channel: a cluster keeps its first channel as a string and gets a Set only when a
  // second one appears (200k sightings of 160k clusters: 160k Sets and a full sort took seconds)
  const acc = new Map<string, { first: string; more?: Set<string>; n: number }>();
  for (const r of rows) {
    const a = acc.get(r.clusterId);
    if (!a) acc.set(r.clusterId, { first: r.channelKey, n: 1 });
    else {
      a.n++;
      if (r.channelKey !== a.first) (a.more ??= new Set()).add(r.channelKey);
    }
  }
  // the best `limit` kept in order while scanning once (limit is small next to the number of clusters)
  type Ranked = { id: string; channels: number; n: number };
  const top: Ranked[] = [];
  const before = (x: Ranked, y: Ranked): boolean => (x.channels !== y.channels ? x.channels > y.channels : x.n !== y.n ? x.n > y.n : byCode(x.id, y.id) < 0);
  if (limit <= 0) return [];
  for (const [id, a] of acc) {
    const c = { id, channels: 1 + (a.more?.size ?? 0), n: a.n };
    if (top.length === limit && !before(c, top[top.length - 1] as Ranked)) continue;
    let i = top.length;
    while (i > 0 && before(c, top[i - 1] as Ranked)) i--;
    top.splice(i, 0, c);
    if (top.length > limit) top.pop();
  }
  return top.map((t) => t.id);
}

const weeks = new Map<string, string>();
function weekOf(day: string): string {
  let w = weeks.get(day);
  if (!w) weeks.set(day, (w = isoWeek(new Date(`${day}T00:00:00Z`))));
  return w;
}

/** (cluster, period, channel, after) counts for spreadSeries. */
export function spreadCounts(
  rows: SightingRow[],
  ids: string[],
  period: 'day' | 'week',
): Array<{ clusterId: string; period: string; channelKey: string; afterTakedown: boolean; n: number }> {
  const wanted = new Set(ids);
  const m = new Map<string, { clusterId: string; period: string; channelKey: string; afterTakedown: boolean; n: number }>();
  for (const r of rows) {
    if (!wanted.has(r.clusterId)) continue;
    const p = period === 'day' ? r.day : weekOf(r.day);
    const k = JSON.stringify([r.clusterId, p, r.channelKey, r.after]);
    const cur = m.get(k);
    if (cur) cur.n++;
    else m.set(k, { clusterId: r.clusterId, period: p, channelKey: r.channelKey, afterTakedown: r.after, n: 1 });
  }
  return [...m.values()];
}
