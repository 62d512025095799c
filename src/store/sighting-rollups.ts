import { collectionOf } from './db-handle';
import { SIGHTING_ROLLUPS } from './repos/rollups';
import { retryUpsert } from './capped-set';
import type { Collection } from 'mongodb';
import {
  SIGHTING_MARKER_ID,
  rowOf,
  sightingDayDocId,
  sightingEntryOf,
  type SightingEntry,
  type SightingInput,
  type SightingRow,
} from '../core/sighting-rollup-math';
import { withLease } from './rollup-lock';
import { bumpDayDocVersion, dayDocCache } from './day-doc-cache';
import type { Store } from './store';

/**
 * Sighting rollups for the media trend routes (IO shell; the math is core/sighting-rollup-math.ts).
 * `sighting_rollups`, `_id: sd:<day>`: `s` = the JSON string of `{ <sightingId>: SightingEntry }`, every sighting of
 * that day, merged idempotently under the day's lease (one string, not a field per sighting: FerretDB decodes a long
 * string far faster than a document with a thousand fields); plus the marker `meta:sighting-rollups` once they cover
 * every stored sighting. The routes read the day documents (one per day), never `sightings`.
 */

export interface SightingDayDoc {
  _id: string;
  day: string;
  /** JSON of { <sightingId>: SightingEntry }. */
  s: string;
}

interface MarkerDoc {
  _id: string;
  complete: true;
  at: Date;
  sightings: number;
  how: 'rebuild' | 'empty';
}

type Doc = SightingDayDoc | MarkerDoc;

export function sightingRollups(store: Store): Collection<Doc> {
  return collectionOf<Doc>(store, SIGHTING_ROLLUPS);
}

function isDayDoc(d: Doc): d is SightingDayDoc {
  return d._id.startsWith('sd:');
}

function byDay<S extends SightingInput>(sightings: S[]): Map<string, Map<string, SightingEntry>> {
  const out = new Map<string, Map<string, SightingEntry>>();
  for (const s of sightings) {
    let set = out.get(s.buckets.day);
    if (!set) out.set(s.buckets.day, (set = new Map()));
    set.set(s._id, sightingEntryOf(s));
  }
  return out;
}

/** Merges the entries into the day document (the caller holds the day's lease). */
async function mergeInto(store: Store, day: string, entries: Map<string, SightingEntry>): Promise<void> {
  const coll = sightingRollups(store);
  const _id = sightingDayDocId(day);
  const cur = await coll.findOne({ _id });
  const all = cur && isDayDoc(cur) && cur.s ? (JSON.parse(cur.s) as Record<string, SightingEntry>) : {};
  for (const [id, e] of entries) all[id] = e;
  await retryUpsert(() => coll.updateOne({ _id }, { $set: { day, s: JSON.stringify(all) } }, { upsert: true }));
  await bumpDayDocVersion(store, _id);
}

function dayRows(d: SightingDayDoc): SightingRow[] {
  return d.s ? Object.values(JSON.parse(d.s) as Record<string, SightingEntry>).map((e) => rowOf(d.day, e)) : [];
}

/**
 * Call after a sighting is written (or re-written with another cluster). Idempotent: the sighting's field is set to
 * its current figures; safe with other writers of the same day (they take turns on the day's lease).
 */
export async function recordSightingRollups(store: Store, sightings: SightingInput[]): Promise<void> {
  for (const [day, entries] of byDay(sightings)) await withLease(store, sightingDayDocId(day), () => mergeInto(store, day, entries));
}

export async function sightingRollupsReady(store: Store): Promise<boolean> {
  return (await sightingRollups(store).findOne({ _id: SIGHTING_MARKER_ID }, { projection: { _id: 1 } })) !== null;
}

/** Every rolled-up sighting (one document per day is read, never `sightings`). */
export async function readSightingRows(store: Store): Promise<SightingRow[]> {
  // through the per-process cache of decoded days (store/day-doc-cache.ts): only days whose version moved are read
  const coll = sightingRollups(store);
  const cache = dayDocCache<SightingRow[]>(store, 'sd:', {
    readDoc: async (id) => {
      const d = await coll.findOne({ _id: id });
      return d && isDayDoc(d) ? dayRows(d) : undefined;
    },
    scanAll: async () => {
      const out = new Map<string, SightingRow[]>();
      for await (const d of coll.find({})) if (isDayDoc(d)) out.set(d._id, dayRows(d));
      return out;
    },
  });
  const cached = await cache.all(store);
  if (cached) return [...cached.values()].flat();
  const rows: SightingRow[] = [];
  for (const d of await sightingRollups(store).find({}).toArray()) if (isDayDoc(d)) rows.push(...dayRows(d));
  return rows;
}

/** Recomputes the sighting rollups from `sightings` (an offline scan), then writes the marker. */
export async function rebuildSightingRollups(
  store: Store,
  log: (line: string) => void = () => undefined,
): Promise<{ sightings: number; days: number; ms: number }> {
  const cursor = store.sightings.find(
    {},
    { projection: { _id: 1, clusterId: 1, channelKey: 1, sourceId: 1, at: 1, afterOriginRemoved: 1, 'buckets.day': 1 }, batchSize: 5000 },
  );
  return rebuildSightingRollupsFrom(store, cursor, log);
}

/** rebuildSightingRollups from any stream of sightings (the history bench feeds its synthetic ones). */
export async function rebuildSightingRollupsFrom(
  store: Store,
  source: AsyncIterable<SightingInput> | Iterable<SightingInput>,
  log: (line: string) => void = () => undefined,
): Promise<{ sightings: number; days: number; ms: number }> {
  const t0 = Date.now();
  const all: SightingInput[] = [];
  for await (const s of source) all.push(s);
  const days = byDay(all);
  const coll = sightingRollups(store);
  for (const [day, entries] of days) await withLease(store, sightingDayDocId(day), () => mergeInto(store, day, entries));
  const marker: MarkerDoc = { _id: SIGHTING_MARKER_ID, complete: true, at: new Date(), sightings: all.length, how: 'rebuild' };
  await retryUpsert(() => coll.replaceOne({ _id: SIGHTING_MARKER_ID }, marker, { upsert: true }));
  const r = { sightings: all.length, days: days.size, ms: Date.now() - t0 };
  log(`sighting rollups rebuild: ${r.sightings} sightings, ${r.days} days in ${(r.ms / 1000).toFixed(1)} s`);
  return r;
}

/** Once per database, like ensureRollups for posts: rebuild when sightings exist but no marker; else just mark. */
export async function ensureSightingRollups(store: Store, log?: (line: string) => void): Promise<'ready' | 'rebuilt' | 'empty'> {
  if (await sightingRollupsReady(store)) return 'ready';
  if (!(await store.sightings.findOne({}, { projection: { _id: 1 } }))) {
    const marker: MarkerDoc = { _id: SIGHTING_MARKER_ID, complete: true, at: new Date(), sightings: 0, how: 'empty' };
    await retryUpsert(() => sightingRollups(store).replaceOne({ _id: SIGHTING_MARKER_ID }, marker, { upsert: true }));
    return 'empty';
  }
  log?.('sighting rollups missing: rebuilding them from the stored sightings (once)');
  await rebuildSightingRollups(store, log);
  return 'rebuilt';
}
