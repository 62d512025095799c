import type { Platform, Source } from '../config/schema';
import type { CrawlContext, CrawlOutcome, Crawler } from '../../crawlers/types';
import { telegramCrawler } from '../../crawlers/telegram';
import { rssCrawler } from '../../crawlers/rss';
import { htmlCrawler } from '../../crawlers/html';
import { browserCrawler } from '../../crawlers/browser';
import { youtubeCrawler } from '../../crawlers/youtube';
import { archiveCrawler } from '../../crawlers/archive';

export type CrawlerRegistry = { [P in Platform]: Crawler<P> };

export const defaultCrawlers: CrawlerRegistry = {
  telegram: telegramCrawler,
  rss: rssCrawler,
  html: htmlCrawler,
  browser: browserCrawler,
  youtube: youtubeCrawler,
  archive: archiveCrawler,
};

/** Dispatches a source to its platform's crawler (the union is narrowed per platform). */
export function crawlSource(registry: CrawlerRegistry, source: Source, ctx: CrawlContext): Promise<CrawlOutcome> {
  switch (source.platform) {
    case 'telegram':
      return registry.telegram.crawl(source, ctx);
    case 'rss':
      return registry.rss.crawl(source, ctx);
    case 'html':
      return registry.html.crawl(source, ctx);
    case 'browser':
      return registry.browser.crawl(source, ctx);
    case 'youtube':
      return registry.youtube.crawl(source, ctx);
    case 'archive':
      return registry.archive.crawl(source, ctx);
  }
}
