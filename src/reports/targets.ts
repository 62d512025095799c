import type { ReportPlatform, TargetKind } from '../core/report-case';

/** What a URL names on a platform: a channel (account, feed, site) or one post (message, video, item). */
export interface UrlSubject {
  platform: ReportPlatform;
  kind: Extract<TargetKind, 'channel' | 'post'>;
  /** The URL as given, normalised (https, no fragment). */
  url: string;
  /** Telegram: the handle, and the message id of a post. */
  handle?: string;
  postId?: string;
  /** Web sources (rss, html, browser): the source whose host the URL is on. */
  sourceId?: string;
}

export class UnknownPlatformUrlError extends Error {
  constructor(readonly url: string) {
    super(
      `no platform knows the URL ${JSON.stringify(url)}: give a t.me, youtube.com, archive.org, x.com, facebook.com or instagram.com URL, a watched web source's URL, or a stored channel/post key`,
    );
    this.name = 'UnknownPlatformUrlError';
  }
}

const HOSTS: Array<[RegExp, ReportPlatform]> = [
  [/^(www\.)?(t\.me|telegram\.me)$/, 'telegram'],
  [/^((www|m|music)\.)?youtube\.com$|^youtu\.be$/, 'youtube'],
  [/^(www\.)?archive\.org$/, 'archive'],
  [/^(www\.|mobile\.)?(x|twitter)\.com$/, 'x'],
  [/^((www|m|web)\.)?(facebook|fb)\.com$/, 'facebook'],
  [/^(www\.)?instagram\.com$/, 'instagram'],
];

function postPattern(platform: ReportPlatform, u: URL): boolean {
  const p = u.pathname;
  switch (platform) {
    case 'youtube':
      return u.hostname === 'youtu.be' || p === '/watch' || /^\/(shorts|live)\//.test(p);
    case 'archive':
      return /^\/details\/[^/]+/.test(p);
    case 'x':
      return /^\/[^/]+\/status\/\d+/.test(p);
    case 'facebook':
      return /\/(posts|videos|reel|photos)\/|\/(story|permalink|photo)\.php$|^\/watch\/?$/.test(p);
    case 'instagram':
      return /^\/(p|reel|tv)\/[^/]+/.test(p);
    default:
      return false;
  }
}

/** Pure: the https URL without its fragment, or undefined when it is no http(s) URL. */
export function normaliseUrl(raw: string): URL | undefined {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  u.hash = '';
  return u;
}

/**
 * Pure: the platform, kind and keys a URL names. `webSources`: the watched rss/html/browser sources (id, platform and
 * URL): a URL on one of their hosts belongs to that source. Throws UnknownPlatformUrlError for any other URL.
 */
export function parseReportUrl(raw: string, webSources: ReadonlyArray<{ id: string; platform: string; url: string }> = []): UrlSubject {
  const u = normaliseUrl(raw);
  if (!u) throw new UnknownPlatformUrlError(raw);
  const host = u.hostname.toLowerCase();
  const platform = HOSTS.find(([re]) => re.test(host))?.[1];
  if (platform === 'telegram') {
    const parts = u.pathname.split('/').filter(Boolean);
    if (parts[0] === 's') parts.shift();
    const handle = parts[0];
    if (!handle || !/^[A-Za-z0-9_]{3,64}$/.test(handle)) throw new UnknownPlatformUrlError(raw);
    const postId = parts[1] && /^\d+$/.test(parts[1]) ? parts[1] : undefined;
    const url = `https://t.me/${handle}${postId ? `/${postId}` : ''}`;
    return postId ? { platform, kind: 'post', url, handle, postId } : { platform, kind: 'channel', url, handle };
  }
  if (platform) return { platform, kind: postPattern(platform, u) ? 'post' : 'channel', url: u.toString() };
  const web = webSources.find((s) => {
    const su = normaliseUrl(s.url);
    return su !== undefined && su.hostname.toLowerCase() === host && ['rss', 'html', 'browser'].includes(s.platform);
  });
  if (!web) throw new UnknownPlatformUrlError(raw);
  return { platform: web.platform as ReportPlatform, kind: 'post', url: u.toString(), sourceId: web.id };
}

/** Pure: the public URL of a stored channel (Telegram: t.me/<handle>; YouTube: the channel or playlist page). */
export function publicChannelUrl(platform: string, handle: string, sourceUrl?: string): string {
  if (platform === 'telegram') return `https://t.me/${handle.replace(/^@/, '')}`;
  if (platform === 'youtube') return handle.startsWith('PL') ? `https://www.youtube.com/playlist?list=${handle}` : `https://www.youtube.com/channel/${handle}`;
  if (platform === 'archive' && sourceUrl === undefined) return `https://archive.org/search?query=${encodeURIComponent(handle)}`;
  return sourceUrl ?? handle;
}

/** Pure: the public URL of a stored post (its stored URL; Telegram: t.me/<handle>/<id>). */
export function publicPostUrl(post: { platform: string; handle: string; postId: string; url?: string }): string {
  if (post.platform === 'telegram') return `https://t.me/${post.handle.replace(/^@/, '')}/${post.postId}`;
  return post.url ?? `${post.platform}:${post.postId}`;
}
