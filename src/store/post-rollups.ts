import { collectionOf } from './db-handle';
import { POST_CHANNEL_ROLLUPS, POST_DAY_CHANNELS, POST_ROLLUPS } from './repos/rollups';
import { retryUpsert } from './capped-set';
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { isoWeek } from '../core/time-buckets';
import {
  ROLLUP_MARKER_ID,
  channelDayDocId,
  dayDocId,
  encodeKey,
  aggregateDay,
  groupByChannelDay,
  mergeDay,
  parseDay,
  sameEntry,
  summarize,
  summaryKey,
  type ChannelDaySummary,
  type DaySummaries,
  type PostEntry,
  type RollupInput,
} from '../core/rollup-math';
import { withLease } from './rollup-lock';
import { bumpDayDocVersion, dayDocCache } from './day-doc-cache';
import type { Store } from './store';
import { bulkWriteChunked, insertManyChunked } from './bulk';

/**
 * Post rollups for the trend routes (IO shell; the math is core/rollup-math.ts).
 *
 * Collections:
 * - `post_day_channels`, `_id: pdc:<day>:<channelKey>`: `p: { <postId>: [lang, sourceId, tags, atMs] }`, one field
 *   per post set idempotently, and `pushed`, the summary last copied into the day document;
 * - `post_rollups`, `_id: pd:<day>`: `c` = the JSON string of `{ <channelKey>: {k, g: [{s, t, l: {<lang>: n}}]} }`,
 *   one summary per channel recounted from its channel-day document (one string, not a field per channel: FerretDB
 *   decodes a long string far faster than a document with a thousand fields); plus the marker `meta:post-rollups` once the rollups cover
 *   every stored post (written by a rebuild, or when the first start finds no post);
 * - `post_channel_rollups`, `_id: pch:<channelKey>`: the same summaries per channel, `d` = JSON of
 *   `{ <day>: summary }`, for questions about a few channels (a channel's timeline) without reading every day.
 * Writers of one day document take turns under the day's lease, and of one channel document under the channel's
 * (store/rollup-lock.ts; always day, then channel).
 * Every read and write here is by `_id`.
 */

export interface PostDayChannelDoc {
  _id: string;
  day: string;
  k: string;
  p: Record<string, PostEntry>;
  /** summaryKey() of the summary last written to the day document (absent: never). */
  pushed?: string;
}

export interface PostDayDoc {
  _id: string;
  day: string;
  week: string;
  /** JSON of { <channelKey>: ChannelDaySummary } (see mergeDay). */
  c: string;
  /** JSON of aggregateDay(all channels): what the counts without a channel or source filter read. */
  a?: string;
}

export interface RollupMarkerDoc {
  _id: string;
  complete: true;
  at: Date;
  posts: number;
  how: 'rebuild' | 'empty';
}

type RollupDoc = PostDayDoc | RollupMarkerDoc;

export function rollupCollections(store: Store): {
  days: Collection<RollupDoc>;
  channelDays: Collection<PostDayChannelDoc>;
  channels: Collection<PostChannelDoc>;
} {
  return {
    days: collectionOf<RollupDoc>(store, POST_ROLLUPS),
    channelDays: collectionOf<PostDayChannelDoc>(store, POST_DAY_CHANNELS),
    channels: collectionOf<PostChannelDoc>(store, POST_CHANNEL_ROLLUPS),
  };
}

/** `pch:<channelKey>`: that channel's summary per day, as one JSON string `{ <day>: ChannelDaySummary }`. */
export interface PostChannelDoc {
  _id: string;
  k: string;
  d: string;
}

const channelDocId = (channelKey: string): string => `pch:${channelKey}`;

/** Sets these days' summaries in the channel's document (under the channel's lease: days of one channel may be written at once). */
async function mergeChannel(store: Store, channelKey: string, byDay: Map<string, ChannelDaySummary>): Promise<void> {
  const { channels } = rollupCollections(store);
  const _id = channelDocId(channelKey);
  await withLease(store, _id, async () => {
    const cur = await channels.findOne({ _id });
    const d = cur?.d ? (JSON.parse(cur.d) as Record<string, ChannelDaySummary>) : {};
    for (const [day, s] of byDay) d[day] = s;
    await retryUpsert(() => channels.updateOne({ _id }, { $set: { k: channelKey, d: JSON.stringify(d) } }, { upsert: true }));
  });
}

