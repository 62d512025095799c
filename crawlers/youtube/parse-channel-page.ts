import { ParseError } from '../../src/core/errors';
import { stripControlChars } from '../../src/core/text/control-chars';
import type { TakedownReason } from '../types';
import { extractAssignedJson, pick, pickString, ytText } from './embedded-json';
import { classifyYoutubeReason } from './takedown-reason';

export type ChannelPage =
  | {
      state: 'active';
      channelId?: string;
      title?: string;
      description?: string;
      avatarUrl?: string;
      /** An age-restricted channel: the page holds only a `channelAgeGateRenderer` (title and avatar), no metadata. */
      ageGated?: true;
      /** The age gate's header ("Sign in to view this channel"). */
      ageGateText?: string;
    }
  | { state: 'removed'; reason: TakedownReason; reasonText: string };

function lastThumbUrl(thumbs: unknown): string | undefined {
  const url = Array.isArray(thumbs) ? pickString(thumbs[thumbs.length - 1], 'url') : undefined;
  return url && /^https?:\/\//.test(url) ? url : undefined;
}

/**
 * Pure: the `channelAgeGateRenderer` of an age-restricted channel, where YouTube serves it: the only item of the
 * selected tab's section list (`contents.twoColumnBrowseResultsRenderer.tabs[].tabRenderer.content.sectionListRenderer
 * .contents[]`, as TeamNewPipe/NewPipeExtractor reads it).
 */
function findAgeGate(data: unknown): unknown {
  const tabs = pick(data, 'contents', 'twoColumnBrowseResultsRenderer', 'tabs');
  if (!Array.isArray(tabs)) return undefined;
  for (const tab of tabs) {
    const items = pick(tab, 'tabRenderer', 'content', 'sectionListRenderer', 'contents');
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      const gate = pick(item, 'channelAgeGateRenderer');
      if (gate && typeof gate === 'object') return gate;
    }
  }
  return undefined;
}

function ageGatedChannel(gate: unknown): ChannelPage {
  const title = stripControlChars(pickString(gate, 'channelTitle') ?? '').trim();
  const header = stripControlChars(ytText(pick(gate, 'header')) ?? '').trim();
  const avatarUrl = lastThumbUrl(pick(gate, 'avatar', 'thumbnails'));
  return {
    state: 'active',
    ageGated: true,
    ...(title ? { title } : {}),
    ...(avatarUrl ? { avatarUrl } : {}),
    ...(header ? { ageGateText: header } : {}),
  };
}

/**
 * Pure: a YouTube channel page (`/channel/<id>`) → active (title, description, avatar from
 * `ytInitialData.metadata.channelMetadataRenderer`), active but age-gated (only a `channelAgeGateRenderer`: its title
 * and avatar), or removed, when `ytInitialData.alerts` holds an ERROR alert ("This account has been terminated for a
 * violation of YouTube's Terms of Service.", "This channel does not exist."), its text kept as the reason.
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
  if (!md) {
    const gate = findAgeGate(data);
    if (gate) return ageGatedChannel(gate);
    throw new ParseError(what, 'neither an error alert, metadata.channelMetadataRenderer nor a channelAgeGateRenderer', url);
  }
  const avatarUrl = lastThumbUrl(pick(md, 'avatar', 'thumbnails'));
  const title = pickString(md, 'title');
  const description = pickString(md, 'description');
  const channelId = pickString(md, 'externalId');
  return {
    state: 'active',
    ...(channelId ? { channelId } : {}),
    ...(title ? { title: stripControlChars(title).trim() } : {}),
    ...(description ? { description: stripControlChars(description).trim() } : {}),
    ...(avatarUrl ? { avatarUrl } : {}),
  };
}
