import type { Collection, OptionalUnlessRequiredId } from 'mongodb';
import { INSERT_CHUNK, insertManyChunked } from './bulk';
import type { Store } from './store';
import type { EventDoc } from './repos/channels';
import type { MediaDoc, PostDoc } from './repos/posts';

/**
 * Inserts go through `insertManyChunked` (store/bulk.ts). Updates of existing documents go one statement at a time:
 * FerretDB 1.24 keeps each update statement's query open until the whole command ends (see store/bulk.ts).
 */
export const INSERT_BATCH = INSERT_CHUNK;

function batches<T>(xs: readonly T[], n = INSERT_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** Indexes (in the batch) of the documents an unordered insert refused as duplicates; other errors throw. */
async function insertNew<T extends { _id: string }>(col: Collection<T>, docs: T[]): Promise<Set<number>> {
  const { duplicates } = await insertManyChunked(col, docs as unknown as OptionalUnlessRequiredId<T>[]);
  return new Set(duplicates);
}

/** Idempotent post upserts: new posts in one insert, existing ones refreshed (views…) one update at a time. */
export async function upsertPosts(store: Store, posts: PostDoc[]): Promise<{ inserted: number; matched: number }> {
  let inserted = 0;
  let matched = 0;
  for (const chunk of batches(posts)) {
    const dups = await insertNew(store.posts, chunk);
    inserted += chunk.length - dups.size;
    for (const i of dups) {
      const { _id, firstSeenAt, at, buckets, channelKey, postId, ...mutable } = chunk[i] as PostDoc;
      const r = await store.posts.updateOne({ _id }, { $set: mutable, $setOnInsert: { firstSeenAt, at, buckets, channelKey, postId } }, { upsert: true });
      matched += r.matchedCount;
      inserted += r.upsertedCount;
    }
  }
  return { inserted, matched };
}

export async function upsertMedia(store: Store, media: MediaDoc[]): Promise<void> {
  for (const chunk of batches(media)) {
    const dups = await insertNew(store.media, chunk);
    for (const i of dups) {
      const { _id, firstSeenAt, ...rest } = chunk[i] as MediaDoc;
      await store.media.updateOne({ _id }, { $set: rest, $setOnInsert: { firstSeenAt } }, { upsert: true });
    }
  }
}

function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: Array<{ code?: number }> };
  if (e.code === 11000) return !e.writeErrors || e.writeErrors.every((w) => w.code === 11000);
  return false;
}

/** Append-only: an event that exists already (same deterministic id) is left alone. */
export async function appendEvents(store: Store, events: EventDoc[]): Promise<number> {
  let added = 0;
  for (const ev of events) {
    try {
      await store.events.insertOne(ev);
      added++;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return added;
}
