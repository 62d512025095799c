import { HttpStatusError } from '../core/errors';
import type { Fetcher, FetchRequest } from '../core/fetcher';
import type { PageParser } from '../core/parse-task';
import type { OfflineHow, TargetKind } from '../core/report-case';
import type { TakedownReason } from '../core/model';
import { telegramChannelTask, telegramStatusTask } from '../../crawlers/telegram/parse-tasks';
import { youtubeChannelTask, youtubeWatchTask } from '../../crawlers/youtube/parse-tasks';
import { archiveMetadataTask } from '../../crawlers/archive/parse-tasks';
import type { StatusPage } from '../../crawlers/telegram/parse-status-page';

/** What one re-check of a reported target saw. `unknown`: the page could not tell (nothing is recorded). */
export type TargetCheck = { state: 'online'; views?: number } | { state: 'offline'; how: OfflineHow; words?: string } | { state: 'unknown'; why: string };

export interface TargetCheckDeps {
  /** Rate-limited per host (the re-check budget) and egress-guarded. */
  fetcher: Fetcher;
  /** The worker's parse pool (time budget, nesting cap). */
  parser: PageParser;
}

export interface CheckableTarget {
  platform: string;
  kind: TargetKind;
  url: string;
}

export class UnknownTargetUrlError extends Error {
  constructor(url: string, platform: string, why: string) {
    super(`cannot re-check ${url} on ${platform}: ${why}`);
    this.name = 'UnknownTargetUrlError';
  }
}

const HTML = ['text/html'] as const;
const JSON_TYPES = ['application/json', 'text/plain', 'text/json'] as const;

type Checker = (deps: TargetCheckDeps, t: CheckableTarget, u: URL) => Promise<TargetCheck>;

/** Pure: a platform's stated reason for a gone video/channel → how the target went offline. */
export function offlineHowFromReason(reason: TakedownReason): OfflineHow {
  switch (reason) {
    case 'account_terminated':
      return 'account_terminated';
    case 'private':
      return 'private';
    case 'not_found':
      return 'not_found';
    case 'tos_violation':
      return 'removed_banner';
    default:
      return 'gone';
  }
}

/** Pure: what a `t.me/<handle>` page says → the target's state. A handle now held by a user, a bot or a group: the channel is gone from it. */
export function checkFromStatusPage(s: StatusPage): TargetCheck {
  switch (s.status) {
    case 'active':
      return { state: 'online', ...(s.subscribers !== undefined ? { views: s.subscribers } : {}) };
    case 'removed':
      return { state: 'offline', how: 'removed_banner', ...(s.detail ? { words: s.detail } : {}) };
    case 'private':
      return { state: 'offline', how: 'private', ...(s.detail ? { words: s.detail } : {}) };
    case 'not_found':
      return { state: 'offline', how: 'not_found', ...(s.detail ? { words: s.detail } : {}) };
    case 'not_channel':
      return { state: 'offline', how: 'gone', words: `the handle is now a ${s.kind ?? 'different account'}` };
  }
}

async function get(
  deps: TargetCheckDeps,
  url: string,
  accept: FetchRequest['accept'],
  timeoutName: string,
): Promise<{ text: string; finalUrl: string } | 'gone'> {
  try {
    const r = await deps.fetcher.fetchText({ url, accept, timeoutName });
    return { text: r.text, finalUrl: r.finalUrl };
  } catch (err) {
    if (err instanceof HttpStatusError && (err.status === 404 || err.status === 410)) return 'gone';
    throw err;
  }
}

const GONE_404: TargetCheck = { state: 'offline', how: 'not_found', words: 'HTTP 404' };

function pathParts(u: URL): string[] {
  return u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
}

