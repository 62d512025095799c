import type { Collection } from 'mongodb';
import { collectionOf, type HasDb } from '../db-handle';

/** Resurfacing lineage (`src/resurface/lineage-store.ts`). */
export const LINEAGE = 'lineage';

/** `succ:<successor>` (its predecessor and lineage) or `pred:<predecessor>` (its successors). */
export interface LineageDoc {
  _id: string;
  predecessor?: string;
  lineage?: string[];
  successors?: string[];
}

export function lineageCollection(store: HasDb): Collection<LineageDoc> {
  return collectionOf<LineageDoc>(store, LINEAGE);
}
