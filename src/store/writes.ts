import type { AnyBulkWriteOperation } from 'mongodb';
import type { Store } from './store';
import type { EventDoc, MediaDoc, PostDoc } from './types';

/** Idempotent post upserts: immutable fields on insert only, counters like views refreshed. */
export async function upsertPosts(store: Store, posts: PostDoc[]): Promise<{ inserted: number; matched: number }> {
  if (posts.length === 0) return { inserted: 0, matched: 0 };
  const ops: AnyBulkWriteOperation<PostDoc>[] = posts.map((p) => {
    const { _id, firstSeenAt, at, buckets, channelKey, postId, ...mutable } = p;
    return {
      updateOne: {
        filter: { _id },
        update: { $set: mutable, $setOnInsert: { firstSeenAt, at, buckets, channelKey, postId } },
        upsert: true,
      },
    };
  });
  const r = await store.posts.bulkWrite(ops, { ordered: false });
  return { inserted: r.upsertedCount, matched: r.matchedCount };
}

export async function upsertMedia(store: Store, media: MediaDoc[]): Promise<void> {
  if (media.length === 0) return;
  await store.media.bulkWrite(
    media.map((m) => {
      const { _id, firstSeenAt, ...rest } = m;
      return { updateOne: { filter: { _id }, update: { $set: rest, $setOnInsert: { firstSeenAt } }, upsert: true } };
    }),
    { ordered: false },
  );
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
