import { byCode } from '../core/compare';
import type { Store } from '../store/store';
import type { EventDoc } from '../store/repos/channels';
import { clusterStats, type ClusterStats } from '../media/cluster-stats';
import { allOf as and, buildMongoFilter, resolveChannels, sourceIdsForTags, type FilterCaps } from './filter-to-mongo';
import { QueryInputError } from './query-filter';
import { clusterFigures, filterSightings, rankClusters, spreadCounts, type SightingFilter, type SightingRow } from '../core/sighting-rollup-math';
import { readSightingRows, sightingRollupsReady } from '../store/sighting-rollups';
import {
  countPosts,
  dayCoverage,
  daysBetween,
  entriesWithin,
  summarize,
  summaryMayMatch,
  type DaySummaries,
  type Period,
  type PostsBy,
  type PostsRow,
  type RollupFilter,
} from '../core/rollup-math';
import { readAllDays, readChannelDayEntries, readChannelsDays, readDays, rollupsReady } from '../store/post-rollups';
import { distribution, type Distribution } from './percentiles';
import type { TimelineFilter } from './query-filter';

/**
 * Researcher trend queries on the portable subset: precomputed buckets, $match + $group with $sum only,
 * percentiles and anything else in TypeScript. Work the same on MongoDB 7 and FerretDB.
 */
const POST_CAPS: FilterCaps = { timeField: 'at', tagsField: 'tags', langField: 'lang', sourceField: 'sourceId', channelField: 'channelKey' };
const EVENT_CAPS: FilterCaps = { timeField: 'at', sourceField: 'sourceId', channelField: 'channelKey' };
const SIGHTING_CAPS: FilterCaps = { timeField: 'at', sourceField: 'sourceId', channelField: 'channelKey' };

export type { Period, PostsBy, PostsRow };

/**
 * Posts per day or ISO week, split by channel, tag or language. Reads the post rollups (store/post-rollups.ts): the
 * day documents of the range, by `_id` (or the whole, small, day collection when the range is open or longer than
 * MAX_DAYS_BY_ID), counted in TypeScript. A bound that is not 00:00 UTC leaves its day partly inside the range:
 * that day is counted from its channel-day documents (each post's time is kept there), so at most two days' worth
 * of post entries are read. With a few channels asked for, their per-channel documents are read instead of the
 * days. Without a channel or source filter (and not split by channel) only each day's
 * all-channel totals are read. Until the rollups exist (no marker) it counts on `posts` instead.
 */
export async function postsPer(store: Store, period: Period, by: PostsBy, f: TimelineFilter = {}): Promise<PostsRow[]> {
  if (!(await rollupsReady(store))) return postsPerScan(store, period, by, f);
  const rf: RollupFilter = {
    ...(f.channels?.length ? { channelKeys: await resolveChannels(store, f.channels) } : {}),
    ...(f.sourceIds ? { sourceIds: f.sourceIds } : {}),
    ...(f.tags?.length ? { tags: f.tags } : {}),
    ...(f.langs?.length ? { langs: f.langs } : {}),
  };
  // without a channel or source in the question, each day's all-channel totals are enough
  const view = by === 'channel' || rf.channelKeys || rf.sourceIds ? 'channels' : 'totals';
  const bounded = f.from && f.to ? daysBetween(f.from, f.to) : undefined;
  const days =
    rf.channelKeys && rf.channelKeys.length <= MAX_CHANNELS_BY_ID
      ? (await readChannelsDays(store, rf.channelKeys)).filter((d) => dayCoverage(d.day, f.from, f.to) !== 'out')
      : bounded && bounded.length <= MAX_DAYS_BY_ID
        ? await readDays(store, bounded, view)
        : (await readAllDays(store, view)).filter((d) => dayCoverage(d.day, f.from, f.to) !== 'out');
  const counted: DaySummaries[] = [];
  for (const d of days) {
    if (dayCoverage(d.day, f.from, f.to) === 'full') {
      counted.push(d);
      continue;
    }
    const channels = view === 'channels' || rf.channelKeys ? d.channels : ((await readDays(store, [d.day], 'channels'))[0]?.channels ?? []);
    const keys = channels.filter((s) => summaryMayMatch(s, rf)).map((s) => s.k);
    const details = await readChannelDayEntries(store, d.day, keys);
    counted.push({ day: d.day, channels: details.map((c) => summarize(c.channelKey, entriesWithin(c.entries, f.from, f.to))) });
  }
  return countPosts(counted, period, by, rf);
}

