import { createHash } from 'node:crypto';
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import { ParseError } from '../../src/core/errors';
import { DEFAULT_MAX_HTML_DEPTH, assertNestingDepth } from '../nesting-depth';
import { stripControlChars } from '../../src/core/text/control-chars';
import { plainText } from '../telegram/parse-channel-page';
import { absoluteUrl } from '../telegram/parse-helpers';
import type { MediaKind, MediaRef, ParsedPost } from '../types';

export interface ParsedFeed {
  title?: string;
  description?: string;
  link?: string;
  items: ParsedPost[];
}

function htmlToText(html: string, maxDepth: number, feedUrl: string): string {
  if (!/[<&]/.test(html)) return html.trim();
  assertNestingDepth(html, maxDepth, 'feed item HTML', { url: feedUrl });
  const $ = cheerio.load(html, { scriptingEnabled: false });
  return plainText($.root().get(0));
}

function kindOf(type: string | undefined, url: string): MediaKind {
  if (type?.startsWith('image/')) return type === 'image/gif' ? 'gif' : 'photo';
  if (type?.startsWith('video/')) return 'video';
  if (type?.startsWith('audio/')) return 'audio';
  return /\.(jpe?g|png|webp)(\?|$)/i.test(url) ? 'photo' : /\.(mp4|webm)(\?|$)/i.test(url) ? 'video' : 'document';
}

function date(v: string | undefined): Date | undefined {
  if (!v) return undefined;
  const d = new Date(v.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Pure RSS 2.0 / Atom parser. Entities are not expanded beyond the XML built-ins (no DTD processing), so entity
 * bombs stay inert. Not a feed, or elements nested deeper than `maxDepth` → ParseError naming the URL.
 */
export function parseFeed(xml: string, feedUrl: string, maxDepth: number = DEFAULT_MAX_HTML_DEPTH): ParsedFeed {
  if (/<!ENTITY/i.test(xml.slice(0, 65536))) {
    throw new ParseError('feed', 'document declares XML entities (refused: entity expansion attack)', feedUrl);
  }
  assertNestingDepth(xml, maxDepth, 'feed', { url: feedUrl, xml: true });
  const $ = cheerio.load(xml, { xml: { xmlMode: true, decodeEntities: true } });
  const rss = $('rss > channel, rdf\\:RDF, RDF').first();
  const atom = $('feed').first();
  if (!rss.length && !atom.length) throw new ParseError('feed', 'neither RSS (<rss><channel>) nor Atom (<feed>)', feedUrl);
  const items: ParsedPost[] = [];
  const isAtom = !rss.length;
  const nodes = isAtom ? atom.children('entry') : $('item');
  nodes.each((_, el) => {
    const it = $(el as AnyNode);
    const child = (name: string): string | undefined => {
      const c = it
        .children()
        .filter((__, e) => 'name' in e && (e as { name: string }).name.toLowerCase() === name.toLowerCase())
        .first();
      const t = stripControlChars(c.text());
      return c.length ? t : undefined;
    };
    const link = isAtom
      ? absoluteUrl(it.children('link[rel="alternate"]').attr('href') ?? it.children('link').first().attr('href'), feedUrl)
      : absoluteUrl(child('link')?.trim(), feedUrl);
    const body = child('content:encoded') ?? child('description') ?? child('content') ?? child('summary') ?? '';
    const title = child('title')?.trim();
    const bodyText = stripControlChars(htmlToText(body, maxDepth, feedUrl));
    const text = title && !bodyText.startsWith(title) ? `${title}\n${bodyText}`.trim() : bodyText;
    const guid = (child('guid') ?? child('id'))?.trim();
    const postId = guid || link || `h:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    const media: MediaRef[] = [];
    it.find('enclosure, media\\:content, media\\:thumbnail').each((__, m) => {
      const url = absoluteUrl($(m).attr('url'), feedUrl);
      if (url) media.push({ kind: kindOf($(m).attr('type'), url), url });
    });
    const publishedAt = date(child('pubDate') ?? child('published') ?? child('dc:date') ?? child('updated'));
    const links = link ? [link] : [];
    items.push({
      postId,
      text,
      links,
      hashtags: [...text.matchAll(/(?:^|\s)#([\p{L}\p{N}_]{1,100})/gu)].map((m) => m[1] as string),
      mentions: [],
      media,
      ...(link ? { url: link } : {}),
      ...(publishedAt ? { publishedAt } : {}),
    });
  });
  const head = isAtom ? atom : rss;
  const title = stripControlChars(head.children('title').first().text()).trim();
  const description = stripControlChars(head.children('description, subtitle').first().text()).trim();
  const link = isAtom ? head.children('link').first().attr('href') : head.children('link').first().text().trim();
  return { items, ...(title ? { title } : {}), ...(description ? { description } : {}), ...(link ? { link } : {}) };
}
