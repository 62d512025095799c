import type { Platform } from '../../config/schema';
import type { CrawlHooks } from '../crawl/context';
import { telegramHooks } from './telegram';

/** Each platform's own part of a crawl (see CrawlHooks in crawl/context.ts); a platform not listed takes the plain path. */
const hooks: Partial<Record<Platform, CrawlHooks>> = {
  telegram: telegramHooks,
};

const none: CrawlHooks = {};

/** Where channel links in posts (of any platform) point when the platform's `linkBase` hook does not say. */
export const DEFAULT_LINK_BASE = 'https://t.me';

export function crawlHooks(platform: Platform): CrawlHooks {
  return hooks[platform] ?? none;
}