/** The day summaries of some channels (one read by `_id` per channel), as day summaries restricted to them. */
export async function readChannelsDays(store: Store, channelKeys: string[]): Promise<DaySummaries[]> {
  const { channels } = rollupCollections(store);
  const byDay = new Map<string, ChannelDaySummary[]>();
  for (const k of [...new Set(channelKeys)]) {
    const doc = await channels.findOne({ _id: channelDocId(k) });
    if (!doc?.d) continue;
    for (const [day, s] of Object.entries(JSON.parse(doc.d) as Record<string, ChannelDaySummary>)) byDay.set(day, [...(byDay.get(day) ?? []), s]);
  }
  return [...byDay.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([day, chans]) => ({ day, channels: chans }));
}

/**
 * Call after the posts are upserted (`upsertPosts`). Idempotent: a retried call after a crash, or a call with posts
 * already counted, gives the same counts; a channel-day whose posts and day summary are already up to date costs one
 * read by `_id`. Safe with other processes writing other channels (or days) at the same time.
 */
export async function recordPostRollups(store: Store, posts: RollupInput[]): Promise<void> {
  const { channelDays } = rollupCollections(store);
  for (const [id, g] of groupByChannelDay(posts)) {
    const cur = await channelDays.findOne({ _id: id });
    const fresh = [...g.entries].filter(([pid, e]) => !sameEntry(cur?.p?.[encodeKey(pid)], e));
    if (cur && !fresh.length && cur.pushed === summaryKey(summarize(g.channelKey, Object.values(cur.p)))) continue;
    await withLease(store, dayDocId(g.day), async () => {
      if (fresh.length) {
        const set: Record<string, unknown> = { day: g.day, k: g.channelKey };
        for (const [pid, e] of fresh) set[`p.${encodeKey(pid)}`] = e;
        await channelDays.updateOne({ _id: id }, { $set: set }, { upsert: true });
      }
      await pushChannelDay(store, id);
    });
  }
}

/** Recount one channel-day into its day document (caller holds the day's lock). */
async function pushChannelDay(store: Store, id: string): Promise<void> {
  const { days, channelDays } = rollupCollections(store);
  const doc = await channelDays.findOne({ _id: id });
  if (!doc) return;
  const s = summarize(doc.k, Object.values(doc.p ?? {}));
  const day = await days.findOne({ _id: dayDocId(doc.day) });
  const c = mergeDay(isDayDoc(day) ? day.c : undefined, [s]);
  await days.updateOne(
    { _id: dayDocId(doc.day) },
    { $set: { day: doc.day, week: weekOf(doc.day), c, a: summaryKey(aggregateDay(parseDay(c))) } },
    { upsert: true },
  );
  await bumpDayDocVersion(store, dayDocId(doc.day)); // before `pushed`: a retry after a crash here bumps it again
  await mergeChannel(store, doc.k, new Map([[doc.day, s]]));
  await channelDays.updateOne({ _id: id }, { $set: { pushed: summaryKey(s) } });
}

const weekOf = (day: string): string => isoWeek(new Date(`${day}T00:00:00Z`));

function isDayDoc(d: RollupDoc | null | undefined): d is PostDayDoc {
  return !!d && d._id.startsWith('pd:');
}

/** What a trend count reads of a day: every channel's summary, or only the all-channel totals. */
export type DayView = 'channels' | 'totals';

function toSummaries(d: PostDayDoc, view: DayView): DaySummaries {
  return { day: d.day, channels: view === 'totals' && d.a ? [JSON.parse(d.a) as ChannelDaySummary] : parseDay(d.c) };
}

/** True once the rollups cover every stored post (the trend queries read them only then). */
export async function rollupsReady(store: Store): Promise<boolean> {
  return (await rollupCollections(store).days.findOne({ _id: ROLLUP_MARKER_ID }, { projection: { _id: 1 } })) !== null;
}

/** A day document, decoded once per version (each view parsed when first asked for). */
interface CachedDay {
  doc: PostDayDoc;
  views: Partial<Record<DayView, DaySummaries>>;
}

function viewOf(d: CachedDay, view: DayView): DaySummaries {
  return (d.views[view] ??= toSummaries(d.doc, view));
}

function dayCache(store: Store) {
  const { days } = rollupCollections(store);
  return dayDocCache<CachedDay>(store, 'pd:', {
    readDoc: async (id) => {
      const doc = await days.findOne({ _id: id });
      return isDayDoc(doc) ? { doc, views: {} } : undefined;
    },
    scanAll: async () => {
      const out = new Map<string, CachedDay>();
      for await (const doc of days.find({})) if (isDayDoc(doc)) out.set(doc._id, { doc, views: {} });
      return out;
    },
  });
}