/** Longest closed range read day by day by `_id`; longer ranges read the whole day collection once. */
const MAX_DAYS_BY_ID = 400;
/** Up to this many channels asked for, their per-channel rollup documents are read instead of the days. */
const MAX_CHANNELS_BY_ID = 50;

/**
 * The same counts straight from `posts` (a `$group` over every matching post: a full scan on FerretDB). Used until
 * the rollups are built, and by tests and the history bench as the reference.
 */
export async function postsPerScan(
  store: Store,
  period: Period,
  by: PostsBy,
  f: TimelineFilter = {},
): Promise<Array<{ period: string; key: string; posts: number }>> {
  // Tags: group by the whole tag array and split in TypeScript ($unwind followed by dotted paths is not portable:
  // FerretDB 1.24 loses `$buckets.*` after an $unwind).
  const field = by === 'channel' ? '$channelKey' : by === 'lang' ? '$lang' : by === 'tag' ? '$tags' : 'all';
  const rows = await store.posts
    .aggregate<{ _id: { p: string; k: string | string[] }; n: number }>([
      { $match: await buildMongoFilter(store, f, POST_CAPS, 'posts') },
      { $group: { _id: { p: `$buckets.${period}`, k: field }, n: { $sum: 1 } } },
    ])
    .toArray();
  const counts = new Map<string, { period: string; key: string; posts: number }>();
  for (const r of rows) {
    const keys = Array.isArray(r._id.k) ? r._id.k : [String(r._id.k)];
    // a post with tags [a, b] counts once for a and once for b; a tag filter keeps only the asked-for tags
    const wanted =
      by === 'tag' && f.tags?.length ? [...new Set(keys)].filter((k) => f.tags?.includes(k)) : by === 'tag' ? [...new Set(keys)] : keys.slice(0, 1);
    for (const key of wanted) {
      const id = `${r._id.p}\u0000${key}`;
      const cur = counts.get(id) ?? { period: r._id.p, key, posts: 0 };
      cur.posts += r.n;
      counts.set(id, cur);
    }
  }
  return [...counts.values()].sort((a, b) => byCode(a.period, b.period) || byCode(a.key, b.key));
}

export const TREND_EVENT_TYPES: EventDoc['type'][] = ['first_seen', 'removed', 'resurfaced'];

/** Channel events per day or ISO week: first_seen (new channels), removed (takedowns), resurfaced by default. */
export async function eventsPer(
  store: Store,
  period: Period,
  f: TimelineFilter = {},
  types: EventDoc['type'][] = TREND_EVENT_TYPES,
): Promise<Array<{ period: string; type: string; count: number }>> {
  const match = and({ type: { $in: types } }, await buildMongoFilter(store, f, EVENT_CAPS, 'channel events'));
  const rows = await store.events
    .aggregate<{ _id: { w: string; t: string }; n: number }>([{ $match: match }, { $group: { _id: { w: `$buckets.${period}`, t: '$type' }, n: { $sum: 1 } } }])
    .toArray();
  return rows.map((r) => ({ period: r._id.w, type: r._id.t, count: r.n })).sort((a, b) => byCode(a.period, b.period) || byCode(a.type, b.type));
}

/** Channel events per ISO week (new channels, takedowns, resurfacings). */
export async function eventsPerWeek(
  store: Store,
  types: EventDoc['type'][] = TREND_EVENT_TYPES,
  f: TimelineFilter = {},
): Promise<Array<{ week: string; type: string; count: number }>> {
  return (await eventsPer(store, 'week', f, types)).map((r) => ({ week: r.period, type: r.type, count: r.count }));
}

