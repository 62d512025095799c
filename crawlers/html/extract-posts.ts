import { createHash } from 'node:crypto';
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { z } from 'zod';
import type { htmlSelectorsSchema } from './source';
import { SourceConfigError } from '../../src/core/errors';
import { DEFAULT_MAX_HTML_DEPTH, assertNestingDepth } from '../nesting-depth';
import { plainText } from '../telegram/parse-channel-page';
import { absoluteUrl, extractBackgroundUrl } from '../telegram/parse-helpers';
import type { MediaKind, MediaRef, ParsedPost } from '../types';

export type HtmlSelectors = z.infer<typeof htmlSelectorsSchema>;

function mediaKind(url: string): MediaKind {
  const ext = /\.([a-z0-9]{2,5})(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  if (ext === 'gif') return 'gif';
  if (['jpg', 'jpeg', 'png', 'webp', 'avif', 'bmp'].includes(ext)) return 'photo';
  if (['mp4', 'webm', 'mov', 'm4v'].includes(ext)) return 'video';
  if (['mp3', 'ogg', 'oga', 'm4a', 'wav'].includes(ext)) return 'audio';
  return 'document';
}

function parseDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function select($: cheerio.CheerioAPI, root: cheerio.Cheerio<AnyNode> | undefined, selector: string, key: string): cheerio.Cheerio<AnyNode> {
  try {
    return root ? root.find(selector) : $(selector);
  } catch (err) {
    throw new SourceConfigError(`invalid CSS selector for ${key}: "${selector}" (${(err as Error).message})`);
  }
}

/** Pure: posts of a generic page, by the source's CSS selectors. Markup nested deeper than `maxDepth`: ParseError. */
export function extractPosts(html: string, pageUrl: string, selectors: HtmlSelectors, maxDepth: number = DEFAULT_MAX_HTML_DEPTH): ParsedPost[] {
  assertNestingDepth(html, maxDepth, 'HTML page', { url: pageUrl });
  const $ = cheerio.load(html, { scriptingEnabled: false });
  const posts: ParsedPost[] = [];
  const seen = new Set<string>();
  select($, undefined, selectors.post, 'post').each((_, el) => {
    const node = $(el);
    const textEl = select($, node, selectors.text, 'text').first();
    const text = plainText(textEl.get(0));
    const links: string[] = [];
    textEl.find('a[href]').each((__, a) => {
      const u = absoluteUrl($(a).attr('href'), pageUrl);
      if (u) links.push(u);
    });
    const hashtags = [...text.matchAll(/(?:^|\s)#([\p{L}\p{N}_]{1,100})/gu)].map((m) => m[1] as string);
    const mentions = [...text.matchAll(/(?:^|\s)@([A-Za-z0-9_]{3,64})/g)].map((m) => m[1] as string);
    let publishedAt: Date | undefined;
    if (selectors.date) {
      const d = select($, node, selectors.date, 'date').first();
      publishedAt = parseDate(d.attr(selectors.dateAttr ?? 'datetime')) ?? parseDate(d.text());
    }
    const media: MediaRef[] = [];
    if (selectors.media) {
      select($, node, selectors.media, 'media').each((__, m) => {
        const e = $(m);
        const url = absoluteUrl(e.attr('src') ?? e.attr('data-src') ?? e.attr('href') ?? extractBackgroundUrl(e.attr('style')), pageUrl);
        if (url) media.push({ kind: mediaKind(url), url });
      });
    }
    const permalink = selectors.link ? absoluteUrl(select($, node, selectors.link, 'link').first().attr('href'), pageUrl) : undefined;
    const attrId = selectors.idAttr ? node.attr(selectors.idAttr)?.trim() : undefined;
    const postId = attrId || permalink || `h:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    if (!text && media.length === 0) return;
    if (seen.has(postId)) return;
    seen.add(postId);
    posts.push({
      postId,
      text,
      links: [...new Set(links)],
      hashtags: [...new Set(hashtags)],
      mentions: [...new Set(mentions)],
      media,
      ...(permalink ? { url: permalink } : {}),
      ...(publishedAt ? { publishedAt } : {}),
    });
  });
  return posts;
}

export function pageTitle(html: string): string | undefined {
  const $ = cheerio.load(html, { scriptingEnabled: false });
  const t = $('title').first().text().trim();
  return t || undefined;
}

/** Incremental filter for web pages: posts newer than the cursor's date, or undated (the store dedups by id). */
export function newerThan(posts: ParsedPost[], newestIso: string | undefined): { fresh: ParsedPost[]; newest?: string } {
  const newestMs = newestIso ? Date.parse(newestIso) : undefined;
  const fresh = newestMs === undefined ? posts : posts.filter((p) => !p.publishedAt || p.publishedAt.getTime() > newestMs);
  const maxMs = Math.max(newestMs ?? -Infinity, ...posts.map((p) => p.publishedAt?.getTime() ?? -Infinity));
  return { fresh, ...(Number.isFinite(maxMs) ? { newest: new Date(maxMs).toISOString() } : {}) };
}
