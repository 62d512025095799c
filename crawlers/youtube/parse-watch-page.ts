import { ParseError } from '../../src/core/errors';
import { stripControlChars } from '../../src/core/text/control-chars';
import type { TakedownReason } from '../types';
import { extractAssignedJson, pick, pickCount, pickString, ytText } from './embedded-json';
import { classifyYoutubeReason } from './takedown-reason';

export type WatchPage =
  | {
      state: 'available';
      videoId: string;
      title?: string;
      description?: string;
      channelId?: string;
      views?: number;
      durationSec?: number;
      playability: string;
      /** Behind YouTube's age gate (`LOGIN_REQUIRED` with `desktopLegacyAgeGateReason`): it exists, its details are public. */
      ageGated?: true;
    }
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
 * The texts a player response gives for a video that does not play, most specific first: the top-level reason, the
 * error screen's reason, its subreason (often a sign-in hint: "Sign in if you've been granted access to this video"),
 * then the messages.
 */
function playabilityTexts(ps: unknown): string[] {
  const screen = pick(ps, 'errorScreen', 'playerErrorMessageRenderer');
  const messages = pick(ps, 'messages');
  return [
    pickString(ps, 'reason'),
    ytText(pick(screen, 'reason')),
    ytText(pick(screen, 'subreason')),
    ...(Array.isArray(messages) ? messages.filter((x): x is string => typeof x === 'string') : []),
  ]
    .map(clean)
    .filter((t): t is string => !!t);
}

/**
 * Pure: an age gate, told apart from other sign-in walls without reading the page's language: YouTube sets
 * `playabilityStatus.desktopLegacyAgeGateReason` and still serves the full `videoDetails` (real pages of 2020–2024 in
 * test/fixtures/youtube/README.md); a bot wall has neither the flag nor the details.
 */
function isAgeGate(pr: unknown): boolean {
  return pick(pr, 'playabilityStatus', 'desktopLegacyAgeGateReason') !== undefined && pickString(pr, 'videoDetails', 'videoId') !== undefined;
}

/** Pure: a video that does not play → gone (with the reason and the text that states it) or unknown. */
function notPlaying(ps: unknown, status: string): WatchPage {
  const texts = playabilityTexts(ps);
  const reason = classifyYoutubeReason(texts.join(' | '), status);
  // the text kept is the first one that says why (the reason, not a sign-in hint); else the first one
  const reasonText = texts.find((t) => classifyYoutubeReason(t, status) === reason) ?? texts[0];
  // ERROR is YouTube's "this video is not there"; other states are gone only when the page says why
  if (status === 'ERROR' || reason !== 'unavailable') return { state: 'gone', playability: status, reason, reasonText: reasonText ?? status };
  return { state: 'unknown', playability: status, ...(reasonText ? { reasonText } : {}) };
}

/**
 * Pure: a YouTube watch page (`/watch?v=<id>`) → the video's availability, view count and duration, read from the
 * `ytInitialPlayerResponse` object embedded in the page (`playabilityStatus`, `videoDetails.viewCount`,
 * `videoDetails.lengthSeconds`). An age-gated video is available (`ageGated`). A gone video's reason is the page's own
 * text (the reason, else the error screen's reason or subreason, else its messages), classified by
 * `classifyYoutubeReason`. A page without the object, or with another video's details, is a ParseError naming what
 * was missing.
 */
export function parseWatchPage(html: string, expectedVideoId: string, url?: string): WatchPage {
  const what = 'YouTube watch page';
  const pr = extractAssignedJson(html, 'ytInitialPlayerResponse', what, url);
  if (!pr) throw new ParseError(what, 'no ytInitialPlayerResponse in the page (a consent or captcha page, or not a watch page)', url);
  const ps = pick(pr, 'playabilityStatus');
  const status = pickString(ps, 'status');
  if (!status) throw new ParseError(what, 'the player response has no playabilityStatus.status', url);
  const ageGated = isAgeGate(pr);
  if (!AVAILABLE.has(status) && !ageGated) return notPlaying(ps, status);
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
    ...(ageGated ? { ageGated: true as const } : {}),
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(channelId ? { channelId } : {}),
    ...(views !== undefined ? { views } : {}),
    ...(durationSec !== undefined ? { durationSec } : {}),
  };
}