async function eventData(store: Store, type: EventDoc['type'], f: TimelineFilter): Promise<Array<Record<string, unknown>>> {
  const match = and({ type }, await buildMongoFilter(store, f, EVENT_CAPS, 'channel events'));
  return (await store.events.find(match, { projection: { data: 1 } }).toArray()).map((e) => e.data ?? {});
}

/** Distribution of time-to-takedown (first seen → removed), in hours. */
export async function timeToTakedown(store: Store, f: TimelineFilter = {}): Promise<Distribution> {
  const data = await eventData(store, 'removed', f);
  return distribution(
    data
      .map((d) => d.timeToTakedownMs)
      .filter((v): v is number => typeof v === 'number')
      .map((ms) => ms / 3600_000),
  );
}

/** Distribution of the resurfacing delay (removed → successor's first post), in hours. */
export async function resurfacingDelay(store: Store, f: TimelineFilter = {}): Promise<Distribution> {
  const data = await eventData(store, 'resurfaced', f);
  return distribution(
    data
      .map((d) => d.delayMs)
      .filter((v): v is number => typeof v === 'number')
      .map((ms) => ms / 3600_000),
  );
}

export interface HydraIndex {
  takedowns: number;
  successors: number;
  successorsPerTakedown: number;
  /** Takedowns that got at least one successor. */
  resurfacedTakedowns: number;
  chainLengths: Distribution;
}

/** The "hydra index": successors per takedown, and the length of lineage chains (A → A2 → A3 is 3). */
export async function hydraIndex(store: Store, f: TimelineFilter = {}): Promise<HydraIndex> {
  const removed = await eventData(store, 'removed', f);
  const res = await eventData(store, 'resurfaced', f);
  const takedowns = removed.length;
  // a chain is identified by its root; its length is the longest lineage seen for that root
  const longest = new Map<string, number>();
  const preds = new Set<string>();
  for (const d of res) {
    const lineage = Array.isArray(d.lineage) ? (d.lineage as string[]) : [];
    const root = lineage[0];
    if (root) longest.set(root, Math.max(longest.get(root) ?? 0, lineage.length));
    if (typeof d.predecessor === 'string') preds.add(d.predecessor);
  }
  return {
    takedowns,
    successors: res.length,
    successorsPerTakedown: takedowns ? res.length / takedowns : 0,
    resurfacedTakedowns: preds.size,
    chainLengths: distribution([...longest.values()]),
  };
}

export interface SpreadPoint {
  period: string;
  sightings: number;
  /** Channels seen with the cluster for the first time in this period. */
  newChannels: number;
  /** Distinct channels up to and including this period. */
  channels: number;
  /** Sightings in this period that came after the origin channel's removal. */
  afterTakedown: number;
}

/**
 * Pure: per-cluster spread over time from (cluster, period, channel, after-takedown) counts.
 */
export function spreadSeries(
  rows: Array<{ clusterId: string; period: string; channelKey: string; afterTakedown: boolean; n: number }>,
): Map<string, SpreadPoint[]> {
  // grouped once by cluster, then by period (linear: a busy cluster has thousands of rows over hundreds of periods)
  const byCluster = new Map<string, Map<string, typeof rows>>();
  for (const r of rows) {
    let periods = byCluster.get(r.clusterId);
    if (!periods) byCluster.set(r.clusterId, (periods = new Map()));
    const inP = periods.get(r.period);
    if (inP) inP.push(r);
    else periods.set(r.period, [r]);
  }
  const out = new Map<string, SpreadPoint[]>();
  for (const [c, byPeriod] of byCluster) {
    const periods = [...byPeriod.keys()].sort();
    const seen = new Set<string>();
    const series: SpreadPoint[] = [];
    for (const p of periods) {
      const inP = byPeriod.get(p) ?? [];
      const fresh = new Set(inP.map((r) => r.channelKey).filter((ch) => !seen.has(ch)));
      fresh.forEach((ch) => seen.add(ch));
      series.push({
        period: p,
        sightings: inP.reduce((a, r) => a + r.n, 0),
        newChannels: fresh.size,
        channels: seen.size,
        afterTakedown: inP.filter((r) => r.afterTakedown).reduce((a, r) => a + r.n, 0),
      });
    }
    out.set(c, series);
  }
  return out;
}

