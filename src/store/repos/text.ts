import type { Collection } from 'mongodb';
import { collectionOf, type HasDb } from '../db-handle';
import type { TextSigDoc } from '../media-types';

/** MinHash text clusters (`src/pipeline/text-clusters.ts`): the posts' signatures and the LSH band buckets. */
export const TEXT_SIGNATURES = 'text_signatures';
export const TEXT_BANDS = 'text_bands';

/** `tb:<band>`: the text clusters (at most `TEXT_BAND_CAP`) whose signatures have this LSH band (capped-set.ts). */
export interface TextBandDoc {
  _id: string;
  c: string[];
}

export function textSigsCollection(store: HasDb): Collection<TextSigDoc> {
  return collectionOf<TextSigDoc>(store, TEXT_SIGNATURES);
}

export function textBandsCollection(store: HasDb): Collection<TextBandDoc> {
  return collectionOf<TextBandDoc>(store, TEXT_BANDS);
}

export async function ensureTextIndexes(store: HasDb): Promise<void> {
  await textSigsCollection(store).createIndex({ indexedAt: 1 }, { name: 'indexed_at' });
}
