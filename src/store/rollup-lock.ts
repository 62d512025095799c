import { collectionOf } from './db-handle';
import { ROLLUP_LOCKS } from './repos/rollups';
import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import { withDocLock } from './capped-set';
import type { Store } from './store';

/**
 * A short lease on one rollup document (`rollup_locks`, `_id` = the leased document's `_id`). FerretDB applies an
 * update as a read-modify-write of the whole document without a transaction, so two writers `$set`-ing different
 * fields of one document at once can lose one of the fields; writers of a shared rollup document take turns
 * instead. Inserting a unique `_id` is the one atomic step MongoDB and FerretDB both give. A lease left by a crashed
 * holder expires.
 */
interface LeaseDoc {
  _id: string;
  owner: string;
  until: Date;
}

const LEASE_MS = 15_000;
const WAIT_MS = 60_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function leases(store: Store): Collection<LeaseDoc> {
  return collectionOf<LeaseDoc>(store, ROLLUP_LOCKS);
}

/**
 * Runs fn while holding the lease on `key` (waits for another holder; takes over an expired lease). With the
 * runtime's Redis document locks (Store.docLock) the lease is one of those: one Redis call to take it instead of
 * inserts that fail while the day document is busy. Without them (tools, tests on a bare store), the `rollup_locks`
 * collection.
 */
export async function withLease<T>(store: Store, key: string, fn: () => Promise<T>): Promise<T> {
  if (store.docLock) return withDocLock(store, `rollup_locks/${key}`, fn);
  const locks = leases(store);
  const owner = randomBytes(8).toString('hex');
  const giveUp = Date.now() + WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      await locks.insertOne({ _id: key, owner, until: new Date(Date.now() + LEASE_MS) });
      break;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    const cur = await locks.findOne({ _id: key });
    if (cur && cur.until.getTime() < Date.now()) {
      await locks.deleteOne({ _id: key }); // expired lease of a crashed writer
      continue;
    }
    if (Date.now() > giveUp) throw new Error(`rollups: the lease on ${key} has been held by ${cur?.owner ?? '?'} for more than ${WAIT_MS / 1000} s`);
    await sleep(Math.min(50, 2 + attempt * 2) + Math.random() * 5);
  }
  try {
    return await fn();
  } finally {
    const cur = await locks.findOne({ _id: key });
    if (cur?.owner === owner) await locks.deleteOne({ _id: key });
  }
}
