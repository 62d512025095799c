import type { TelegramSource } from './source';
import { ParseError } from '../../src/core/errors';
import { pageParser, type CrawlContext, type CrawlOutcome, type Crawler, type ParsedPost } from '../types';
import { pageDigest, unchangedSince } from './page-digest';
import { telegramChannelTask, telegramStatusTask } from './parse-tasks';

const HTML = ['text/html'] as const;

function previewUrl(source: TelegramSource, before?: string): string {
  const base = source.options.baseUrl.replace(/\/+$/, '');
  return `${base}/s/${encodeURIComponent(source.handle)}${before ? `?before=${before}` : ''}`;
}

/** True when a redirect took us off `{baseUrl}/s/` (works for mirrors with a path prefix too). */
function leftPreview(finalUrl: string, baseUrl: string): boolean {
  try {
    const prefix = new URL(`${baseUrl.replace(/\/+$/, '')}/s/`).pathname;
    return !new URL(finalUrl).pathname.startsWith(prefix);
  } catch {
    return true;
  }
}

function sameUrl(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.host === y.host && x.pathname.replace(/\/+$/, '').toLowerCase() === y.pathname.replace(/\/+$/, '').toLowerCase() && !x.search;
  } catch {
    return false;
  }
}

/**
 * Public channel web preview (`t.me/s/<handle>`). First crawl: backfill `backfillPages` older pages with `?before=`.
 * Later crawls: page back only until the last seen post. A redirect off `/s/` (or no post list) means the channel is
 * not publicly visible; `t.me/<handle>` then tells removed (ToS banner), private (a channel with no preview), not found,
 * or `not_channel`: the handle is a public group (whose messages t.me/s does not show), a user or a bot.
 */
export const telegramCrawler: Crawler<TelegramSource> = {
  platform: 'telegram',
  async crawl(source: TelegramSource, ctx: CrawlContext): Promise<CrawlOutcome> {
    const req = { accept: HTML, userAgent: source.userAgent, proxy: source.proxy, signal: ctx.signal };
    const baseUrl = source.options.baseUrl;
    const parser = pageParser(ctx);
    const first = await ctx.fetcher.fetchText({ ...req, url: previewUrl(source), timeoutName: 'telegram.page' });
    // Cheap "nothing new": the same newest post and header as at the last full check → no parse.
    const digest = leftPreview(first.finalUrl, baseUrl) ? {} : pageDigest(first.text);
    if (ctx.cursor.backfilled && unchangedSince(digest, ctx.cursor)) {
      return { channel: { platform: 'telegram', handle: source.handle, status: 'active' }, posts: [], pagesFetched: 1, cursor: ctx.cursor, unchanged: true };
    }
    const page = leftPreview(first.finalUrl, baseUrl)
      ? undefined
      : await parser.run(telegramChannelTask, { html: first.text, baseUrl, handle: source.handle, pageUrl: first.finalUrl });

    if (!page || !page.hasPostList) {
      if (page === undefined || /class="[^"]*\btgme_/.test(first.text)) {
        const statusUrl = `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(source.handle)}`;
        // The redirect usually lands on the status page already: don't fetch it twice.
        const landed = page === undefined && sameUrl(first.finalUrl, statusUrl);
        const statusHtml = landed ? first.text : (await ctx.fetcher.fetchText({ ...req, url: statusUrl, timeoutName: 'telegram.status' })).text;
        const cls = await parser.run(telegramStatusTask, { html: statusHtml, url: statusUrl });
        if (cls.status === 'active') {
          throw new ParseError('Telegram preview page', 'the channel page links a public preview, but t.me/s showed no post list', first.finalUrl);
        }
        return {
          channel: {
            platform: 'telegram',
            handle: source.handle,
            status: cls.status,
            ...(cls.kind ? { kind: cls.kind } : {}),
            ...(cls.detail ? { statusDetail: cls.detail } : {}),
            ...(cls.title ? { title: cls.title } : {}),
            ...(cls.subscribers !== undefined ? { subscribers: cls.subscribers } : {}),
          },
          posts: [],
          pagesFetched: landed ? 1 : 2,
          cursor: ctx.cursor,
        };
      }
      throw new ParseError('Telegram preview page', 'no channel header and no message list (not a t.me/s page?)', first.finalUrl);
    }

    const known = ctx.cursor.newestPostId !== undefined ? Number(ctx.cursor.newestPostId) : undefined;
    const backfill = !ctx.cursor.backfilled;
    const maxExtraPages = backfill ? source.options.backfillPages : source.options.maxPagesPerCheck - 1;
    const byId = new Map<string, ParsedPost>(page.posts.map((p) => [p.postId, p]));
    let before = page.olderBefore;
    let pages = 1;
    let oldest = page.posts[0] ? Number(page.posts[0].postId) : undefined;
    while (before && pages - 1 < maxExtraPages && (backfill || (known !== undefined && oldest !== undefined && oldest > known + 1))) {
      const older = await ctx.fetcher.fetchText({ ...req, url: previewUrl(source, before), timeoutName: 'telegram.page' });
      pages += 1;
      if (leftPreview(older.finalUrl, baseUrl)) break;
      const parsed = await parser.run(telegramChannelTask, { html: older.text, baseUrl, handle: source.handle, pageUrl: older.finalUrl });
      for (const p of parsed.posts) if (!byId.has(p.postId)) byId.set(p.postId, p);
      const nextOldest = parsed.posts[0] ? Number(parsed.posts[0].postId) : undefined;
      if (nextOldest === undefined || (oldest !== undefined && nextOldest >= oldest)) break; // no progress: stop
      oldest = nextOldest;
      before = parsed.olderBefore;
    }

    const all = [...byId.values()].sort((a, b) => Number(a.postId) - Number(b.postId));
    const fresh = backfill || known === undefined ? all : all.filter((p) => Number(p.postId) > known);
    const newest = all.length ? Number(all[all.length - 1]?.postId) : undefined;
    const newestPostId = newest !== undefined && (known === undefined || newest > known) ? String(newest) : ctx.cursor.newestPostId;
    return {
      channel: page.channel,
      posts: fresh,
      pagesFetched: pages,
      cursor: {
        ...(newestPostId !== undefined ? { newestPostId } : {}),
        backfilled: true,
        ...(digest.header && newestPostId === digest.newestPostId ? { pageHeader: digest.header } : {}),
      },
    };
  },
};
