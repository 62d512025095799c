import type { PostCheck } from '../core/model';
import { timeBuckets } from '../core/time-buckets';
import { postTakedowns, postViews, type PostTakedownDoc } from './repos/post-checks';
import type { Store } from './store';
import type { PostDoc } from './repos/posts';

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
export async function recordPostChecks(store: Store, channelKey: string, checks: readonly PostCheck[], at: Date): Promise<PostTakedownDoc[]> {
  const added: PostTakedownDoc[] = [];
  for (const c of checks) {
    if (c.state === 'unknown') continue;
    const _id = `${channelKey}:${c.postId}`;
    const post = await store.posts.findOne(
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
      await store.posts.updateOne({ _id }, { $set: set });
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
    await store.posts.updateOne({ _id }, { $set: { removedAt: at, removal: { reason: doc.reason, text: doc.reasonText } } });
  }
  return added;
}
