import type { ParsedPost, ServiceType } from './model';
import type { ChannelEventDraft, ChannelEventType } from './channel-transitions';

const EVENT_OF: Record<Exclude<ServiceType, 'other'>, ChannelEventType> = {
  channel_created: 'channel_created',
  title_changed: 'renamed_title',
  photo_changed: 'photo_changed',
  photo_removed: 'photo_removed',
  pinned: 'pinned',
};

/**
 * Channel event drafts from the channel's own service messages (pure): "Channel created", a rename with its new
 * title, a photo change or removal, a pin. Each is dated by its message (so a re-crawl makes the same event) and
 * carries the message id. Service messages of other kinds give no event.
 */
export function serviceEventDrafts(posts: readonly ParsedPost[], crawledAt: Date): ChannelEventDraft[] {
  const out: ChannelEventDraft[] = [];
  for (const p of posts) {
    const s = p.service;
    if (!s || s.type === 'other') continue;
    out.push({
      type: EVENT_OF[s.type],
      at: p.publishedAt ?? crawledAt,
      data: {
        postId: p.postId,
        source: 'service_message',
        ...(s.title !== undefined ? { title: s.title } : {}),
        ...(s.pinnedPostId !== undefined ? { pinnedPostId: s.pinnedPostId } : {}),
        ...(s.pinnedText !== undefined ? { pinnedText: s.pinnedText } : {}),
        ...(p.url ? { url: p.url } : {}),
      },
    });
  }
  return out;
}

/** The posts that count as posts (stored, counted in trends): everything but service messages. */
export function contentPosts<T extends Pick<ParsedPost, 'service'>>(posts: readonly T[]): T[] {
  return posts.filter((p) => p.service === undefined);
}
