import { ParseError } from '../../src/net/errors';
import { stripControlChars } from '../../src/core/text/control-chars';
import type { TakedownReason } from '../types';
import { extractAssignedJson, pick, pickString, ytText } from './embedded-json';
import { classifyYoutubeReason } from './takedown-reason';

export type ChannelPage =
  | { state: 'active'; channelId?: string; title?: string; description?: string; avatarUrl?: string }
  | { state: 'removed'; reason: TakedownReason; reasonText: string };

/**
 * Pure: a YouTube channel page (`/channel/<id>`) → active (title, description, avatar from
 * `ytInitialData.metadata.channelMetadataRenderer`) or removed, when `ytInitialData.alerts` holds an ERROR alert
 * ("This account has been terminated for a violation of YouTube's Terms of Service."), its text kept as the reason.
 */
export function parseYoutubeChannelPage(html: string, url?: string): ChannelPage {
  const what = 'YouTube channel page';
  const data = extractAssignedJson(html, 'ytInitialData', what, url);
  if (!data) throw new ParseError(what, 'no ytInitialData in the page (a consent or captcha page, or not a channel page)', url);
  const alerts = pick(data, 'alerts');
  if (Array.isArray(alerts)) {
    for (const a of alerts) {
      const r = pick(a, 'alertRenderer') ?? pick(a, 'alertWithButtonRenderer');
      if (pickString(r, 'type')?.toUpperCase() !== 'ERROR') continue;
      const text = stripControlChars(ytText(pick(r, 'text')) ?? '').trim() || 'ERROR alert without text';
      return { state: 'removed', reason: classifyYoutubeReason(text), reasonText: text };
    }
  }
  const md = pick(data, 'metadata', 'channelMetadataRenderer');
  if (!md) throw new ParseError(what, 'neither an error alert nor metadata.channelMetadataRenderer', url);
  const thumbs = pick(md, 'avatar', 'thumbnails');
  const avatarUrl = Array.isArray(thumbs) ? pickString(thumbs[thumbs.length - 1], 'url') : undefined;
  const title = pickString(md, 'title');
  const description = pickString(md, 'description');
  const channelId = pickString(md, 'externalId');
  return {
    state: 'active',
    ...(channelId ? { channelId } : {}),
    ...(title ? { title: stripControlChars(title).trim() } : {}),
    ...(description ? { description: stripControlChars(description).trim() } : {}),
    ...(avatarUrl && /^https?:\/\//.test(avatarUrl) ? { avatarUrl } : {}),
  };
}
