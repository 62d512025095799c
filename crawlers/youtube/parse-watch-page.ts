import { ParseError } from '../../src/net/errors';
import { stripControlChars } from '../../src/core/text/control-chars';
import type { TakedownReason } from '../types';
import { extractAssignedJson, pick, pickCount, pickString, ytText } from './embedded-json';
import { classifyYoutubeReason } from './takedown-reason';

export type WatchPage =
  | { state: 'available'; videoId: string; title?: string; description?: string; channelId?: string; views?: number; durationSec?: number; playability: string }
  | { state: 'gone'; playability: string; reason: TakedownReason; reasonText: string }
  /** The page answered but says nothing about the video: a sign-in or bot wall, a region block. No event, no views. */
  | { state: 'unknown'; playability: string; reasonText?: string };

/** Playability states of a video that exists and can be counted (age gates, offline streams). */
const AVAILABLE = new Set(['OK', 'LIVE_STREAM_OFFLINE', 'AGE_CHECK_REQUIRED', 'AGE_VERIFICATION_REQUIRED', 'CONTENT_CHECK_REQUIRED']);

function clean(s: string | undefined): string | undefined {
  const t = s === undefined ? undefined : stripControlChars(s).trim();
  return t ? t : undefined;
}

/**
 * Pure: a YouTube watch page (`/watch?v=<id>`) → the video's availability, view count and duration, read from the
 * `ytInitialPlayerResponse` object embedded in the page (`playabilityStatus`, `videoDetails.viewCount`,
 * `videoDetails.lengthSeconds`). A gone video's reason is the page's own text (the error screen's subreason, else the
 * reason, else its messages), classified by `classifyYoutubeReason`. A page without the object, or with another
 * video's details, is a ParseError naming what was missing.
 */
export function parseWatchPage(html: string, expectedVideoId: string, url?: string): WatchPage {
  const what = 'YouTube watch page';
  const pr = extractAssignedJson(html, 'ytInitialPlayerResponse', what, url);
  if (!pr) throw new ParseError(what, 'no ytInitialPlayerResponse in the page (a consent or captcha page, or not a watch page)', url);
  const ps = pick(pr, 'playabilityStatus');
  const status = pickString(ps, 'status');
  if (!status) throw new ParseError(what, 'the player response has no playabilityStatus.status', url);
  const screen = pick(ps, 'errorScreen', 'playerErrorMessageRenderer');
  const messages = pick(ps, 'messages');
  const texts = [
    ytText(pick(screen, 'subreason')),
    pickString(ps, 'reason'),
    ytText(pick(screen, 'reason')),
    ...(Array.isArray(messages) ? messages.filter((x): x is string => typeof x === 'string') : []),
  ]
    .map(clean)
    .filter((t): t is string => !!t);
  const reasonText = texts[0];
  const all = texts.join(' | ');

  if (!AVAILABLE.has(status)) {
    const reason = classifyYoutubeReason(all, status);
    // ERROR is YouTube's "this video is not there"; other states are gone only when the page says why
    if (status === 'ERROR' || reason !== 'unavailable') return { state: 'gone', playability: status, reason, reasonText: reasonText ?? status };
    return { state: 'unknown', playability: status, ...(reasonText ? { reasonText } : {}) };
  }
  const vd = pick(pr, 'videoDetails');
  const videoId = pickString(vd, 'videoId');
  if (!videoId) throw new ParseError(what, `playability ${status} but no videoDetails.videoId`, url);
  if (videoId !== expectedVideoId) throw new ParseError(what, `the page is about video "${videoId}", not "${expectedVideoId}"`, url);
  const views = pickCount(vd, 'viewCount');
  const durationSec = pickCount(vd, 'lengthSeconds');
  const title = clean(pickString(vd, 'title'));
  const description = clean(pickString(vd, 'shortDescription'));
  const channelId = pickString(vd, 'channelId');
  return {
    state: 'available',
    videoId,
    playability: status,
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(channelId ? { channelId } : {}),
    ...(views !== undefined ? { views } : {}),
    ...(durationSec !== undefined ? { durationSec } : {}),
  };
}
