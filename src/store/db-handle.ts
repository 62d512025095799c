import type { Collection, Db, Document } from 'mongodb';

/**
 * The raw database of an open store. Only `src/store/` reaches it (dependency-cruiser `store-db-stays-in-store`);
 * every other layer goes through the collection families' functions (`src/store/repos/`). Tests may use it.
 */
export const STORE_DB: unique symbol = Symbol('hydrawatch.store.db');

export interface HasDb {
  readonly [STORE_DB]: Db;
}

export function storeDb(store: HasDb): Db {
  return store[STORE_DB];
}

/** One collection by name, typed (for the family modules, which own the names). */
export function collectionOf<T extends Document>(store: HasDb, name: string): Collection<T> {
  return store[STORE_DB].collection<T>(name);
}
