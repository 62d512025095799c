// The core model: what the crawlers produce and every layer above reads (channel snapshots, posts, media references,
// takedown reasons, cursors). Imports nothing of the project but the core; crawlers/types.ts re-exports it.

/**
 * What a channel looked like at one check. `not_channel`: the handle is taken by a public group, a user or a bot
 * (`kind` says which), none of which has a t.me/s post list.
 */
export type ChannelStatus = 'active' | 'removed' | 'not_found' | 'private' | 'not_channel';

/** What a t.me/<handle> page says the handle is, when it is an account at all. */
export type ChannelKind = 'channel' | 'group' | 'user' | 'bot';

export interface ChannelSnapshot {
  /** The platform's name, as its module in crawlers/registry.ts names it (`telegram`, `youtube`…). */
  platform: string;
  /** Handle (Telegram) or URL (other platforms) the source points at. */
  handle: string;
  /** Stable platform id (Telegram's numeric channel id). Survives renames. */
  platformId?: string;
  title?: string;
  description?: string;
  avatarUrl?: string;
  subscribers?: number;
  status: ChannelStatus;
  /** Channel, group, user or bot, when the page says so. */
  kind?: ChannelKind;
  /** The banner or reason text behind a non-active status. */
  statusDetail?: string;
  /** Why a removed channel is gone, classified from `statusDetail` (YouTube, the Internet Archive). */
  reason?: TakedownReason;
}

/**
 * Why a video or item is gone, as the platform's own page states it: removed for violating the terms of service,
 * the account terminated, made private, deleted by the uploader, taken dark (the Internet Archive), not found at all,
 * or unavailable without a stated reason.
 */
export const TAKEDOWN_REASONS = ['tos_violation', 'account_terminated', 'private', 'deleted_by_uploader', 'dark', 'not_found', 'unavailable'] as const;
export type TakedownReason = (typeof TAKEDOWN_REASONS)[number];

/** One re-check of a known post (a video's watch page, an item's metadata). */
export interface PostCheck {
  postId: string;
  /** `unknown`: the page could not tell (a sign-in wall, a page that did not parse): nothing is recorded for it. */
  state: 'available' | 'gone' | 'unknown';
  views?: number;
  durationSec?: number;
  /** Set when `state` is gone. */
  reason?: TakedownReason;
  /** The platform's own words for it ("This video is private."), or what went wrong for `unknown`. */
  reasonText?: string;
}

export type MediaKind = 'photo' | 'video' | 'round_video' | 'voice' | 'audio' | 'document' | 'sticker' | 'gif';

export interface MediaRef {
  kind: MediaKind;
  /** Direct URL of the bytes, when the page gives one. */
  url?: string;
  /** Thumbnail / poster URL. */
  thumbUrl?: string;
  durationSec?: number;
  /** Document file name, or an audio track's title. */
  fileName?: string;
  /** An audio track's performer. */
  performer?: string;
  /** Size as the page prints it ("1.2 MB"), not trusted for anything. */
  sizeText?: string;
}

export interface LinkPreview {
  url: string;
  siteName?: string;
  title?: string;
  description?: string;
  imageUrl?: string;
}

export interface Poll {
  question: string;
  options: string[];
  /** "Anonymous Poll", "Quiz"… as the page prints it. */
  type?: string;
}

export interface GeoLocation {
  latitude?: number;
  longitude?: number;
  /** Venue name and address, when it is a venue. */
  title?: string;
  address?: string;
  /** The map link the page gives. */
  url?: string;
}

export type ServiceType = 'channel_created' | 'title_changed' | 'photo_changed' | 'photo_removed' | 'pinned' | 'other';

/** A service message ("Channel created", "Channel name was changed to «…»", a pin…): evidence, never a post. */
export interface ServiceInfo {
  type: ServiceType;
  /** The new title of a rename. */
  title?: string;
  /** The pinned message, when the page links it. */
  pinnedPostId?: string;
  /** The start of the pinned message as the notice quotes it ("… pinned «text»"). */
  pinnedText?: string;
}

/** How many people reacted to a post with one reaction. */
export interface ReactionCount {
  reaction: string;
  count: number;
}

export interface ParsedPost {
  /** Post id inside the channel (Telegram message number, or a stable id/permalink for the web). */
  postId: string;
  url?: string;
  publishedAt?: Date;
  /** Plain text, with line breaks kept. */
  text: string;
  /** Absolute URLs of links in the text (not media). */
  links: string[];
  hashtags: string[];
  /** Handles mentioned with @, without the @. */
  mentions: string[];
  views?: number;
  media: MediaRef[];
  forwardedFrom?: { name?: string; handle?: string; url?: string; postId?: string };
  replyTo?: { postId?: string; url?: string };
  linkPreview?: LinkPreview;
  /** A poll's question and options (the text then holds them too, one a line, when the post has no caption). */
  poll?: Poll;
  location?: GeoLocation;
  /** Reaction counts, largest first (Telegram's API: an emoji, `custom:<document id>` or `paid`). */
  reactions?: ReactionCount[];
  /** Set on service messages only; they never count as posts. */
  service?: ServiceInfo;
}

/** Incremental-crawl state kept per source between checks. */
export interface CrawlCursor {
  /** Highest post id seen (numeric for Telegram, compared as numbers). */
  newestPostId?: string;
  /** True once the first (backfill) crawl completed. */
  backfilled?: boolean;
  /** Telegram: digest of the channel header at the last full check (see crawlers/telegram/page-digest.ts). */
  pageHeader?: string;
  /** Posts re-checked at every check (videos, items), newest first, capped; gone ones leave the list. */
  tracked?: string[];
}
