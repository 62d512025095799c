import type { Collection } from 'mongodb';
import { collectionOf, type HasDb } from '../db-handle';

/**
 * Per-channel summaries that keep successor scoring's reads to one `_id` look-up of bounded size: every array is
 * capped (capped-set.ts) and every write idempotent (`$addToSet`).
 */
export const CHANNEL_SUMMARIES = 'channel_summaries';

/** `<channelKey>`: what a channel posted, for successor scoring (first N distinct clusters). */
export interface ChannelSummaryDoc {
  _id: string;
  mediaClusters?: string[];
  textClusters?: string[];
  /** Hashes of its short posts (fewer than `text.minWords` words), see core/signals/short-text.ts. */
  shortTexts?: string[];
}

export function channelSummariesCollection(store: HasDb): Collection<ChannelSummaryDoc> {
  return collectionOf<ChannelSummaryDoc>(store, CHANNEL_SUMMARIES);
}