/** Telegram: `t.me/<handle>` (a channel) or `t.me/<handle>/<post>` (a post: its channel first, then the post in the preview). */
const telegram: Checker = async (deps, t, u) => {
  const [handle, postId] = pathParts(u).filter((p) => p !== 's');
  if (!handle || (t.kind !== 'channel' && !postId)) throw new UnknownTargetUrlError(t.url, 'telegram', 'expected t.me/<handle> or t.me/<handle>/<post>');
  const page = await get(deps, `${u.origin}/${encodeURIComponent(handle)}`, HTML, 'reports.recheck');
  if (page === 'gone') return GONE_404;
  const channel = checkFromStatusPage(await deps.parser.run(telegramStatusTask, { html: page.text, url: page.finalUrl }));
  if (t.kind === 'channel' || channel.state !== 'online' || !postId) return channel;
  const id = Number(postId);
  const previewUrl = `${u.origin}/s/${encodeURIComponent(handle)}?before=${id + 1}`;
  const preview = await get(deps, previewUrl, HTML, 'reports.recheck');
  if (preview === 'gone') return GONE_404;
  const parsed = await deps.parser.run(telegramChannelTask, { html: preview.text, baseUrl: u.origin, handle, pageUrl: previewUrl });
  const post = parsed.posts.find((p) => p.postId === postId);
  if (post) return { state: 'online', ...(post.views !== undefined ? { views: post.views } : {}) };
  if (parsed.posts.some((p) => Number(p.postId) < id)) return { state: 'offline', how: 'gone', words: `post ${postId} is no longer in the channel's preview` };
  return { state: 'unknown', why: `the preview before post ${postId} lists no older post` };
};

/** YouTube: a watch page (`/watch?v=<id>`) or a channel page (`/channel/<id>`). */
const youtube: Checker = async (deps, t, u) => {
  const videoId = u.searchParams.get('v');
  if (videoId) {
    const page = await get(deps, `${u.origin}/watch?v=${encodeURIComponent(videoId)}`, HTML, 'reports.recheck');
    if (page === 'gone') return GONE_404;
    const w = await deps.parser.run(youtubeWatchTask, { html: page.text, videoId, url: page.finalUrl });
    if (w.state === 'available') return { state: 'online', ...(w.views !== undefined ? { views: w.views } : {}) };
    if (w.state === 'gone') return { state: 'offline', how: offlineHowFromReason(w.reason), words: w.reasonText };
    return { state: 'unknown', why: w.reasonText ?? `playability ${w.playability}` };
  }
  const [kind, id] = pathParts(u);
  if (kind !== 'channel' || !id) throw new UnknownTargetUrlError(t.url, 'youtube', 'expected /watch?v=<id> or /channel/<id>');
  const page = await get(deps, `${u.origin}/channel/${encodeURIComponent(id)}`, HTML, 'reports.recheck');
  if (page === 'gone') return GONE_404;
  const c = await deps.parser.run(youtubeChannelTask, { html: page.text, url: page.finalUrl });
  return c.state === 'active' ? { state: 'online' } : { state: 'offline', how: offlineHowFromReason(c.reason), words: c.reasonText };
};

/** The Internet Archive: an item (`/details/<identifier>`), read through its metadata (`{}`: gone; `is_dark`: taken dark). */
const archive: Checker = async (deps, t, u) => {
  const [kind, identifier] = pathParts(u);
  if (kind !== 'details' || !identifier) throw new UnknownTargetUrlError(t.url, 'archive', 'expected /details/<identifier>');
  const url = `${u.origin}/metadata/${encodeURIComponent(identifier)}`;
  const page = await get(deps, url, JSON_TYPES, 'reports.recheck');
  if (page === 'gone') return GONE_404;
  const md = await deps.parser.run(archiveMetadataTask, { body: page.text, identifier, url: page.finalUrl });
  if (md.state === 'public') return { state: 'online' };
  return md.state === 'dark'
    ? { state: 'offline', how: 'gone', words: 'the item was taken dark' }
    : { state: 'offline', how: 'not_found', words: 'no such item' };
};

/** Any other host: the page answers (online) or 404/410 (offline). */
const plain: Checker = async (deps, t) =>
  (await get(
    deps,
    t.url,
    ['text/html', 'application/xhtml+xml', 'application/rss+xml', 'application/atom+xml', 'application/xml', 'text/xml'],
    'reports.recheck',
  )) === 'gone'
    ? GONE_404
    : { state: 'online' };

const CHECKERS: Record<string, Checker> = { telegram, youtube, archive, rss: plain, html: plain, browser: plain };

/** One re-check of a reported target, through the platform's own pages and parse tasks. */
export async function checkTarget(deps: TargetCheckDeps, t: CheckableTarget): Promise<TargetCheck> {
  let u: URL;
  try {
    u = new URL(t.url);
  } catch {
    throw new UnknownTargetUrlError(t.url, t.platform, 'not a URL');
  }
  const checker = CHECKERS[t.platform];
  if (!checker) throw new UnknownTargetUrlError(t.url, t.platform, 'no re-check for this platform (report it by hand and mark it offline)');
  return checker(deps, t, u);
}
