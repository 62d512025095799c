import type { Collection } from 'mongodb';
import type { TakedownReason } from '../../core/model';
import type { TimeBuckets } from '../../core/time-buckets';
import { collectionOf, type HasDb } from '../db-handle';

/** The post-check collections (takedowns, view samples); `src/store/post-checks.ts` records the checks. */
export const POST_TAKEDOWNS = 'post_takedowns';
export const POST_VIEWS = 'post_views';

/** A post (video, item) found gone: one document per post (`_id` = the post key), written once. */
export interface PostTakedownDoc {
  _id: string;
  postKey: string;
  postId: string;
  channelKey: string;
  sourceId: string;
  platform: string;
  reason: TakedownReason;
  /** The platform's own words. */
  reasonText: string;
  firstSeenAt: Date;
  publishedAt?: Date;
  removedAt: Date;
  /** First seen by hydrawatch → found gone. */
  timeToTakedownMs: number;
  /** Published (as the platform dates it) → found gone. */
  sincePublishedMs?: number;
  buckets: TimeBuckets;
}

/**
 * One view-count sample of a post: one document per post and hour (`<postKey>:<hour bucket>`), the last sample of
 * the hour wins. Small, keyed by `_id`, written one at a time: the views timeline that view velocity is read from.
 */
export interface PostViewDoc {
  _id: string;
  postKey: string;
  channelKey: string;
  sourceId: string;
  platform: string;
  hour: string;
  at: Date;
  views: number;
  /** The post's first sighting, copied so that velocity needs no join. */
  firstSeenAt: Date;
}

export function postTakedowns(store: HasDb): Collection<PostTakedownDoc> {
  return collectionOf<PostTakedownDoc>(store, POST_TAKEDOWNS);
}

export function postViews(store: HasDb): Collection<PostViewDoc> {
  return collectionOf<PostViewDoc>(store, POST_VIEWS);
}

export async function ensurePostCheckIndexes(store: HasDb): Promise<void> {
  await postViews(store).createIndex({ postKey: 1, at: 1 }, { name: 'post_at' });
  await postViews(store).createIndex({ channelKey: 1 }, { name: 'channel' });
  await postTakedowns(store).createIndex({ platform: 1 }, { name: 'platform' });
}
