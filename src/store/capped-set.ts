import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { bulkWriteChunked } from './bulk';

/** A store's document locks (Store extends this; the runtime sets them, tools and bare tests leave them unset). */
export interface DocLocks {
  /**
   * A mutex per shared document, for updates that several workers make to one document at once. FerretDB 1.24
   * updates a document by reading it and writing it whole, so two concurrent `$addToSet`s on one document can lose
   * one of them; the runtime sets this to a Redis lease (one holder per document id). Unset: no lock.
   */
  docLock?: (id: string) => Promise<{ release(): Promise<void> }>;
  /** The locks of several documents at once, all or none (same keys as docLock): one batch writing them all. */
  docLocks?: (ids: readonly string[]) => Promise<{ release(): Promise<void> }>;
}

/** Runs `fn` holding the document's lock (when the store has locks): one writer per shared document at a time. */
export async function withDocLock<R>(store: Pick<DocLocks, 'docLock'>, id: string, fn: () => Promise<R>): Promise<R> {
  if (!store.docLock) return fn();
  const lease = await store.docLock(id);
  try {
    return await fn();
  } finally {
    await lease.release();
  }
}

function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number }).code === 11000;
}

/**
 * Adds values to an array field of the document `_id`, up to `cap` elements: an idempotent `$addToSet` behind a
 * filter that no longer matches once the array is full (the upsert then hits the `_id` and is dropped). Keeps the
 * document's size bounded whatever the history, without a shared counter. Portable: MongoDB 7 and FerretDB 1.24
 * (which ignores `$push` + `$slice`). Held under the document's lock (see DocLocks.docLock). Returns false when the set
 * was full.
 */
export async function addToCappedSet<T extends Document>(
  store: Pick<DocLocks, 'docLock'>,
  col: Collection<T>,
  id: string,
  field: string,
  values: readonly unknown[],
  cap: number,
  extra: Document = {},
): Promise<boolean> {
  if (!values.length) return true;
  return withDocLock(store, `${col.collectionName}/${id}`, () => addUnlocked(col, id, field, values, cap, extra));
}

/** One capped-set addition of addToCappedSets. */
export interface CappedAdd {
  id: string;
  values: readonly unknown[];
}

/**
 * addToCappedSet for several documents of one collection in one batch: their locks taken at once (DocLocks.docLocks),
 * one `update` command with a statement per document, then the single-document path again only for the statements
 * that lost an insert race or hit a full set. Round trips: 2 to Redis and 1 to the store instead of 3 per document.
 * Batches of at most 16 statements (FerretDB handles long upsert batches badly).
 */
export async function addToCappedSets<T extends Document>(
  store: DocLocks,
  col: Collection<T>,
  adds: readonly CappedAdd[],
  field: string,
  cap: number,
): Promise<void> {
  const todo = adds.filter((a) => a.values.length);
  if (!store.docLocks) {
    for (const a of todo) await addToCappedSet(store, col, a.id, field, a.values, cap);
    return;
  }
  for (let i = 0; i < todo.length; i += 16) {
    const chunk = todo.slice(i, i + 16);
    const lease = await store.docLocks(chunk.map((a) => `${col.collectionName}/${a.id}`));
    try {
      const ops = chunk.map((a) => ({
        updateOne: {
          filter: { _id: a.id, [`${field}.${cap - 1}`]: { $exists: false } },
          update: { $addToSet: { [field]: { $each: [...a.values] } } },
          upsert: true,
        },
      })) as unknown as AnyBulkWriteOperation<T>[];
      const { duplicates: failed } = await bulkWriteChunked(col, ops);
      // a duplicate key: the set is full, or another writer created the document first; the single path decides
      for (const idx of failed) {
        const a = chunk[idx] as CappedAdd;
        await addUnlocked(col, a.id, field, a.values, cap, {});
      }
    } finally {
      await lease.release();
    }
  }
}

async function addUnlocked<T extends Document>(
  col: Collection<T>,
  id: string,
  field: string,
  values: readonly unknown[],
  cap: number,
  extra: Document,
): Promise<boolean> {
  const filter = { _id: id, [`${field}.${cap - 1}`]: { $exists: false } } as unknown as Parameters<Collection<T>['updateOne']>[0];
  const update = { $addToSet: { [field]: { $each: [...values] } }, ...(Object.keys(extra).length ? { $set: extra } : {}) } as unknown as Parameters<
    Collection<T>['updateOne']
  >[1];
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await col.updateOne(filter, update, { upsert: true });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Either the set is full, or another writer created the document between our look-up and our insert: then the
      // next attempt updates it.
      const doc = (await col.findOne({ _id: id } as unknown as Parameters<Collection<T>['findOne']>[0])) as Document | null;
      const arr = doc?.[field];
      if (Array.isArray(arr) && arr.length >= cap) return false;
    }
  }
  return false;
}

/**
 * Runs an upsert again when it lost an insert race (duplicate key on `_id`): the second try finds the document and
 * updates it. MongoDB retries such upserts itself; FerretDB does not.
 */
export async function retryUpsert<R>(fn: () => Promise<R>, attempts = 3): Promise<R> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isDuplicateKey(err) || i >= attempts) throw err;
    }
  }
}
