import type { Collection, Document } from 'mongodb';

function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number }).code === 11000;
}

/**
 * Adds values to an array field of the document `_id`, up to `cap` elements: an idempotent `$addToSet` behind a
 * filter that no longer matches once the array is full (the upsert then hits the `_id` and is dropped). Keeps the
 * document's size bounded whatever the history, without a shared counter. Portable: MongoDB 7 and FerretDB 1.24
 * (which ignores `$push` + `$slice`). Returns false when the set was full.
 */
export async function addToCappedSet<T extends Document>(col: Collection<T>, id: string, field: string, values: readonly unknown[], cap: number, extra: Document = {}): Promise<boolean> {
  if (!values.length) return true;
  const filter = { _id: id, [`${field}.${cap - 1}`]: { $exists: false } } as unknown as Parameters<Collection<T>['updateOne']>[0];
  const update = { $addToSet: { [field]: { $each: [...values] } }, ...(Object.keys(extra).length ? { $set: extra } : {}) } as unknown as Parameters<Collection<T>['updateOne']>[1];
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
