import type { AnyBulkWriteOperation, Collection, Document, OptionalUnlessRequiredId } from 'mongodb';

/**
 * The one way to send many writes to the store in one call. FerretDB 1.24 keeps each update statement's query open
 * until the whole command ends, each on a PostgreSQL (or SQLite) connection of its pool: one command of more
 * statements than the pool holds waits for itself forever and wedges the whole database (measured: 150 upserts of
 * existing channel-day documents in one bulk write never returned, and later reads of that database hung too).
 * Commands of several writers add up, so updates go in commands of at most `UPDATE_CHUNK` statements; inserts hold
 * no query open and go in commands of `INSERT_CHUNK` documents. MongoDB takes the same commands, one round trip per
 * chunk.
 */
export const UPDATE_CHUNK = 16;
export const INSERT_CHUNK = 200;

/** One write error of a bulk command, by index in the caller's whole list. */
interface WriteErrorLike {
  index: number;
  code?: number;
}

function writeErrorsOf(err: unknown): WriteErrorLike[] {
  const e = err as { writeErrors?: WriteErrorLike[] | WriteErrorLike };
  return Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
}

/** Indexes (in `chunk`) of the statements refused as duplicate keys; any other error throws. */
async function duplicatesOf(run: () => Promise<unknown>): Promise<number[]> {
  try {
    await run();
    return [];
  } catch (err) {
    const list = writeErrorsOf(err);
    if (!list.length || list.some((w) => w.code !== 11000)) throw err;
    return list.map((w) => w.index);
  }
}

/** Result of a chunked bulk write: which statements (by index in the caller's list) hit a duplicate key. */
export interface BulkOutcome {
  duplicates: number[];
}

/**
 * Unordered bulk write in chunks that cannot wedge FerretDB. Statements refused with a duplicate key (E11000: an
 * insert of an existing `_id`, an upsert that lost a race, a capped filter that no longer matches) come back by index
 * in `ops`, for the caller's own fallback; any other write error throws after the chunk it happened in.
 */
export async function bulkWriteChunked<T extends Document>(col: Collection<T>, ops: readonly AnyBulkWriteOperation<T>[]): Promise<BulkOutcome> {
  const onlyInserts = ops.every((op) => 'insertOne' in op);
  const size = onlyInserts ? INSERT_CHUNK : UPDATE_CHUNK;
  const duplicates: number[] = [];
  for (let start = 0; start < ops.length; start += size) {
    const chunk = ops.slice(start, start + size);
    // eslint-disable-next-line no-restricted-syntax -- the one place that sends a bulk command
    for (const i of await duplicatesOf(() => col.bulkWrite(chunk, { ordered: false }))) duplicates.push(start + i);
  }
  return { duplicates };
}

/** Unordered inserts in chunks; the documents whose `_id` exists already come back by index in `docs`. */
export async function insertManyChunked<T extends Document>(col: Collection<T>, docs: readonly OptionalUnlessRequiredId<T>[]): Promise<BulkOutcome> {
  const duplicates: number[] = [];
  for (let start = 0; start < docs.length; start += INSERT_CHUNK) {
    const chunk = docs.slice(start, start + INSERT_CHUNK);
    // eslint-disable-next-line no-restricted-syntax -- the one place that sends a bulk command
    for (const i of await duplicatesOf(() => col.insertMany(chunk, { ordered: false }))) duplicates.push(start + i);
  }
  return { duplicates };
}
