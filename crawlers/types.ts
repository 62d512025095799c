import type { Fetcher } from '../src/core/fetcher';
import type { BrowserPool } from '../src/core/browser-pool';
import type { TelegramApiAccess } from '../src/core/telegram-api';
import { inThreadParser, type PageParser } from '../src/core/parse-task';
import type { ChannelSnapshot, CrawlCursor, ParsedPost, PostCheck } from '../src/core/model';

// The domain types live in the core model (src/core/model.ts); re-exported here for the crawlers and existing imports.
export { TAKEDOWN_REASONS } from '../src/core/model';
export type {
  ChannelStatus,
  ChannelKind,
  ChannelSnapshot,
  TakedownReason,
  PostCheck,
  MediaKind,
  MediaRef,
  LinkPreview,
  Poll,
  GeoLocation,
  ServiceType,
  ServiceInfo,
  ParsedPost,
  ReactionCount,
  CrawlCursor,
} from '../src/core/model';

export interface CrawlOutcome {
  channel: ChannelSnapshot;
  posts: ParsedPost[];
  pagesFetched: number;
  cursor: CrawlCursor;
  /**
   * The page is the one the last full check saw (same newest post, same channel header), told before the full
   * parse: `channel` then carries only platform, handle and `active`, and `posts` is empty.
   */
  unchanged?: boolean;
  /** Re-checks of known posts (views, availability): YouTube watch pages, Internet Archive metadata. */
  checks?: PostCheck[];
}

export interface CrawlContext {
  fetcher: Fetcher;
  /** Only the browser crawler uses it. */
  browser?: BrowserPool;
  /** The logged-in Telegram API account (settings `telegramApi`); only the telegram-api crawler uses it. */
  telegramApi?: TelegramApiAccess;
  cursor: CrawlCursor;
  now: () => Date;
  signal?: AbortSignal;
  /** Where fetched pages are parsed: the worker's parse-thread pool (time budget, nesting cap). Unset: this thread. */
  parse?: PageParser;
}

const fallbackParser = inThreadParser();

/** The context's page parser, or an in-thread one (nesting cap only) when it has none. */
export function pageParser(ctx: CrawlContext): PageParser {
  return ctx.parse ?? fallbackParser;
}

/** What every source has, whatever its platform (each platform's schema says the rest: crawlers/<platform>/source.ts). */
export interface SourceBase {
  readonly id: string;
  readonly platform: string;
}

/** Common interface of every crawler in crawlers/: one platform's sources (`S`, from its source schema) crawled. */
export interface Crawler<S extends SourceBase> {
  readonly platform: S['platform'];
  crawl(source: S, ctx: CrawlContext): Promise<CrawlOutcome>;
}
