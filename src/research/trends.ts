import type { Filter } from 'mongodb';
import type { Store } from '../store/store';
import type { EventDoc, PostDoc } from '../store/types';
import { distribution, type Distribution } from './percentiles';

/**
 * Researcher trend queries on the portable subset: precomputed buckets, $match + $group with $sum only,
 * percentiles in TypeScript. Work the same on MongoDB 7 and FerretDB.
 */
export interface TrendFilter {
  from?: Date;
  to?: Date;
  tags?: string[];
  lang?: string;
  sourceIds?: string[];
  channelKeys?: string[];
}

function postMatch(f: TrendFilter): Filter<PostDoc> {
  const m: Filter<PostDoc> = {};
  if (f.from || f.to) m['buckets.day'] = { ...(f.from ? { $gte: f.from.toISOString().slice(0, 10) } : {}), ...(f.to ? { $lte: f.to.toISOString().slice(0, 10) } : {}) };
  if (f.tags?.length) m.tags = { $in: f.tags };
  if (f.lang) m.lang = f.lang;
  if (f.sourceIds?.length) m.sourceId = { $in: f.sourceIds };
  if (f.channelKeys?.length) m.channelKey = { $in: f.channelKeys };
  return m;
}

export type PostsBy = 'channel' | 'tag' | 'lang' | 'total';

/** Posts per day or ISO week, split by channel, tag or language. */
export async function postsPer(store: Store, period: 'day' | 'week', by: PostsBy, f: TrendFilter = {}): Promise<Array<{ period: string; key: string; posts: number }>> {
  // Tags: group by the whole tag array and split in TypeScript ($unwind followed by dotted paths is not portable:
  // FerretDB 1.24 loses `$buckets.*` after an $unwind).
  const field = by === 'channel' ? '$channelKey' : by === 'lang' ? '$lang' : by === 'tag' ? '$tags' : 'all';
  const rows = await store.posts
    .aggregate<{ _id: { p: string; k: string | string[] }; n: number }>([{ $match: postMatch(f) }, { $group: { _id: { p: `$buckets.${period}`, k: field }, n: { $sum: 1 } } }])
    .toArray();
  const counts = new Map<string, { period: string; key: string; posts: number }>();
  for (const r of rows) {
    const keys = Array.isArray(r._id.k) ? r._id.k : [String(r._id.k)];
    for (const key of by === 'tag' ? [...new Set(keys)] : keys.slice(0, 1)) {
      const id = `${r._id.p}\u0000${key}`;
      const cur = counts.get(id) ?? { period: r._id.p, key, posts: 0 };
      cur.posts += r.n;
      counts.set(id, cur);
    }
  }
  return [...counts.values()].sort((a, b) => a.period.localeCompare(b.period) || a.key.localeCompare(b.key));
}

/** Channel events per ISO week: first_seen (new channels), removed (takedowns), resurfaced. */
export async function eventsPerWeek(store: Store, types: EventDoc['type'][] = ['first_seen', 'removed', 'resurfaced']): Promise<Array<{ week: string; type: string; count: number }>> {
  const rows = await store.events
    .aggregate<{ _id: { w: string; t: string }; n: number }>([{ $match: { type: { $in: types } } }, { $group: { _id: { w: '$buckets.week', t: '$type' }, n: { $sum: 1 } } }])
    .toArray();
  return rows.map((r) => ({ week: r._id.w, type: r._id.t, count: r.n })).sort((a, b) => a.week.localeCompare(b.week) || a.type.localeCompare(b.type));
}

/** Distribution of time-to-takedown (first seen → removed), in hours. */
export async function timeToTakedown(store: Store): Promise<Distribution> {
  const ev = await store.events.find({ type: 'removed' }, { projection: { data: 1 } }).toArray();
  return distribution(ev.map((e) => e.data.timeToTakedownMs).filter((v): v is number => typeof v === 'number').map((ms) => ms / 3600_000));
}

/** Distribution of the resurfacing delay (removed → successor's first post), in hours. */
export async function resurfacingDelay(store: Store): Promise<Distribution> {
  const ev = await store.events.find({ type: 'resurfaced' }, { projection: { data: 1 } }).toArray();
  return distribution(ev.map((e) => e.data.delayMs).filter((v): v is number => typeof v === 'number').map((ms) => ms / 3600_000));
}

/** The "hydra index": successors per takedown, and the length of lineage chains (A → A2 → A3 is 3). */
export async function hydraIndex(store: Store): Promise<{ takedowns: number; successors: number; successorsPerTakedown: number; chainLengths: Distribution }> {
  const takedowns = await store.events.countDocuments({ type: 'removed' });
  const res = await store.events.find({ type: 'resurfaced' }, { projection: { data: 1 } }).toArray();
  // a chain is identified by its root; its length is the longest lineage seen for that root
  const longest = new Map<string, number>();
  for (const e of res) {
    const lineage = Array.isArray(e.data.lineage) ? (e.data.lineage as string[]) : [];
    const root = lineage[0];
    if (root) longest.set(root, Math.max(longest.get(root) ?? 0, lineage.length));
  }
  return { takedowns, successors: res.length, successorsPerTakedown: takedowns ? res.length / takedowns : 0, chainLengths: distribution([...longest.values()]) };
}
