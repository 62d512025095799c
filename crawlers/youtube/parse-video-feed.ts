import * as cheerio from 'cheerio';
import { ParseError } from '../../src/core/errors';
import { stripControlChars } from '../../src/core/text/control-chars';

export interface FeedVideo {
  videoId: string;
  title: string;
  description: string;
  url?: string;
  publishedAt?: Date;
  /** `media:community/media:statistics/@views` at the time of the feed. */
  views?: number;
  thumbUrl?: string;
}

export interface VideoFeed {
  channelId?: string;
  title?: string;
  author?: string;
  videos: FeedVideo[];
}

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

/**
 * Pure: a channel id as every feed generation and page spells it (`UC` + 22 characters). Feeds of 2026 write the
 * top-level `<yt:channelId>` (and `<id>yt:channel:…</id>`) without the `UC` (a real feed in test/fixtures/youtube),
 * while their entries and links keep it: the bare 22-character form gets its `UC` back; anything else is kept as is.
 */
export function normalizeChannelId(id: string): string {
  return /^[A-Za-z0-9_-]{22}$/.test(id) ? `UC${id}` : id;
}

function text(s: string): string {
  return stripControlChars(s).trim();
}

/**
 * Pure: a YouTube channel or playlist feed (`/feeds/videos.xml?channel_id=…|playlist_id=…`, Atom with the `yt:` and
 * `media:` namespaces) → its videos. Entries without a valid 11-character `yt:videoId` are skipped; a document that is
 * not an Atom feed is a ParseError. No DTD processing (entity declarations are refused). The channel id is always the
 * `UC…` form (`normalizeChannelId`).
 */
export function parseVideoFeed(xml: string, url?: string): VideoFeed {
  const what = 'YouTube feed';
  if (/<!ENTITY/i.test(xml.slice(0, 65536))) throw new ParseError(what, 'document declares XML entities (refused)', url);
  const $ = cheerio.load(xml, { xml: { xmlMode: true, decodeEntities: true } });
  const feed = $('feed').first();
  if (!feed.length) throw new ParseError(what, 'not an Atom <feed>', url);
  const videos: FeedVideo[] = [];
  feed.children('entry').each((_, el) => {
    const e = $(el);
    const videoId = text(e.children('yt\\:videoId').first().text());
    if (!VIDEO_ID.test(videoId)) return;
    const group = e.children('media\\:group').first();
    const title = text(e.children('title').first().text() || group.children('media\\:title').first().text());
    const description = text(group.children('media\\:description').first().text());
    const href = e.children('link[rel="alternate"]').attr('href');
    const published = new Date(text(e.children('published').first().text()));
    const viewsAttr = group.find('media\\:statistics').first().attr('views');
    const views = viewsAttr !== undefined && /^\d{1,15}$/.test(viewsAttr.trim()) ? Number(viewsAttr.trim()) : undefined;
    const thumbUrl = group.children('media\\:thumbnail').first().attr('url');
    videos.push({
      videoId,
      title,
      description,
      ...(href && /^https?:\/\//.test(href) ? { url: href } : {}),
      ...(Number.isNaN(published.getTime()) ? {} : { publishedAt: published }),
      ...(views !== undefined ? { views } : {}),
      ...(thumbUrl && /^https?:\/\//.test(thumbUrl) ? { thumbUrl } : {}),
    });
  });
  const channelId = normalizeChannelId(text(feed.children('yt\\:channelId').first().text()));
  const title = text(feed.children('title').first().text());
  const author = text(feed.children('author').first().children('name').first().text());
  return { videos, ...(channelId ? { channelId } : {}), ...(title ? { title } : {}), ...(author ? { author } : {}) };
}
