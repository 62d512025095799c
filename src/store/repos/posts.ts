import type { Collection } from 'mongodb';
import type { GeoLocation, LinkPreview, MediaRef, ParsedPost, Poll, TakedownReason } from '../../core/model';
import type { TimeBuckets } from '../../core/time-buckets';
import { collectionOf, type HasDb } from '../db-handle';

/** Posts and their media references (written by the crawl; `src/store/writes.ts` upserts them). */
export const POSTS = 'posts';
export const MEDIA_REFS = 'media_refs';

export interface PostDoc {
  _id: string; // <channelKey>:<postId>
  channelKey: string;
  postId: string;
  sourceId: string;
  platform: string;
  handle: string;
  url?: string;
  publishedAt?: Date;
  /** Timeline time: publishedAt, or the first crawl when the source gives no date. Buckets are computed from it. */
  at: Date;
  text: string;
  lang: string;
  links: string[];
  hashtags: string[];
  mentions: string[];
  views?: number;
  media: MediaRef[];
  forwardedFrom?: ParsedPost['forwardedFrom'];
  replyTo?: ParsedPost['replyTo'];
  linkPreview?: LinkPreview;
  poll?: Poll;
  location?: GeoLocation;
  tags: string[];
  firstSeenAt: Date;
  lastSeenAt: Date;
  buckets: TimeBuckets;
  /** A video's length, from its watch page (YouTube). */
  durationSec?: number;
  /** Found gone by a re-check (YouTube, the Internet Archive); details in `post_takedowns`. */
  removedAt?: Date;
  removal?: { reason: TakedownReason; text: string };
}

export interface MediaDoc {
  _id: string; // <postKey>:m<index>
  postKey: string;
  index: number;
  channelKey: string;
  sourceId: string;
  kind: MediaRef['kind'];
  url?: string;
  thumbUrl?: string;
  durationSec?: number;
  fileName?: string;
  firstSeenAt: Date;
  buckets: TimeBuckets;
  /** Set once media intake handled this reference (fingerprinted, or failed with `error`). */
  ingestedAt?: Date;
  mediaId?: string;
  /** Per-item intake error (broken file, too large, wrong type…); the post is stored all the same. */
  error?: { code: string; message: string };
}

export function postsCollection(store: HasDb): Collection<PostDoc> {
  return collectionOf<PostDoc>(store, POSTS);
}

export function mediaRefsCollection(store: HasDb): Collection<MediaDoc> {
  return collectionOf<MediaDoc>(store, MEDIA_REFS);
}

export async function ensurePostIndexes(store: HasDb): Promise<void> {
  await postsCollection(store).createIndex({ channelKey: 1, postId: 1 }, { unique: true, name: 'channel_post_unique' });
  await postsCollection(store).createIndex({ sourceId: 1, 'buckets.day': 1 }, { name: 'source_day' });
  await mediaRefsCollection(store).createIndex({ postKey: 1, index: 1 }, { unique: true, name: 'post_media_unique' });
}