/** The day documents of these days (read by `_id`, a few at a time). */
export async function readDays(store: Store, dayList: string[], view: DayView = 'channels'): Promise<DaySummaries[]> {
  const cached = await dayCache(store).some(store, dayList.map(dayDocId));
  if (cached)
    return dayList.flatMap((d) => {
      const c = cached.get(dayDocId(d));
      return c ? [viewOf(c, view)] : [];
    });
  const { days } = rollupCollections(store);
  const out: DaySummaries[] = [];
  const width = 8;
  for (let i = 0; i < dayList.length; i += width) {
    const docs = await Promise.all(dayList.slice(i, i + width).map((d) => days.findOne({ _id: dayDocId(d) })));
    for (const d of docs) if (isDayDoc(d)) out.push(toSummaries(d, view));
  }
  return out;
}

/** Every day document (one per day with posts: small next to `posts`). */
export async function readAllDays(store: Store, view: DayView = 'channels'): Promise<DaySummaries[]> {
  const cached = await dayCache(store).all(store);
  if (cached) return [...cached.values()].map((c) => viewOf(c, view)).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const docs = await rollupCollections(store).days.find({}).toArray();
  return docs
    .filter(isDayDoc)
    .map((d) => toSummaries(d, view))
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/** The post entries of some channels on one day (for a day only partly inside a time range). */
export async function readChannelDayEntries(store: Store, day: string, channelKeys: string[]): Promise<Array<{ channelKey: string; entries: PostEntry[] }>> {
  const { channelDays } = rollupCollections(store);
  const out: Array<{ channelKey: string; entries: PostEntry[] }> = [];
  const width = 8;
  for (let i = 0; i < channelKeys.length; i += width) {
    const docs = await Promise.all(channelKeys.slice(i, i + width).map((k) => channelDays.findOne({ _id: channelDayDocId(day, k) })));
    for (const d of docs) if (d) out.push({ channelKey: d.k, entries: Object.values(d.p ?? {}) });
  }
  return out;
}

export interface RebuildReport {
  posts: number;
  days: number;
  channelDays: number;
  ms: number;
}

/**
 * Recomputes every rollup from `posts` (an offline scan of the whole collection: not on any hot path) and then
 * writes the marker. Entries are merged into the channel-day documents, never removed, so posts written by a worker
 * during the rebuild are kept; a day summary those posts miss is fixed by the worker's next write of that
 * channel-day (its `pushed` no longer matches). Memory: one entry per post until the end of the scan.
 */
export async function rebuildPostRollups(store: Store, opts: { log?: (line: string) => void; batch?: number } = {}): Promise<RebuildReport> {
  const cursor = store.posts.find(
    {},
    { projection: { _id: 0, channelKey: 1, postId: 1, sourceId: 1, tags: 1, lang: 1, at: 1, 'buckets.day': 1 }, batchSize: 5000 },
  );
  return rebuildPostRollupsFrom(store, cursor as AsyncIterable<RollupInput>, opts);
}

/** rebuildPostRollups from any stream of posts (the history bench feeds its synthetic posts). */
export async function rebuildPostRollupsFrom(
  store: Store,
  source: AsyncIterable<RollupInput> | Iterable<RollupInput>,
  opts: { log?: (line: string) => void; batch?: number } = {},
): Promise<RebuildReport> {
  const t0 = Date.now();
  const log = opts.log ?? (() => undefined);
  const { days } = rollupCollections(store);
  const byDay = new Map<string, Map<string, Map<string, PostEntry>>>();
  let posts = 0;
  for await (const p of source) {
    const [g] = groupByChannelDay([p]).values();
    if (!g) continue;
    let chans = byDay.get(g.day);
    if (!chans) byDay.set(g.day, (chans = new Map()));
    let entries = chans.get(g.channelKey);
    if (!entries) chans.set(g.channelKey, (entries = new Map()));
    for (const [pid, e] of g.entries) entries.set(pid, e);
    if (++posts % 100_000 === 0) log(`rollups rebuild: read ${posts} posts`);
  }
  log(`rollups rebuild: read ${posts} posts on ${byDay.size} days; writing`);
  const batch = opts.batch ?? 1000;
  let channelDayCount = 0;
  let written = 0;
  for (const [day, chans] of [...byDay.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    await withLease(store, dayDocId(day), async () => {
      const summaries: ChannelDaySummary[] = [];
      const docs: PostDayChannelDoc[] = [];
      for (const [k, entries] of chans) {
        const summary = summarize(k, entries.values());
        summaries.push(summary);
        const key = summaryKey(summary);
        const p: Record<string, PostEntry> = {};
        for (const [pid, e] of entries) p[encodeKey(pid)] = e;
        docs.push({ _id: channelDayDocId(day, k), day, k, p, pushed: key });
      }
      for (let i = 0; i < docs.length; i += batch) await writeChannelDays(store, docs.slice(i, i + batch));
      const cur = await days.findOne({ _id: dayDocId(day) });
      const c = mergeDay(isDayDoc(cur) ? cur.c : undefined, summaries);
      await retryUpsert(() =>
        days.updateOne({ _id: dayDocId(day) }, { $set: { day, week: weekOf(day), c, a: summaryKey(aggregateDay(parseDay(c))) } }, { upsert: true }),
      );
      await bumpDayDocVersion(store, dayDocId(day));
    });
    channelDayCount += chans.size;
    written++;
    if (written % 30 === 0) log(`rollups rebuild: wrote ${written}/${byDay.size} days`);
  }
  const perChannel = new Map<string, Map<string, ChannelDaySummary>>();
  for (const [day, chans] of byDay)
    for (const [k, entries] of chans) {
      let m = perChannel.get(k);
      if (!m) perChannel.set(k, (m = new Map()));
      m.set(day, summarize(k, entries.values()));
    }
  for (const [k, m] of perChannel) await mergeChannel(store, k, m);
  const marker: RollupMarkerDoc = { _id: ROLLUP_MARKER_ID, complete: true, at: new Date(), posts, how: 'rebuild' };
  await retryUpsert(() => days.replaceOne({ _id: ROLLUP_MARKER_ID }, marker, { upsert: true }));
  const report = { posts, days: byDay.size, channelDays: channelDayCount, ms: Date.now() - t0 };
  log(`rollups rebuild: ${posts} posts, ${report.days} days, ${channelDayCount} channel-days in ${(report.ms / 1000).toFixed(1)} s`);
  return report;
}

/**
 * Channel-day documents of a rebuild: inserted in bulk (the usual case: none exists yet); one that exists already
 * (written by a worker meanwhile, or an earlier partial rebuild) gets its entries merged instead.
 */
async function writeChannelDays(store: Store, docs: PostDayChannelDoc[]): Promise<void> {
  const { channelDays } = rollupCollections(store);
  const { duplicates } = await insertManyChunked(channelDays, docs);
  const existing = duplicates.map((i) => docs[i]).filter((d): d is PostDayChannelDoc => !!d);
  if (!existing.length) return;
  const ops: AnyBulkWriteOperation<PostDayChannelDoc>[] = existing.map((d) => {
    const set: Record<string, unknown> = { day: d.day, k: d.k };
    for (const [pid, e] of Object.entries(d.p)) set[`p.${pid}`] = e;
    // the day summary is recounted from the merged entries by the next write of this channel-day
    return { updateOne: { filter: { _id: d._id }, update: { $set: set, $unset: { pushed: '' } }, upsert: true } };
  });
  // chunked: one bulk write of 150 upserts on existing channel-days wedged FerretDB (the second `rollups rebuild`)
  const { duplicates: raced } = await bulkWriteChunked(channelDays, ops);
  if (raced.length)
    await bulkWriteChunked(
      channelDays,
      raced.map((i) => ops[i]).filter((op): op is AnyBulkWriteOperation<PostDayChannelDoc> => !!op),
    );
}

/**
 * Once per database: with no marker, rebuild the rollups from the stored posts, or (no post yet) just write the
 * marker, since every post from now on is counted as it is written. Cheap when the marker exists (one read by `_id`).
 * The runtime calls it (through ensureRollups, store/rollups.ts) after ensureIndexes.
 */
export async function ensurePostRollups(store: Store, log?: (line: string) => void): Promise<'ready' | 'rebuilt' | 'empty'> {
  if (await rollupsReady(store)) return 'ready';
  const anyPost = await store.posts.findOne({}, { projection: { _id: 1 } });
  if (!anyPost) {
    const marker: RollupMarkerDoc = { _id: ROLLUP_MARKER_ID, complete: true, at: new Date(), posts: 0, how: 'empty' };
    await retryUpsert(() => rollupCollections(store).days.replaceOne({ _id: ROLLUP_MARKER_ID }, marker, { upsert: true }));
    return 'empty';
  }
  log?.('post rollups missing: rebuilding them from the stored posts (once)');
  await rebuildPostRollups(store, log ? { log } : {});
  return 'rebuilt';
}
