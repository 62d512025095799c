import { collectionOf } from './db-handle';
import { ROLLUP_VERSIONS } from './repos/rollups';
import { retryUpsert } from './capped-set';
import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { Store } from './store';

/**
 * Versions of the rollup day documents (`pd:<day>` in `post_rollups`, `sd:<day>` in `sighting_rollups`), and a
 * per-process cache of those documents, decoded, that the trend routes read through.
 *
 * A day document is large (every channel's or every sighting's figures of the day); a trend over months reads them
 * all. FerretDB reads a whole document whatever the projection, so reading and decoding them took seconds at 1M posts.
 * Each writer of a day document bumps the day's version in `rollup_versions` (a tiny document, same `_id`) right after
 * it wrote the day, under the day's lease. A reader reads every version (a few hundred tiny documents), then by `_id`
 * only the days whose version moved since it last read them.
 *
 * Why a reader never keeps stale figures: versions are read before the days, and a writer writes the day before its
 * version. A day read in between is newer than the version kept with it, so the next read sees a newer version and
 * reads it again. A writer that dies between the two is retried (its job), and the retry writes both again: the
post rollups mark a channel-day as pushed only after both. Until the marker `meta:versions` says every day document has its version (written once, after
 * versions were given to the days written before this code existed: `ensureDayDocVersions`), readers do not cache.
 */
export interface DayDocVersionDoc {
  _id: string;
  v: string;
}

export const VERSIONS_MARKER_ID = 'meta:versions';

export function dayDocVersions(store: Store): Collection<DayDocVersionDoc> {
  return collectionOf<DayDocVersionDoc>(store, ROLLUP_VERSIONS);
}

/** Call right after writing day document `id` (holding its lease). */
export async function bumpDayDocVersion(store: Store, id: string): Promise<void> {
  await retryUpsert(() => dayDocVersions(store).updateOne({ _id: id }, { $set: { v: randomBytes(8).toString('hex') } }, { upsert: true }));
}

/** Once per database, at start (one read by `_id` when done): versions for day documents written before them. */
export async function ensureDayDocVersions(store: Store, dayCollections: Array<{ ids: () => AsyncIterable<{ _id: string }>; prefix: string }>): Promise<void> {
  const versions = dayDocVersions(store);
  if (await versions.findOne({ _id: VERSIONS_MARKER_ID })) return;
  for (const { ids, prefix } of dayCollections) for await (const d of ids()) if (d._id.startsWith(prefix)) await bumpDayDocVersion(store, d._id);
  await retryUpsert(() => versions.updateOne({ _id: VERSIONS_MARKER_ID }, { $set: { v: 'ready' } }, { upsert: true }));
}

export interface DayDocReaders<T> {
  /** Reads and decodes one day document by `_id` (undefined: not there, or not a day document). */
  readDoc: (id: string) => Promise<T | undefined>;
  /** Reads and decodes every day document in one pass (a cold cache: far cheaper than one read per day). */
  scanAll?: () => Promise<Map<string, T>>;
}

export interface DayDocCacheOptions {
  /**
   * A day kept about this long (±25 %, so that days do not all expire at once) is read again whatever its version:
   * a bound on staleness should a writer ever have died between its day and its version, and its retry not come.
   */
  maxAgeMs?: number;
  /** Days read again for age in one query, at most (the oldest first; the rest at the next queries). */
  ageReadsPerQuery?: number;
  /** More changed days than this in a query for every day: one scan of the collection instead of reads by `_id`. */
  scanAbove?: number;
}

/** The decoded day documents of one kind, for one store, with the version each was read at. */
export class DayDocCache<T> {
  private readonly entries = new Map<string, { v: string; value: T; expires: number }>();
  private readonly maxAgeMs: number;
  private readonly ageReadsPerQuery: number;
  private readonly scanAbove: number;

  constructor(
    private readonly prefix: string,
    private readonly readers: DayDocReaders<T>,
    opts: DayDocCacheOptions = {},
  ) {
    this.maxAgeMs = opts.maxAgeMs ?? 60 * 60_000;
    this.ageReadsPerQuery = opts.ageReadsPerQuery ?? 16;
    this.scanAbove = opts.scanAbove ?? 32;
  }

  /**
   * Every day document of this kind, by `_id`: the versions are read, then the days whose version moved.
   * Undefined until the versions marker exists (the caller then reads the documents itself).
   */
  async all(store: Store): Promise<Map<string, T> | undefined> {
    return this.read(store);
  }

  /** These day documents only (`_id`s), read as `all` reads them: the others are neither read nor dropped. */
  async some(store: Store, ids: readonly string[]): Promise<Map<string, T> | undefined> {
    return this.read(store, new Set(ids));
  }

  private keep(id: string, v: string, value: T | undefined, now: number): void {
    if (value === undefined) this.entries.delete(id);
    else this.entries.set(id, { v, value, expires: now + this.maxAgeMs * (0.75 + Math.random() * 0.5) });
  }

  private async read(store: Store, only?: ReadonlySet<string>): Promise<Map<string, T> | undefined> {
    const versions = await dayDocVersions(store).find({}).toArray();
    if (!versions.some((d) => d._id === VERSIONS_MARKER_ID)) return undefined;
    const current = new Map<string, string>();
    for (const d of versions) if (d._id.startsWith(this.prefix) && (!only || only.has(d._id))) current.set(d._id, d.v);
    if (!only) for (const id of this.entries.keys()) if (!current.has(id)) this.entries.delete(id);
    const now = Date.now();
    const changed: Array<[string, string]> = [];
    const aged: Array<[string, string, number]> = [];
    for (const [id, v] of current) {
      const e = this.entries.get(id);
      if (!e || e.v !== v) changed.push([id, v]);
      else if (now > e.expires) aged.push([id, v, e.expires]);
    }
    aged.sort((a, b) => a[2] - b[2]);
    const toRead: Array<[string, string]> = [...changed, ...aged.slice(0, this.ageReadsPerQuery).map(([id, v]): [string, string] => [id, v])];
    if (!only && this.readers.scanAll && changed.length > this.scanAbove) {
      // a cold cache: one pass over the collection (days written after the versions were read are newer: safe)
      const all = await this.readers.scanAll();
      for (const [id, v] of current) this.keep(id, v, all.get(id), now);
    } else {
      const width = 8;
      for (let i = 0; i < toRead.length; i += width) {
        await Promise.all(toRead.slice(i, i + width).map(async ([id, v]) => this.keep(id, v, await this.readers.readDoc(id), now)));
      }
    }
    const out = new Map<string, T>();
    for (const id of current.keys()) {
      const e = this.entries.get(id);
      if (e) out.set(id, e.value);
    }
    return out;
  }
}

/** One cache per store and kind (a process may hold several stores: tests, tools). */
const caches = new WeakMap<Store, Map<string, DayDocCache<unknown>>>();

export function dayDocCache<T>(store: Store, prefix: string, readers: DayDocReaders<T>): DayDocCache<T> {
  let m = caches.get(store);
  if (!m) caches.set(store, (m = new Map()));
  let c = m.get(prefix) as DayDocCache<T> | undefined;
  if (!c) m.set(prefix, (c = new DayDocCache<T>(prefix, readers)));
  return c;
}

/** Forgets this store's decoded days (benches time a route's first, uncached call with it). */
export function dropDayDocCaches(store: Store): void {
  caches.delete(store);
}
