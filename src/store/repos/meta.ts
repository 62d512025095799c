import type { Collection } from 'mongodb';
import { collectionOf, type HasDb } from '../db-handle';

/** Versions and one-time migrations (`hashlists`, `migrated:keyed-docs`). */
export const META = 'meta';

export interface MetaDoc {
  _id: string;
  version?: string;
  at?: Date;
}

export function metaCollection(store: HasDb): Collection<MetaDoc> {
  return collectionOf<MetaDoc>(store, META);
}
