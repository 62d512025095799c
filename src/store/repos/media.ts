import type { Collection } from 'mongodb';
import { collectionOf, type HasDb } from '../db-handle';
import type { HashListEntryDoc, MediaClusterDoc, MediaItemDoc, SightingDoc } from '../media-types';

/**
 * The media stage's collections: fingerprinted items, their clusters, the sightings of a cluster, and the imported
 * hash lists (CLI `hashlist import`). Their document types are `src/store/media-types.ts` (shared with src/media).
 */
export const MEDIA_ITEMS = 'media_items';
export const MEDIA_CLUSTERS = 'media_clusters';
export const SIGHTINGS = 'sightings';
export const HASH_LIST_ENTRIES = 'hash_list_entries';

export function mediaItemsCollection(store: HasDb): Collection<MediaItemDoc> {
  return collectionOf<MediaItemDoc>(store, MEDIA_ITEMS);
}

export function clustersCollection(store: HasDb): Collection<MediaClusterDoc> {
  return collectionOf<MediaClusterDoc>(store, MEDIA_CLUSTERS);
}

export function sightingsCollection(store: HasDb): Collection<SightingDoc> {
  return collectionOf<SightingDoc>(store, SIGHTINGS);
}

export function hashListsCollection(store: HasDb): Collection<HashListEntryDoc> {
  return collectionOf<HashListEntryDoc>(store, HASH_LIST_ENTRIES);
}

export async function ensureMediaIndexes(store: HasDb): Promise<void> {
  await mediaItemsCollection(store).createIndex({ indexedAt: 1 }, { name: 'indexed_at' });
  await sightingsCollection(store).createIndex({ clusterId: 1, at: 1 }, { name: 'cluster_at' });
}
