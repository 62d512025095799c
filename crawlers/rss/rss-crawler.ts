import type { RssSource } from './source';
import { HttpStatusError } from '../../src/core/errors';
import { newerThan } from '../html/extract-posts';
import { feedTask } from './parse-tasks';
import { pageParser, type CrawlContext, type CrawlOutcome, type Crawler } from '../types';

const FEED_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/xml', 'text/xml', 'application/rdf+xml', 'text/plain'] as const;

export const rssCrawler: Crawler<RssSource> = {
  platform: 'rss',
  async crawl(source: RssSource, ctx: CrawlContext): Promise<CrawlOutcome> {
    let res;
    try {
      res = await ctx.fetcher.fetchText({
        url: source.url,
        timeoutName: 'rss.feed',
        accept: FEED_TYPES,
        userAgent: source.userAgent,
        proxy: source.proxy,
        signal: ctx.signal,
      });
    } catch (err) {
      if (err instanceof HttpStatusError && (err.status === 404 || err.status === 410)) {
        return {
          channel: { platform: 'rss', handle: source.url, status: 'not_found', statusDetail: `HTTP ${err.status}` },
          posts: [],
          pagesFetched: 1,
          cursor: ctx.cursor,
        };
      }
      throw err;
    }
    const feed = await pageParser(ctx).run(feedTask, { xml: res.text, feedUrl: res.finalUrl });
    const { fresh, newest } = newerThan(feed.items, ctx.cursor.newestPostId);
    return {
      channel: {
        platform: 'rss',
        handle: source.url,
        status: 'active',
        ...(feed.title ? { title: feed.title } : {}),
        ...(feed.description ? { description: feed.description } : {}),
      },
      posts: fresh,
      pagesFetched: 1,
      cursor: { ...(newest ? { newestPostId: newest } : {}), backfilled: true },
    };
  },
};
