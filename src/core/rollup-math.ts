import { isoWeek } from './time-buckets';
import { byCode } from './compare';

/**
 * Pure rollup math for the post trend counts (the IO shell is store/post-rollups.ts).
 *
 * Two levels, both recomputed by key (no shared counter):
 * - a channel-day document lists its posts, `p: { <postId>: PostEntry }` (an idempotent `$set` per post);
 * - a day document holds one summary per channel, `c: { <channel>: ChannelDaySummary }`, recomputed from the
 *   channel-day document whenever it changes.
 * A trend query reads the day documents of its range and counts in TypeScript, with the same output as the raw
 * `$group` on posts.
 */

/**
 * What a post contributes to the counts: [lang, sourceId, at (epoch ms), ...tags (sorted, unique)]. Flat: FerretDB
 * stores no nested arrays.
 */
export type PostEntry = [lang: string, sourceId: string, atMs: number, ...tags: string[]];

/** Posts of one channel on one day with the same source and tags, counted per language. */
export interface RollupGroup {
  /** Source id. */
  s: string;
  /** Tags, sorted and unique. */
  t: string[];
  /** Posts per language (keys encoded with encodeKey). */
  l: Record<string, number>;
}

export interface ChannelDaySummary {
  /** Channel key (not encoded). */
  k: string;
  g: RollupGroup[];
}

export interface DaySummaries {
  day: string;
  channels: ChannelDaySummary[];
}

export interface RollupInput {
  channelKey: string;
  postId: string;
  sourceId: string;
  tags: string[];
  lang: string;
  at: Date;
  buckets: { day: string };
}

/** The counting filter once channel handles are resolved. */
export interface RollupFilter {
  channelKeys?: string[];
  sourceIds?: string[];
  tags?: string[];
  langs?: string[];
}

export type Period = 'day' | 'week';
export type PostsBy = 'channel' | 'tag' | 'lang' | 'total';
export interface PostsRow {
  period: string;
  key: string;
  posts: number;
}

/**
 * A string as a MongoDB field name: `.` and `$` cannot appear in it (nor `%`, the escape itself). Reversible; plain
 * keys like `tg:123` or `eng` stay as they are.
 */