/** Reads every rollup day document once through the per-process cache (the API does it at start, in the background). */
export async function warmTrendCaches(store: Store): Promise<void> {
  if (await rollupsReady(store)) await readAllDays(store, 'channels');
  if (await sightingRollupsReady(store)) await readSightingRows(store);
}

/**
 * Media spread: channels per cluster over time and re-uploads after takedown, for the given or the top clusters.
 * Reads the sighting rollups (one document per day) once they exist; the figures are those of `sightings`.
 */
export async function mediaSpread(
  store: Store,
  period: Period,
  f: TimelineFilter = {},
  opts: { clusters?: string[]; top?: number } = {},
): Promise<Array<ClusterStats & { series: SpreadPoint[] }>> {
  if (!(await sightingRollupsReady(store))) return mediaSpreadScan(store, period, f, opts);
  const sf = await sightingFilter(store, f);
  const rows = await readSightingRows(store);
  let stats: ClusterStats[];
  if (opts.clusters?.length) {
    const figs = clusterFigures(rows, opts.clusters);
    stats = opts.clusters.map((c) => figs.get(c)).filter((s): s is ClusterStats => !!s);
  } else stats = await topFrom(store, rows, sf, opts.top ?? 10);
  if (!stats.length) return [];
  const series = spreadSeries(
    spreadCounts(
      filterSightings(rows, sf),
      stats.map((s) => s.clusterId),
      period,
    ),
  );
  return stats.map((s) => ({ ...s, series: series.get(s.clusterId) ?? [] }));
}

/** Clusters seen in the most channels (ties: most sightings), within the filter; reads the sighting rollups. */
export async function topClusters(
  store: Store,
  limit: number,
  f: TimelineFilter = {},
): Promise<Array<ClusterStats & { kind?: string; originChannelKey?: string }>> {
  if (!(await sightingRollupsReady(store))) return topClustersScan(store, limit, f);
  return topFrom(store, await readSightingRows(store), await sightingFilter(store, f), limit);
}

async function topFrom(
  store: Store,
  rows: SightingRow[],
  sf: SightingFilter,
  limit: number,
): Promise<Array<ClusterStats & { kind?: string; originChannelKey?: string }>> {
  const top = rankClusters(filterSightings(rows, sf), limit);
  const figs = clusterFigures(rows, top);
  const out: Array<ClusterStats & { kind?: string; originChannelKey?: string }> = [];
  for (const id of top) {
    const s = figs.get(id);
    const doc = await store.clusters.findOne({ _id: id });
    if (s) out.push({ ...s, ...(doc ? { kind: doc.kind, originChannelKey: doc.originChannelKey } : {}) });
  }
  return out;
}

/** The filter as buildMongoFilter applies it to sightings (tags → source ids; no language), for the rollup rows. */
async function sightingFilter(store: Store, f: TimelineFilter): Promise<SightingFilter> {
  if (f.langs?.length) throw new QueryInputError('lang: sightings have no language; the lang filter applies to posts');
  let sourceIds = f.sourceIds;
  if (f.tags?.length) {
    const byTag = await sourceIdsForTags(store, f.tags);
    sourceIds = sourceIds ? sourceIds.filter((s) => byTag.includes(s)) : byTag;
  }
  return {
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(sourceIds ? { sourceIds } : {}),
    ...(f.channels?.length ? { channelKeys: await resolveChannels(store, f.channels) } : {}),
  };
}

