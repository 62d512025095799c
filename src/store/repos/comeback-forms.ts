import type { Collection } from 'mongodb';
import { daysBetween } from '../../core/rollup-math';
import { timeBuckets } from '../../core/time-buckets';
import { addToCappedSet, type DocLocks } from '../capped-set';
import { collectionOf, type HasDb } from '../db-handle';

/** The forms comebacks took, per day and network tag (`src/resurface/comeback-forms.ts`). */
export const COMEBACK_FORMS = 'comeback_forms';

/** `cf:<day>`: `<tag>|<form>|<successor key>` entries (tag empty for untagged channels), a capped set. */
export interface ComebackFormDoc {
  _id: string;
  day: string;
  forms: string[];
}

/** Entries kept per day (the document stays small whatever the wave). */
const FORMS_PER_DAY = 500;

function formsCollection(store: HasDb): Collection<ComebackFormDoc> {
  return collectionOf<ComebackFormDoc>(store, COMEBACK_FORMS);
}

/** Records the form a comeback of a channel with these tags took, in the document of the day of `at` (one write). */
export async function recordComebackForm(store: HasDb & DocLocks, tags: readonly string[], form: string, successor: string, at: Date): Promise<void> {
  const day = timeBuckets(at).day;
  const entries = (tags.length ? tags : ['']).map((t) => `${t}|${form}|${successor}`);
  await addToCappedSet(store, formsCollection(store), `cf:${day}`, 'forms', entries, FORMS_PER_DAY, { day });
}

/**
 * The forms the comebacks of channels sharing one of these tags took from `since` to `now`, each with the number of
 * comebacks (distinct successors) that took it: one `_id` read per day.
 */
export async function comebackFormsSince(store: HasDb, tags: readonly string[], since: Date, now: Date): Promise<Map<string, number>> {
  const days = daysBetween(since, new Date(now.getTime() + 1)).slice(0, 60);
  const docs = await Promise.all(days.map((d) => formsCollection(store).findOne({ _id: `cf:${d}` })));
  const wanted = new Set(tags.length ? tags : ['']);
  const takers = new Map<string, Set<string>>();
  for (const doc of docs)
    for (const e of doc?.forms ?? []) {
      const [tag, form, successor] = e.split('|');
      if (!form || !wanted.has(tag ?? '')) continue;
      takers.set(form, (takers.get(form) ?? new Set()).add(successor ?? ''));
    }
  return new Map([...takers].map(([form, s]) => [form, s.size]));
}
