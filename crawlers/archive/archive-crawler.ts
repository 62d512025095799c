import { archiveQuery, type ArchiveSource } from './source';
import { HttpStatusError, ParseBudgetError, ParseError } from '../../src/core/errors';
import { pageParser, type CrawlContext, type CrawlOutcome, type Crawler, type MediaRef, type ParsedPost, type PostCheck } from '../types';
import { IDENTIFIER, smallestVideo, type ItemMetadata, type SearchDoc } from './parse-archive';
import { archiveMetadataTask, archiveSearchTask } from './parse-tasks';

const JSON_TYPES = ['application/json', 'text/json', 'text/plain', 'text/javascript', 'application/javascript'] as const;

/** Pure: the advanced-search URL of a query (newest first, the fields the crawler reads). */
export function searchUrl(base: string, q: string, rows: number): string {
  const fields = ['identifier', 'title', 'description', 'publicdate', 'uploader', 'downloads', 'mediatype'].map((f) => `fl[]=${f}`).join('&');
  return `${base}/advancedsearch.php?q=${encodeURIComponent(q)}&${fields}&sort[]=publicdate+desc&rows=${rows}&page=1&output=json`;
}

/** Pure: a found item (search doc + metadata) → a post on the search's channel; its image and maybe a video file. */
export function itemPost(
  doc: SearchDoc,
  md: Extract<ItemMetadata, { state: 'public' }>,
  opts: { base: string; downloadVideo: boolean; maxVideoBytes: number },
): ParsedPost {
  const id = doc.identifier;
  const url = `${opts.base}/details/${id}`;
  const title = md.title ?? doc.title ?? id;
  const description = md.description ?? doc.description ?? '';
  const text = [title, description].filter(Boolean).join('\n');
  const media: MediaRef[] = [{ kind: 'photo', url: `${opts.base}/services/img/${id}` }];
  const video = opts.downloadVideo ? smallestVideo(md.files, opts.maxVideoBytes) : undefined;
  if (video) media.push({ kind: 'video', url: `${opts.base}/download/${id}/${video.name.split('/').map(encodeURIComponent).join('/')}`, fileName: video.name });
  const publishedAt = md.publicdate ?? doc.publicdate;
  return {
    postId: id,
    url,
    text,
    links: [url],
    hashtags: [],
    mentions: [],
    media,
    ...(publishedAt ? { publishedAt } : {}),
    ...(doc.downloads !== undefined ? { views: doc.downloads } : {}),
  };
}

function checkOf(id: string, md: ItemMetadata, downloads: number | undefined): PostCheck {
  if (md.state === 'missing') return { postId: id, state: 'gone', reason: 'not_found', reasonText: 'item does not exist (the metadata API answers {})' };
  if (md.state === 'dark') return { postId: id, state: 'gone', reason: 'dark', reasonText: 'item is dark (is_dark: true)' };
  return { postId: id, state: 'available', ...(downloads !== undefined ? { views: downloads } : {}) };
}

/**
 * The Internet Archive: a source is a search (query, collection or uploader) through the advanced-search JSON API.
 * Each new item's metadata (`/metadata/<identifier>`) gives its files and dates; every tracked item's metadata is
 * re-read at each check, and an item gone (`{}`) or dark (`is_dark`) is a check with that reason. Downloads (the
 * search's counter) are the item's views. One metadata answer that does not parse (or not within the parse budget)
 * loses only that item; every answer is parsed through the context's parse pool (nesting caps and time budget).
 */
export const archiveCrawler: Crawler<ArchiveSource> = {
  platform: 'archive',
  async crawl(source: ArchiveSource, ctx: CrawlContext): Promise<CrawlOutcome> {
    const base = source.options.baseUrl.replace(/\/+$/, '');
    const req = { userAgent: source.userAgent, proxy: source.proxy, signal: ctx.signal, accept: JSON_TYPES };
    const q = archiveQuery(source);
    const res = await ctx.fetcher.fetchText({ ...req, url: searchUrl(base, q, source.options.rows), timeoutName: 'archive.search' });
    const parser = pageParser(ctx);
    const found = await parser.run(archiveSearchTask, { body: res.text, url: res.finalUrl });
    let pages = 1;

    const tracked = ctx.cursor.tracked ?? [];
    const known = new Set(tracked);
    const docs = new Map(found.docs.map((d) => [d.identifier, d]));
    const fresh = found.docs.filter((d) => !known.has(d.identifier));
    const toCheck = [...new Set([...fresh.map((d) => d.identifier), ...tracked])]
      .filter((id) => IDENTIFIER.test(id))
      .slice(0, Math.max(source.options.maxTracked, fresh.length));

    const checks: PostCheck[] = [];
    const posts: ParsedPost[] = [];
    const freshIds = new Set(fresh.map((d) => d.identifier));
    for (const id of toCheck) {
      const url = `${base}/metadata/${encodeURIComponent(id)}`;
      pages++;
      let md: ItemMetadata;
      try {
        const r = await ctx.fetcher.fetchText({ ...req, url, timeoutName: 'archive.metadata' });
        md = await parser.run(archiveMetadataTask, { body: r.text, identifier: id, url: r.finalUrl });
      } catch (err) {
        if (err instanceof HttpStatusError && (err.status === 404 || err.status === 410)) md = { state: 'missing' };
        else if (err instanceof ParseError || err instanceof ParseBudgetError) {
          checks.push({ postId: id, state: 'unknown', reasonText: err.message });
          continue;
        } else throw err;
      }
      const doc = docs.get(id);
      checks.push(checkOf(id, md, doc?.downloads));
      if (freshIds.has(id) && doc && md.state === 'public')
        posts.push(itemPost(doc, md, { base, downloadVideo: source.options.downloadVideo, maxVideoBytes: source.options.maxVideoBytes }));
    }
    const goneIds = new Set(checks.filter((c) => c.state === 'gone').map((c) => c.postId));
    return {
      channel: { platform: 'archive', handle: q, status: 'active', title: `Internet Archive search: ${q}` },
      posts,
      pagesFetched: pages,
      cursor: { tracked: toCheck.filter((id) => !goneIds.has(id)).slice(0, source.options.maxTracked), backfilled: true },
      checks,
    };
  },
};
