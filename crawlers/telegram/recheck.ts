import type { TargetCheck } from '../../src/core/report-case';
import { fetchOrGone, NOT_FOUND_404, pathParts, UnknownTargetUrlError, type RecheckContext, type RecheckTarget } from '../recheck-fetch';
import type { StatusPage } from './parse-status-page';
import { telegramChannelTask, telegramStatusTask } from './parse-tasks';

const HTML = ['text/html'] as const;

/** Pure: what a `t.me/<handle>` page says → the target's state. A handle now held by a user, a bot or a group: the channel is gone from it. */
export function checkFromStatusPage(s: StatusPage): TargetCheck {
  const words = s.detail ? { words: s.detail } : {};
  switch (s.status) {
    case 'active':
      return { state: 'online', ...(s.subscribers !== undefined ? { views: s.subscribers } : {}) };
    case 'removed':
      return { state: 'offline', how: 'removed_banner', ...words };
    case 'private':
      return { state: 'offline', how: 'private', ...words };
    case 'not_found':
      return { state: 'offline', how: 'not_found', ...words };
    case 'not_channel':
      return { state: 'offline', how: 'gone', words: `the handle is now a ${s.kind ?? 'different account'}` };
  }
}

/**
 * A reported channel (`t.me/<handle>`) or post (`t.me/<handle>/<post>`): the channel's status page first; a post of a
 * live channel is then looked for in the preview page just before it (`t.me/s/<handle>?before=<post+1>`).
 */
export async function recheckTelegramTarget(ctx: RecheckContext, t: RecheckTarget): Promise<TargetCheck> {
  const u = new URL(t.url);
  const [handle, postId] = pathParts(u).filter((p) => p !== 's');
  if (!handle || (t.kind !== 'channel' && !postId)) throw new UnknownTargetUrlError(t.url, 'telegram', 'expected t.me/<handle> or t.me/<handle>/<post>');
  const page = await fetchOrGone(ctx, `${u.origin}/${encodeURIComponent(handle)}`, HTML);
  if (page === 'gone') return NOT_FOUND_404;
  const channel = checkFromStatusPage(await ctx.parser.run(telegramStatusTask, { html: page.text, url: page.finalUrl }));
  if (t.kind === 'channel' || channel.state !== 'online' || !postId) return channel;
  const id = Number(postId);
  const previewUrl = `${u.origin}/s/${encodeURIComponent(handle)}?before=${id + 1}`;
  const preview = await fetchOrGone(ctx, previewUrl, HTML);
  if (preview === 'gone') return NOT_FOUND_404;
  const parsed = await ctx.parser.run(telegramChannelTask, { html: preview.text, baseUrl: u.origin, handle, pageUrl: previewUrl });
  const post = parsed.posts.find((p) => p.postId === postId);
  if (post) return { state: 'online', ...(post.views !== undefined ? { views: post.views } : {}) };
  if (parsed.posts.some((p) => Number(p.postId) < id)) return { state: 'offline', how: 'gone', words: `post ${postId} is no longer in the channel's preview` };
  return { state: 'unknown', why: `the preview before post ${postId} lists no older post` };
}
