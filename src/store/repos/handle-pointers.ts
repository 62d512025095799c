import type { Collection } from 'mongodb';
import { daysBetween } from '../../core/rollup-math';
import { timeBuckets } from '../../core/time-buckets';
import { retryUpsert, withDocLock, type DocLocks } from '../capped-set';
import { collectionOf, type HasDb } from '../db-handle';

/** Handles pointed at (mentions, links, forwards) per day: one keyed document per day, capped (capped-set.ts). */
export const HANDLE_POINTERS = 'handle_pointers';

/** `hp:<day>`: handles pointed at that day: `h.<handle>.f` channels, `.o` how (mention/link/forward), `.t` tags. */
export interface HandlePointerDoc {
  _id: string;
  day: string;
  h: Record<string, { f?: string[]; o?: string[]; t?: string[] }>;
}

export function pointersCollection(store: HasDb): Collection<HandlePointerDoc> {
  return collectionOf<HandlePointerDoc>(store, HANDLE_POINTERS);
}

export type PointerOrigin = 'mention' | 'link' | 'forward';

export interface PointedHandle {
  origins: Set<PointerOrigin>;
  from: Set<string>;
  tags: Set<string>;
}

/** Channels and tags kept per pointed handle and day (bounded documents). */
const PER_HANDLE_CAP = 64;

/**
 * Records pointed handles (a check's posts' and its profile's, merged: `mergePointers`) in the document of the day
 * of `at` (`hp:<day>`), with `$addToSet` on fields of their own: idempotent, no shared counter, one `_id`-keyed
 * write, none when the map is empty.
 */
export async function recordPointed(store: HasDb & DocLocks, pointed: ReadonlyMap<string, PointedHandle>, at: Date): Promise<void> {
  if (!pointed.size) return;
  const day = timeBuckets(at).day;
  const add: Record<string, { $each: string[] }> = {};
  for (const [h, e] of pointed) {
    add[`h.${h}.f`] = { $each: [...e.from].slice(0, PER_HANDLE_CAP) };
    add[`h.${h}.o`] = { $each: [...e.origins] };
    if (e.tags.size) add[`h.${h}.t`] = { $each: [...e.tags].slice(0, PER_HANDLE_CAP) };
  }
  await withDocLock(store, `${HANDLE_POINTERS}/hp:${day}`, () =>
    retryUpsert(() => pointersCollection(store).updateOne({ _id: `hp:${day}` }, { $addToSet: add, $setOnInsert: { day } }, { upsert: true })),
  );
}

/** Handles pointed at from `since` to `now`: one `_id` read per day (the search window bounds the days). */
export async function pointedSince(store: HasDb, since: Date, now: Date): Promise<Map<string, PointedHandle>> {
  const days = daysBetween(since, new Date(now.getTime() + 1)).slice(0, 60);
  const docs = await Promise.all(days.map((d) => pointersCollection(store).findOne({ _id: `hp:${d}` })));
  const out = new Map<string, PointedHandle>();
  for (const doc of docs) {
    for (const [h, e] of Object.entries(doc?.h ?? {})) {
      const cur = out.get(h) ?? { origins: new Set<PointerOrigin>(), from: new Set<string>(), tags: new Set<string>() };
      (e.o ?? []).forEach((o) => cur.origins.add(o as PointerOrigin));
      (e.f ?? []).forEach((f) => cur.from.add(f));
      (e.t ?? []).forEach((t) => cur.tags.add(t));
      out.set(h, cur);
    }
  }
  return out;
}
