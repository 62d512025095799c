import type { Platform, Source, SourceOf } from '../config/schema';
import type { CrawlContext, CrawlOutcome, Crawler } from '../../crawlers/types';
import { platformModules } from '../../crawlers/registry';

/** One crawler per platform, each typed by its own source (benches and tests may swap one). */
export type CrawlerRegistry = { readonly [P in Platform]: Crawler<SourceOf<P>> };

/** Every platform's crawler, from its module in crawlers/registry.ts. */
export const defaultCrawlers: CrawlerRegistry = crawlersOf(platformModules);

function crawlersOf(modules: { readonly [P in Platform]: { readonly crawler: Crawler<SourceOf<P>> } }): CrawlerRegistry {
  const entries = Object.entries(modules).map(([platform, m]) => [platform, m.crawler] as const);
  // Object.fromEntries cannot keep the key-to-crawler pairing in its type; the entries come from the mapped type above.
  return Object.fromEntries(entries) as CrawlerRegistry;
}

/** Dispatches a source to its platform's crawler (the union is narrowed per platform). */
export function crawlSource(registry: CrawlerRegistry, source: Source, ctx: CrawlContext): Promise<CrawlOutcome> {
  return crawlAs(registry, source.platform, source, ctx);
}

function crawlAs<P extends Platform>(registry: CrawlerRegistry, platform: P, source: SourceOf<P>, ctx: CrawlContext): Promise<CrawlOutcome> {
  return registry[platform].crawl(source, ctx);
}
