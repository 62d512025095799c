import type { Collection, OptionalUnlessRequiredId } from 'mongodb';
import type { GeoLocation, LinkPreview, MediaRef, ParsedPost, Poll, ReactionCount, TakedownReason } from '../../core/model';
import type { TimeBuckets } from '../../core/time-buckets';
import { INSERT_CHUNK, insertManyChunked } from '../bulk';
import { collectionOf, type HasDb } from '../db-handle';

/** Posts and their media references (written by the crawl). */
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
  /** Reaction counts at the last check (Telegram's API). */
  reactions?: ReactionCount[];
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

/**
 * Inserts go through `insertManyChunked` (store/bulk.ts). Updates of existing documents go one statement at a time:
 * FerretDB 1.24 keeps each update statement's query open until the whole command ends (see store/bulk.ts).
 */
export const INSERT_BATCH = INSERT_CHUNK;

function batches<T>(xs: readonly T[], n = INSERT_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** Indexes (in the batch) of the documents an unordered insert refused as duplicates; other errors throw. */
async function insertNew<T extends { _id: string }>(col: Collection<T>, docs: T[]): Promise<Set<number>> {
  const { duplicates } = await insertManyChunked(col, docs as unknown as OptionalUnlessRequiredId<T>[]);
  return new Set(duplicates);
}

/** Idempotent post upserts: new posts in one insert, existing ones refreshed (views…) one update at a time. */
export async function upsertPosts(store: HasDb, posts: PostDoc[]): Promise<{ inserted: number; matched: number }> {
  let inserted = 0;
  let matched = 0;
  for (const chunk of batches(posts)) {
    const dups = await insertNew(postsCollection(store), chunk);
    inserted += chunk.length - dups.size;
    for (const i of dups) {
      const { _id, firstSeenAt, at, buckets, channelKey, postId, ...mutable } = chunk[i] as PostDoc;
      const r = await postsCollection(store).updateOne(
        { _id },
        { $set: mutable, $setOnInsert: { firstSeenAt, at, buckets, channelKey, postId } },
        { upsert: true },
      );
      matched += r.matchedCount;
      inserted += r.upsertedCount;
    }
  }
  return { inserted, matched };
}

export async function upsertMedia(store: HasDb, media: MediaDoc[]): Promise<void> {
  for (const chunk of batches(media)) {
    const dups = await insertNew(mediaRefsCollection(store), chunk);
    for (const i of dups) {
      const { _id, firstSeenAt, ...rest } = chunk[i] as MediaDoc;
      await mediaRefsCollection(store).updateOne({ _id }, { $set: rest, $setOnInsert: { firstSeenAt } }, { upsert: true });
    }
  }
}
