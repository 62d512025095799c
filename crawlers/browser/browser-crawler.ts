import type { BrowserSource } from './source';
import { SourceConfigError } from '../../src/core/errors';
import { newerThan } from '../html/extract-posts';
import { htmlPageTask } from '../html/parse-tasks';
import { pageParser, type CrawlContext, type CrawlOutcome, type Crawler } from '../types';

/** Pages that need JavaScript: rendered by Playwright (Debian chromium, fresh context), then the HTML selectors. */
export const browserCrawler: Crawler<BrowserSource> = {
  platform: 'browser',
  async crawl(source: BrowserSource, ctx: CrawlContext): Promise<CrawlOutcome> {
    if (!ctx.browser) throw new SourceConfigError(`source "${source.id}" needs a browser, but this worker has none`);
    const res = await ctx.browser.render({
      url: source.url,
      waitForSelector: source.options.waitFor ?? source.options.selectors.post,
      timeoutMs: source.options.navigationTimeoutMs,
      ...(source.userAgent ? { userAgent: source.userAgent } : {}),
      ...(source.proxy ? { proxy: source.proxy } : {}),
    });
    const { posts, title } = await pageParser(ctx).run(htmlPageTask, { html: res.html, pageUrl: res.finalUrl, selectors: source.options.selectors });
    const { fresh, newest } = newerThan(posts, ctx.cursor.newestPostId);
    return {
      channel: { platform: 'browser', handle: source.url, status: 'active', ...(title ? { title } : {}) },
      posts: fresh,
      pagesFetched: 1,
      cursor: { ...(newest ? { newestPostId: newest } : {}), backfilled: true },
    };
  },
};
