import type { HtmlSource } from './source';
import { HttpStatusError } from '../../src/core/errors';
import { pageParser, type CrawlContext, type CrawlOutcome, type Crawler } from '../types';
import { newerThan } from './extract-posts';
import { htmlPageTask } from './parse-tasks';

/** Generic HTML pages: posts found by the source's CSS selectors (cheerio). */
export const htmlCrawler: Crawler<HtmlSource> = {
  platform: 'html',
  async crawl(source: HtmlSource, ctx: CrawlContext): Promise<CrawlOutcome> {
    let res;
    try {
      res = await ctx.fetcher.fetchText({
        url: source.url,
        timeoutName: 'html.page',
        accept: ['text/html', 'application/xhtml+xml'],
        userAgent: source.userAgent,
        proxy: source.proxy,
        signal: ctx.signal,
      });
    } catch (err) {
      if (err instanceof HttpStatusError && (err.status === 404 || err.status === 410)) {
        return {
          channel: { platform: 'html', handle: source.url, status: 'not_found', statusDetail: `HTTP ${err.status}` },
          posts: [],
          pagesFetched: 1,
          cursor: ctx.cursor,
        };
      }
      throw err;
    }
    const { posts, title } = await pageParser(ctx).run(htmlPageTask, { html: res.text, pageUrl: res.finalUrl, selectors: source.options.selectors });
    const { fresh, newest } = newerThan(posts, ctx.cursor.newestPostId);
    return {
      channel: { platform: 'html', handle: source.url, status: 'active', ...(title ? { title } : {}) },
      posts: fresh,
      pagesFetched: 1,
      cursor: { ...(newest ? { newestPostId: newest } : {}), backfilled: true },
    };
  },
};
