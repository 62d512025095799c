import type { Collection } from 'mongodb';
import { collectionOf, type HasDb } from '../db-handle';

/** The STIX-id index of the TAXII server (src/share/taxii.ts): an object a page served can be read again alone by its id. */
export const STIX_IDS = 'stix_ids';

export interface StixIdDoc {
  _id: string; // the STIX id
  /** Which export source built it (src/share/stix/sources.ts), and its natural key there. */
  source: string;
  key: string;
}

export function stixIdsCollection(store: HasDb): Collection<StixIdDoc> {
  return collectionOf<StixIdDoc>(store, STIX_IDS);
}
