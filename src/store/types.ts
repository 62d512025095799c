import type { ChannelSnapshot, CrawlCursor, TakedownReason, GeoLocation, LinkPreview, MediaRef, ParsedPost, Poll } from '../core/model';
import type { ChannelEventType, StoredChannelState } from '../core/channel-transitions';
import type { TimeBuckets } from '../core/time-buckets';

/** Documents of the portable MongoDB subset: natural-key `_id`s, buckets written at insert time. */

export interface ChannelDoc extends StoredChannelState {
  _id: string; // tg:<numeric id> | tg:@<handle> | <platform>:<sourceId>
  platform: string;
  sourceIds: string[];
  description?: string;
  subscribers?: number;
  statusDetail?: string;
  lastCheckedAt: Date;
  /** PDQ of the current avatar (hashed when the avatar URL changes). */
  avatarPdq?: string;
  /** Time-to-takedown (first seen → removed) of the latest removal, ms. */
  timeToTakedownMs?: number;
  /** Outbox: events computed with this state, written before they are appended (crash-safe retries). */
  pendingEvents?: EventDoc[];
}

export interface EventDoc {
  _id: string; // <channelKey>:<type>:<ISO time>
  channelKey: string;
  sourceId: string;
  platform: string;
  type: ChannelEventType;
  at: Date;
  buckets: TimeBuckets;
  handle: string;
  data: Record<string, unknown>;
}

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

export interface CursorDoc {
  _id: string; // source id
  cursor: CrawlCursor;
  updatedAt: Date;
  /** Telegram: the channel this source's handle showed at the cursor's check, and that handle (lowercase). */
  channelKey?: string;
  handle?: string;
  /**
   * Set by a full check that left the channel active and settled (no outbox, no failures, avatar fingerprinted): the
   * configured handle then (lowercase) and the handle it was crawled under (a followed rename). While it is set, a
   * check reads this document only: no channel or followed-handle read. Unset by whatever unsettles the channel
   * outside a full check (a final crawl failure, a followed rename or restoration).
   */
  settled?: { configHandle: string; handle: string };
}

export interface RunDoc {
  _id: string; // run:<jobId>
  jobId: string;
  sourceId: string;
  attempt: number;
  status: 'running' | 'ok' | 'failed';
  startedAt: Date;
  finishedAt?: Date;
  channelKey?: string;
  channelStatus?: ChannelSnapshot['status'];
  pagesFetched?: number;
  postsSeen?: number;
  postsNew?: number;
  /** Media references handed to the media stage by this check. */
  mediaQueued?: number;
  /** A removed channel within its slower re-check interval: not fetched, only the successor search ran. */
  skippedRecheck?: boolean;
  /** Nothing new (same newest post and channel header as the last full check): no parse, only the check time written. */
  unchanged?: boolean;
  events?: string[];
  /** Known posts re-checked (YouTube watch pages, Archive metadata). */
  postsChecked?: number;
  /** Re-checks that could not tell (a page that did not parse, a sign-in wall): only those posts were skipped. */
  checkErrors?: Array<{ postId: string; message: string }>;
  error?: { name: string; code: string; message: string; retryable: boolean };
  buckets: TimeBuckets;
}

export interface SourceDoc {
  _id: string; // source id
  platform: string;
  config: Record<string, unknown>;
  configHash: string;
  tags: string[];
  updatedAt: Date;
  removedFromConfigAt?: Date | null;
}
