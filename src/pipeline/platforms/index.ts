import type { Platform } from '../../config/schema';
import type { CrawlHooks } from '../crawl/context';
import { telegramHooks } from './telegram';
import { telegramApiHooks } from './telegram-api';

/**
 * Each platform's own part of a crawl that reads or writes the store (see CrawlHooks in crawl/context.ts); a platform
 * not listed takes the plain path. Everything else a platform has is its module (crawlers/registry.ts): these hooks
 * stay here because crawlers/ imports nothing of src/ but the core (docs/adding-a-platform.md).
 */
const hooks: { readonly [P in Platform]?: CrawlHooks } = {
  telegram: telegramHooks,
  'telegram-api': telegramApiHooks,
};

const none: CrawlHooks = {};

export function crawlHooks(platform: Platform): CrawlHooks {
  return hooks[platform] ?? none;
}
