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
  try {
    const filter = { _id: id, [`${field}.${cap - 1}`]: { $exists: false } } as unknown as Parameters<Collection<T>['updateOne']>[0];
    const update = { $addToSet: { [field]: { $each: [...values] } }, ...(Object.keys(extra).length ? { $set: extra } : {}) } as unknown as Parameters<Collection<T>['updateOne']>[1];
    await col.updateOne(filter, update, { upsert: true });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
