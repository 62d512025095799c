import { parseTelegramLink } from '../../crawlers/telegram/parse-helpers';
import { timeBuckets } from '../core/time-buckets';
import { retryUpsert, withDocLock } from '../store/capped-set';
import type { Store } from '../store/store';
import type { PostDoc } from '../store/repos/posts';

export type PointerOrigin = 'mention' | 'link' | 'forward';

export interface PointedHandle {
  origins: Set<PointerOrigin>;
  from: Set<string>;
  tags: Set<string>;
}

const HANDLE = /^[A-Za-z0-9_]{4,64}$/;

/** Pure: the Telegram handles these posts point at (mentions, t.me links, forwards), with who and how. */
export function pointersOf(posts: readonly PostDoc[], baseUrl: string): Map<string, PointedHandle> {
  const out = new Map<string, PointedHandle>();
  const add = (h: string | undefined, origin: PointerOrigin, p: PostDoc): void => {
    if (!h || !HANDLE.test(h)) return;
    const k = h.toLowerCase();
    const e = out.get(k) ?? { origins: new Set<PointerOrigin>(), from: new Set<string>(), tags: new Set<string>() };
    e.origins.add(origin);
    e.from.add(p.channelKey);
    (p.tags ?? []).forEach((t) => e.tags.add(t));
    out.set(k, e);
  };
  for (const p of posts) {
    for (const m of p.mentions ?? []) add(m, 'mention', p);
    for (const l of p.links ?? []) add(parseTelegramLink(l, baseUrl).handle, 'link', p);
    add(p.forwardedFrom?.handle, 'forward', p);
  }
  return out;
}

/** Channels and tags kept per pointed handle and day (bounded documents). */
const PER_HANDLE_CAP = 64;

/**
 * Records pointed handles (a check's posts' and its profile's, merged: `mergePointers`) in the document of the day
 * of `at` (`hp:<day>`), with `$addToSet` on fields of their own: idempotent, no shared counter, one `_id`-keyed
 * write, none when the map is empty.
 */
export async function recordPointed(store: Store, pointed: ReadonlyMap<string, PointedHandle>, at: Date): Promise<void> {
  if (!pointed.size) return;
  const day = timeBuckets(at).day;
  const add: Record<string, { $each: string[] }> = {};
  for (const [h, e] of pointed) {
    add[`h.${h}.f`] = { $each: [...e.from].slice(0, PER_HANDLE_CAP) };
    add[`h.${h}.o`] = { $each: [...e.origins] };
    if (e.tags.size) add[`h.${h}.t`] = { $each: [...e.tags].slice(0, PER_HANDLE_CAP) };
  }
  await withDocLock(store, `handle_pointers/hp:${day}`, () =>
    retryUpsert(() => store.pointers.updateOne({ _id: `hp:${day}` }, { $addToSet: add, $setOnInsert: { day } }, { upsert: true })),
  );
}

/** Handles pointed at from `since` to `now`: one `_id` read per day (the search window bounds the days). */
export async function pointedSince(store: Store, since: Date, now: Date): Promise<Map<string, PointedHandle>> {
  const days: string[] = [];
  const start = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = start; t <= now.getTime() && days.length < 60; t += 86400_000) days.push(timeBuckets(new Date(t)).day);
  const docs = await Promise.all(days.map((d) => store.pointers.findOne({ _id: `hp:${d}` })));
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