export function encodeKey(s: string): string {
  return s.replace(/[%.$]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function decodeKey(s: string): string {
  return s.replace(/%(25|2E|24)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export const dayDocId = (day: string): string => `pd:${day}`;
export const channelDayDocId = (day: string, channelKey: string): string => `pdc:${day}:${channelKey}`;
export const ROLLUP_MARKER_ID = 'meta:post-rollups';

export function entryOf(p: RollupInput): PostEntry {
  return [String(p.lang), p.sourceId, p.at.getTime(), ...[...new Set(p.tags ?? [])].sort(byCode)];
}

export function sameEntry(a: PostEntry | undefined, b: PostEntry): boolean {
  return !!a && a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Posts grouped by (day, channel): the unit one writer recounts. */
export function groupByChannelDay<P extends RollupInput>(posts: P[]): Map<string, { day: string; channelKey: string; entries: Map<string, PostEntry> }> {
  const out = new Map<string, { day: string; channelKey: string; entries: Map<string, PostEntry> }>();
  for (const p of posts) {
    const id = channelDayDocId(p.buckets.day, p.channelKey);
    let g = out.get(id);
    if (!g) {
      g = { day: p.buckets.day, channelKey: p.channelKey, entries: new Map() };
      out.set(id, g);
    }
    g.entries.set(p.postId, entryOf(p));
  }
  return out;
}

/** Recount one channel's day from its post entries (deterministic order, so equal inputs give equal JSON). */
export function summarize(channelKey: string, entries: Iterable<PostEntry>): ChannelDaySummary {
  const groups = new Map<string, RollupGroup>();
  for (const [lang, s, , ...t] of entries) {
    const id = JSON.stringify([s, t]);
    let g = groups.get(id);
    if (!g) {
      g = { s, t, l: {} };
      groups.set(id, g);
    }
    const l = encodeKey(lang);
    g.l[l] = (g.l[l] ?? 0) + 1;
  }
  const g = [...groups.entries()]
    .sort((a, b) => byCode(a[0], b[0]))
    .map(([, v]) => ({ ...v, l: Object.fromEntries(Object.entries(v.l).sort((a, b) => byCode(a[0], b[0]))) }));
  return { k: channelKey, g };
}

export function summaryKey(s: ChannelDaySummary): string {
  return JSON.stringify(s);
}

/**
 * A day document's channel summaries are kept as one JSON string, `{ <channelKey>: ChannelDaySummary }`: FerretDB
 * decodes one long string far faster than a document with a field per channel (seconds per read at 1,000 channels).
 */
export function parseDay(json: string | undefined): ChannelDaySummary[] {
  return json ? Object.values(JSON.parse(json) as Record<string, ChannelDaySummary>) : [];
}

/**
 * All channels of a day in one summary (key `*`), grouped by tags only: enough for the counts per total, tag or
 * language without a channel or source filter, at a fraction of the reading cost of every channel's summary.
 */
export function aggregateDay(summaries: Iterable<ChannelDaySummary>): ChannelDaySummary {
  const groups = new Map<string, RollupGroup>();
  for (const s of summaries)
    for (const g of s.g) {
      const id = JSON.stringify(g.t);
      let a = groups.get(id);
      if (!a) groups.set(id, (a = { s: '*', t: g.t, l: {} }));
      for (const [lang, n] of Object.entries(g.l)) a.l[lang] = (a.l[lang] ?? 0) + n;
    }
  return { k: '*', g: [...groups.entries()].sort((a, b) => byCode(a[0], b[0])).map(([, g]) => g) };
}

/** The day's JSON with these channels' summaries replaced (others kept), channels in code order. */
export function mergeDay(json: string | undefined, summaries: Iterable<ChannelDaySummary>): string {
  const m = new Map(parseDay(json).map((s) => [s.k, s]));
  for (const s of summaries) m.set(s.k, s);
  return JSON.stringify(Object.fromEntries([...m.entries()].sort((a, b) => byCode(a[0], b[0]))));
}

/** Where a UTC day stands against [from, to): wholly inside, partly inside, or outside. */
export function dayCoverage(day: string, from?: Date, to?: Date): 'full' | 'partial' | 'out' {
  const start = Date.parse(`${day}T00:00:00Z`);
  const end = start + 86400_000;
  const lo = from ? from.getTime() : -Infinity;
  const hi = to ? to.getTime() : Infinity;
  if (end <= lo || start >= hi) return 'out';
  return start >= lo && end <= hi ? 'full' : 'partial';
}

/** The UTC days that [from, to) touches, in order (both bounds required). */
export function daysBetween(from: Date, to: Date): string[] {
  const out: string[] = [];
  const last = new Date(to.getTime() - 1).toISOString().slice(0, 10);
  for (let t = Date.parse(`${from.toISOString().slice(0, 10)}T00:00:00Z`); ; t += 86400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (d > last) break;
    out.push(d);
  }
  return out;
}

/** The entries of a partial day that fall within [from, to). */
export function entriesWithin(entries: Iterable<PostEntry>, from?: Date, to?: Date): PostEntry[] {
  const lo = from ? from.getTime() : -Infinity;
  const hi = to ? to.getTime() : Infinity;
  return [...entries].filter((e) => e[2] >= lo && e[2] < hi);
}

/** Does the channel-day summary have any group the filter can keep (used to skip reading partial-day details)? */
export function summaryMayMatch(s: ChannelDaySummary, f: RollupFilter): boolean {
  if (f.channelKeys && !f.channelKeys.includes(s.k)) return false;
  return s.g.some((g) => groupMatches(g, f));
}

function groupMatches(g: RollupGroup, f: RollupFilter): boolean {
  if (f.sourceIds && !f.sourceIds.includes(g.s)) return false;
  if (f.tags && !g.t.some((t) => f.tags?.includes(t))) return false;
  return true;
}

const weekOfDay = new Map<string, string>();
function periodOf(day: string, period: Period): string {
  if (period === 'day') return day;
  let w = weekOfDay.get(day);
  if (!w) {
    w = isoWeek(new Date(`${day}T00:00:00Z`));
    weekOfDay.set(day, w);
  }
  return w;
}

/**
 * Posts per period and key from day summaries: the same rows, in the same order, as the `$group` on posts
 * (a post with tags [a, b] counts once for a and once for b; a tag filter keeps only the asked-for tags).
 */
export function countPosts(days: Iterable<DaySummaries>, period: Period, by: PostsBy, f: RollupFilter): PostsRow[] {
  // a map of rows per period (no string built per count: a year of a thousand channels is ~10^6 additions)
  const byPeriod = new Map<string, Map<string, PostsRow>>();
  const langs = f.langs ? new Set(f.langs.map(encodeKey)) : undefined;
  const channelKeys = f.channelKeys ? new Set(f.channelKeys) : undefined;
  const tags = f.tags ? new Set(f.tags) : undefined;
  const add = (rows: Map<string, PostsRow>, p: string, key: string, n: number): void => {
    const cur = rows.get(key);
    if (cur) cur.posts += n;
    else rows.set(key, { period: p, key, posts: n });
  };
  for (const d of days) {
    const p = periodOf(d.day, period);
    let rows = byPeriod.get(p);
    if (!rows) byPeriod.set(p, (rows = new Map()));
    for (const s of d.channels) {
      if (channelKeys && !channelKeys.has(s.k)) continue;
      for (const g of s.g) {
        if (!groupMatches(g, f)) continue;
        for (const lang in g.l) {
          if (langs && !langs.has(lang)) continue;
          const n = g.l[lang] as number;
          if (by === 'channel') add(rows, p, s.k, n);
          else if (by === 'lang') add(rows, p, decodeKey(lang), n);
          else if (by === 'total') add(rows, p, 'all', n);
          else for (const t of g.t) if (!tags || tags.has(t)) add(rows, p, t, n);
        }
      }
    }
  }
  const out: PostsRow[] = [];
  for (const p of [...byPeriod.keys()].sort(byCode)) {
    const rows = byPeriod.get(p) as Map<string, PostsRow>;
    for (const k of [...rows.keys()].sort(byCode)) out.push(rows.get(k) as PostsRow);
  }
  return out;
}
