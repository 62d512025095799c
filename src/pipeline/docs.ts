import type { ParsedPost } from '../../crawlers/types';
import type { ChannelEventDraft } from '../core/channel-transitions';
import { detectLanguage } from '../core/lang/detect-language';
import { timeBuckets } from '../core/time-buckets';
import type { EventDoc } from '../store/repos/channels';
import type { MediaDoc, PostDoc } from '../store/repos/posts';

export interface PostContext {
  channelKey: string;
  sourceId: string;
  platform: string;
  handle: string;
  tags: string[];
  crawledAt: Date;
  langMinLength: number;
}

/** Pure: a parsed post → its stored document (natural key `<channelKey>:<postId>`). */
export function buildPostDoc(p: ParsedPost, ctx: PostContext): PostDoc {
  const when = p.publishedAt ?? ctx.crawledAt;
  const { lang } = detectLanguage(p.text, { minLength: ctx.langMinLength });
  return {
    _id: `${ctx.channelKey}:${p.postId}`,
    channelKey: ctx.channelKey,
    postId: p.postId,
    sourceId: ctx.sourceId,
    platform: ctx.platform,
    handle: ctx.handle,
    text: p.text,
    lang,
    links: p.links,
    hashtags: p.hashtags,
    mentions: p.mentions,
    media: p.media,
    tags: ctx.tags,
    firstSeenAt: ctx.crawledAt,
    lastSeenAt: ctx.crawledAt,
    at: when,
    buckets: timeBuckets(when),
    ...(p.url ? { url: p.url } : {}),
    ...(p.publishedAt ? { publishedAt: p.publishedAt } : {}),
    ...(p.views !== undefined ? { views: p.views } : {}),
    ...(p.forwardedFrom ? { forwardedFrom: p.forwardedFrom } : {}),
    ...(p.replyTo ? { replyTo: p.replyTo } : {}),
    ...(p.linkPreview ? { linkPreview: p.linkPreview } : {}),
    ...(p.poll ? { poll: p.poll } : {}),
    ...(p.location ? { location: p.location } : {}),
    ...(p.reactions ? { reactions: p.reactions } : {}),
  };
}

export function buildMediaDocs(post: PostDoc): MediaDoc[] {
  return post.media.map((m, index) => ({
    _id: `${post._id}:m${index}`,
    postKey: post._id,
    index,
    channelKey: post.channelKey,
    sourceId: post.sourceId,
    kind: m.kind,
    firstSeenAt: post.firstSeenAt,
    buckets: post.buckets,
    ...(m.url ? { url: m.url } : {}),
    ...(m.thumbUrl ? { thumbUrl: m.thumbUrl } : {}),
    ...(m.durationSec !== undefined ? { durationSec: m.durationSec } : {}),
    ...(m.fileName ? { fileName: m.fileName } : {}),
  }));
}

/** Deterministic event id: the same observation upserts the same document. */
export function buildEventDoc(d: ChannelEventDraft, ctx: { channelKey: string; sourceId: string; platform: string; handle: string }): EventDoc {
  return {
    _id: `${ctx.channelKey}:${d.type}:${d.at.toISOString()}`,
    channelKey: ctx.channelKey,
    sourceId: ctx.sourceId,
    platform: ctx.platform,
    type: d.type,
    at: d.at,
    buckets: timeBuckets(d.at),
    handle: ctx.handle,
    data: d.data,
  };
}
