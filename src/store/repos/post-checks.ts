import type { Collection } from 'mongodb';
import type { PostCheck, TakedownReason } from '../../core/model';
import { timeBuckets, type TimeBuckets } from '../../core/time-buckets';
import { collectionOf, type HasDb } from '../db-handle';
import { postsCollection, type PostDoc } from './posts';

/** The post-check collections (takedowns, view samples) and the re-checks' writes. */
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

/** Pure: the takedown document of a post found gone. */
export function takedownDoc(
  post: Pick<PostDoc, '_id' | 'postId' | 'channelKey' | 'sourceId' | 'platform' | 'firstSeenAt' | 'publishedAt'>,
  check: PostCheck,
  at: Date,
): PostTakedownDoc {
  return {
    _id: post._id,
    postKey: post._id,
    postId: post.postId,
    channelKey: post.channelKey,
    sourceId: post.sourceId,
    platform: post.platform,
    reason: check.reason ?? 'unavailable',
    reasonText: check.reasonText ?? '',
    firstSeenAt: post.firstSeenAt,
    removedAt: at,
    timeToTakedownMs: Math.max(0, at.getTime() - post.firstSeenAt.getTime()),
    buckets: timeBuckets(at),
    ...(post.publishedAt ? { publishedAt: post.publishedAt, sincePublishedMs: Math.max(0, at.getTime() - post.publishedAt.getTime()) } : {}),
  };
}

/**
 * Records one check's re-checks of known posts: views and duration refreshed on the post and sampled into the views
 * timeline; a post found gone gets its takedown document (first time only: `_id` is the post key) and is marked
 * removed. Reads each post by `_id` (the checks are bounded by the source's maxTracked). Safe to repeat after a
 * crash: the takedown is written before the post is marked, and a second insert is a duplicate left alone.
 * Returns the takedowns new in this call.
 */
export async function recordPostChecks(store: HasDb, channelKey: string, checks: readonly PostCheck[], at: Date): Promise<PostTakedownDoc[]> {
  const added: PostTakedownDoc[] = [];
  for (const c of checks) {
    if (c.state === 'unknown') continue;
    const _id = `${channelKey}:${c.postId}`;
    const post = await postsCollection(store).findOne(
      { _id },
      { projection: { _id: 1, postId: 1, channelKey: 1, sourceId: 1, platform: 1, firstSeenAt: 1, publishedAt: 1, removedAt: 1 } },
    );
    if (!post) continue;
    if (c.state === 'available') {
      const set: Partial<PostDoc> = {
        lastSeenAt: at,
        ...(c.views !== undefined ? { views: c.views } : {}),
        ...(c.durationSec !== undefined ? { durationSec: c.durationSec } : {}),
      };
      await postsCollection(store).updateOne({ _id }, { $set: set });
      if (c.views !== undefined) {
        const hour = timeBuckets(at).hour;
        await postViews(store).updateOne(
          { _id: `${_id}:${hour}` },
          {
            $set: { at, views: c.views },
            $setOnInsert: { postKey: _id, channelKey: post.channelKey, sourceId: post.sourceId, platform: post.platform, hour, firstSeenAt: post.firstSeenAt },
          },
          { upsert: true },
        );
      }
      continue;
    }
    if (post.removedAt) continue;
    const doc = takedownDoc(post, c, at);
    try {
      await postTakedowns(store).insertOne(doc);
      added.push(doc);
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    await postsCollection(store).updateOne({ _id }, { $set: { removedAt: at, removal: { reason: doc.reason, text: doc.reasonText } } });
  }
  return added;
}
