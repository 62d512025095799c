import type { YoutubeSource } from './source';
import { HttpStatusError, ParseBudgetError, ParseError } from '../../src/core/errors';
import { pageParser, type ChannelSnapshot, type CrawlContext, type CrawlOutcome, type Crawler, type ParsedPost, type PostCheck } from '../types';
import type { ChannelPage } from './parse-channel-page';
import type { FeedVideo, VideoFeed } from './parse-video-feed';
import { youtubeChannelTask, youtubeFeedTask, youtubeWatchTask } from './parse-tasks';

const HTML = ['text/html'] as const;
const FEED = ['application/atom+xml', 'application/xml', 'text/xml'] as const;

function gone404(err: unknown): boolean {
  return err instanceof HttpStatusError && (err.status === 404 || err.status === 410);
}

/** Pure: a feed entry (with its first watch-page check) → a post; the thumbnail is its picture for PDQ. */
export function videoPost(v: FeedVideo, check: PostCheck | undefined, urls: { base: string; thumbBase: string }): ParsedPost {
  const url = v.url ?? `${urls.base}/watch?v=${v.videoId}`;
  const text = [v.title, v.description].filter(Boolean).join('\n');
  const views = check?.views ?? v.views;
  return {
    postId: v.videoId,
    url,
    text,
    links: [url],
    hashtags: [...text.matchAll(/(?:^|\s)#([\p{L}\p{N}_]{1,100})/gu)].map((m) => m[1] as string),
    mentions: [],
    media: [
      {
        kind: 'photo',
        url: `${urls.thumbBase}/vi/${v.videoId}/hqdefault.jpg`,
        ...(check?.durationSec !== undefined ? { durationSec: check.durationSec } : {}),
      },
    ],
    ...(v.publishedAt ? { publishedAt: v.publishedAt } : {}),
    ...(views !== undefined ? { views } : {}),
  };
}

/**
 * Pure: what the channel page says → the channel's snapshot. No page (HTTP 404/410) or "This channel does not exist."
 * is not found; an error alert is removed with its reason; an age-gated channel is active, its title and avatar from
 * the age gate, the gate named in `statusDetail` (its feed and watch pages are still read).
 */
export function channelSnapshot(handle: string, page: ChannelPage | undefined, feed: VideoFeed | undefined): ChannelSnapshot {
  const id = { platform: 'youtube' as const, handle, platformId: handle };
  if (!page) return { ...id, status: 'not_found', statusDetail: 'channel page: HTTP 404' };
  if (page.state === 'removed')
    return { ...id, status: page.reason === 'not_found' ? 'not_found' : 'removed', statusDetail: page.reasonText, reason: page.reason };
  const title = page.title ?? feed?.title;
  return {
    ...id,
    status: 'active',
    ...(title ? { title } : {}),
    ...(page.description ? { description: page.description } : {}),
    ...(page.avatarUrl ? { avatarUrl: page.avatarUrl } : {}),
    ...(page.ageGated ? { statusDetail: `age-gated channel page${page.ageGateText ? `: ${page.ageGateText}` : ''}` } : {}),
  };
}

/**
 * YouTube without an API key: the channel's or playlist's public feed gives new videos; each tracked video's watch
 * page is re-read at every check for its view count, duration and availability (the embedded player response); a
 * channel source also reads the channel page, whose error alert marks a terminated channel. A gone video is a check
 * with the reason the page states; it leaves the tracked list. One watch page that does not parse (or not within the parse budget) loses only that
 * video's check (state unknown, the error kept); network errors fail the check (retried).
 */
export const youtubeCrawler: Crawler<YoutubeSource> = {
  platform: 'youtube',
  async crawl(source: YoutubeSource, ctx: CrawlContext): Promise<CrawlOutcome> {
    const base = source.options.baseUrl.replace(/\/+$/, '');
    const thumbBase = source.options.thumbBaseUrl.replace(/\/+$/, '');
    const req = { userAgent: source.userAgent, proxy: source.proxy, signal: ctx.signal };
    const handle = source.channelId ?? source.playlistId ?? '';
    const feedUrl = `${base}/feeds/videos.xml?${source.channelId ? 'channel_id' : 'playlist_id'}=${encodeURIComponent(handle)}`;
    const parser = pageParser(ctx);
    let pages = 0;

    let feed: VideoFeed | undefined;
    try {
      const res = await ctx.fetcher.fetchText({ ...req, url: feedUrl, accept: FEED, timeoutName: 'youtube.feed' });
      feed = await parser.run(youtubeFeedTask, { xml: res.text, url: res.finalUrl });
    } catch (err) {
      if (!gone404(err)) throw err;
    }
    pages++;

    let channel: ChannelSnapshot;
    if (source.channelId) {
      const pageUrl = `${base}/channel/${encodeURIComponent(source.channelId)}`;
      let page: ChannelPage | undefined;
      try {
        const res = await ctx.fetcher.fetchText({ ...req, url: pageUrl, accept: HTML, timeoutName: 'youtube.channel' });
        page = await parser.run(youtubeChannelTask, { html: res.text, url: res.finalUrl });
      } catch (err) {
        if (!gone404(err)) throw err;
      }
      pages++;
      channel = channelSnapshot(handle, page, feed);
    } else {
      channel = feed
        ? { platform: 'youtube', handle, platformId: handle, status: 'active', ...(feed.title ? { title: feed.title } : {}) }
        : { platform: 'youtube', handle, platformId: handle, status: 'not_found', statusDetail: 'playlist feed: HTTP 404' };
    }

    const tracked = ctx.cursor.tracked ?? [];
    const known = new Set(tracked);
    const fresh = (feed?.videos ?? []).filter((v) => !known.has(v.videoId));
    const toCheck = [...new Set([...fresh.map((v) => v.videoId), ...tracked])].slice(0, Math.max(source.options.maxTracked, fresh.length));

    const checks: PostCheck[] = [];
    for (const videoId of toCheck) {
      const url = `${base}/watch?v=${encodeURIComponent(videoId)}`;
      pages++;
      try {
        const res = await ctx.fetcher.fetchText({ ...req, url, accept: HTML, timeoutName: 'youtube.watch' });
        const w = await parser.run(youtubeWatchTask, { html: res.text, videoId, url: res.finalUrl });
        if (w.state === 'available')
          checks.push({
            postId: videoId,
            state: 'available',
            ...(w.views !== undefined ? { views: w.views } : {}),
            ...(w.durationSec !== undefined ? { durationSec: w.durationSec } : {}),
          });
        else if (w.state === 'gone') checks.push({ postId: videoId, state: 'gone', reason: w.reason, reasonText: w.reasonText });
        else checks.push({ postId: videoId, state: 'unknown', reasonText: `playability ${w.playability}${w.reasonText ? `: ${w.reasonText}` : ''}` });
      } catch (err) {
        if (gone404(err)) checks.push({ postId: videoId, state: 'gone', reason: 'not_found', reasonText: `HTTP ${(err as HttpStatusError).status}` });
        else if (err instanceof ParseError || err instanceof ParseBudgetError) checks.push({ postId: videoId, state: 'unknown', reasonText: err.message });
        else throw err;
      }
    }
    const byId = new Map(checks.map((c) => [c.postId, c]));
    const posts = fresh.map((v) => videoPost(v, byId.get(v.videoId), { base, thumbBase }));
    const goneIds = new Set(checks.filter((c) => c.state === 'gone').map((c) => c.postId));
    return {
      channel,
      posts,
      pagesFetched: pages,
      cursor: { tracked: toCheck.filter((id) => !goneIds.has(id)).slice(0, source.options.maxTracked), backfilled: true },
      checks,
    };
  },
};