/** mediaSpread straight from `sightings` (groups over every matching sighting): until the sighting rollups exist. */
async function mediaSpreadScan(
  store: Store,
  period: Period,
  f: TimelineFilter = {},
  opts: { clusters?: string[]; top?: number } = {},
): Promise<Array<ClusterStats & { series: SpreadPoint[] }>> {
  const stats: ClusterStats[] = [];
  if (opts.clusters?.length) {
    for (const c of opts.clusters) {
      const s = await clusterStats(store, c);
      if (s) stats.push(s);
    }
  } else stats.push(...(await topClustersScan(store, opts.top ?? 10, f)));
  if (!stats.length) return [];
  const match = and({ clusterId: { $in: stats.map((s) => s.clusterId) } }, await buildMongoFilter(store, f, SIGHTING_CAPS, 'sightings'));
  const rows = await store.sightings
    .aggregate<{ _id: { c: string; p: string; ch: string; a: boolean }; n: number }>([
      { $match: match },
      { $group: { _id: { c: '$clusterId', p: `$buckets.${period}`, ch: '$channelKey', a: '$afterOriginRemoved' }, n: { $sum: 1 } } },
    ])
    .toArray();
  const series = spreadSeries(rows.map((r) => ({ clusterId: r._id.c, period: r._id.p, channelKey: r._id.ch, afterTakedown: r._id.a === true, n: r.n })));
  return stats.map((s) => ({ ...s, series: series.get(s.clusterId) ?? [] }));
}

/** topClusters straight from `sightings`: until the sighting rollups exist. */
async function topClustersScan(
  store: Store,
  limit: number,
  f: TimelineFilter = {},
): Promise<Array<ClusterStats & { kind?: string; originChannelKey?: string }>> {
  const match = await buildMongoFilter(store, f, SIGHTING_CAPS, 'sightings');
  const perPair = await store.sightings
    .aggregate<{ _id: { c: string; ch: string }; n: number }>([{ $match: match }, { $group: { _id: { c: '$clusterId', ch: '$channelKey' }, n: { $sum: 1 } } }])
    .toArray();
  const channels = new Map<string, number>();
  const sightings = new Map<string, number>();
  for (const r of perPair) {
    channels.set(r._id.c, (channels.get(r._id.c) ?? 0) + 1);
    sightings.set(r._id.c, (sightings.get(r._id.c) ?? 0) + r.n);
  }
  const top = [...channels.keys()]
    .sort((a, b) => (channels.get(b) ?? 0) - (channels.get(a) ?? 0) || (sightings.get(b) ?? 0) - (sightings.get(a) ?? 0) || byCode(a, b))
    .slice(0, limit);
  const out: Array<ClusterStats & { kind?: string; originChannelKey?: string }> = [];
  for (const id of top) {
    const s = await clusterStats(store, id);
    const doc = await store.clusters.findOne({ _id: id });
    if (s) out.push({ ...s, ...(doc ? { kind: doc.kind, originChannelKey: doc.originChannelKey } : {}) });
  }
  return out;
}

export interface ChannelTimeline {
  channelKey: string;
  postsPerDay: Array<{ day: string; posts: number }>;
  /** Lifecycle markers: first seen, removed, restored, renamed, resurfaced (as successor or predecessor). */
  markers: Array<{ at: Date; type: string; channelKey: string; data: Record<string, unknown> }>;
}

/** One channel's posts per day with its lifecycle markers (takedown, resurfacing) for the dashboard. */
export async function channelTimeline(store: Store, channelKey: string, f: TimelineFilter = {}): Promise<ChannelTimeline> {
  const perDay = await postsPer(store, 'day', 'total', { ...f, channels: [channelKey] });
  const range = await buildMongoFilter(store, { ...(f.from ? { from: f.from } : {}), ...(f.to ? { to: f.to } : {}) }, EVENT_CAPS, 'channel events');
  const own = await store.events.find(and({ channelKey }, range)).sort({ at: 1 }).toArray();
  // successors of this channel carry their own key; the marker belongs on the predecessor's timeline too
  const succ = await store.events
    .find(and({ type: 'resurfaced', 'data.predecessor': channelKey }, range))
    .sort({ at: 1 })
    .toArray();
  const markers = [...own, ...succ]
    .filter((e) => e.type !== 'crawl_failed')
    .map((e) => ({ at: e.at, type: e.type, channelKey: e.channelKey, data: e.data ?? {} }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  return { channelKey, postsPerDay: perDay.map((r) => ({ day: r.period, posts: r.posts })), markers };
}
