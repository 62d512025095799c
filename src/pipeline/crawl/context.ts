import type { Settings, Source } from '../../config/schema';
import type { ChannelSnapshot, CrawlCursor, CrawlOutcome } from '../../../crawlers/types';
import type { StoredChannelState } from '../../core/channel-transitions';
import type { BrowserPool } from '../../net/browser-pool';
import type { Fetcher } from '../../net/fetcher';
import type { PageParser } from '../../parse/page-parser';
import type { CrawlerRegistry } from '../../app/crawler-registry';
import type { HostLimiter } from '../../queue/host-limiter';
import type { StageHandoff } from '../../queue/stage-queues';
import type { MediaMatcher } from '../../media/media-matcher';
import type { CachedCursor } from '../../store/cursor-cache';
import type { PostTakedownDoc } from '../../store/post-checks';
import type { Store } from '../../store/store';
import type { ChannelDoc, CursorDoc, EventDoc, MediaDoc, PostDoc } from '../../store/types';
import type { CrawlHooks } from './hooks';

export interface PipelineDeps {
  store: Store;
  crawlers: CrawlerRegistry;
  fetcher: Fetcher;
  limiter: HostLimiter;
  browser?: BrowserPool;
  /** Where fetched pages are parsed (the runtime's parse-thread pool). Unset: in this thread, nesting cap only. */
  parser?: PageParser;
  settings: Settings;
  /**
   * How media and discovery work is handed on: the stage queues in workers. Unset, both run inline in this call
   * (tools and tests), media intake only when a matcher is given.
   */
  handoff?: StageHandoff;
  /** Inline hand-off only: this process's fingerprint index. */
  matcher?: MediaMatcher;
  now?: () => Date;
}

export interface CrawlRunInfo {
  jobId: string;
  attempt: number;
}

/**
 * One crawl of one source, as the steps in this folder see it. Each step adds what it found to the same object
 * (`Object.assign`), so the type grows with the steps: {@link CrawlRun} (lock and cursor) → {@link FetchedCrawl}
 * (fetch and parse) → {@link LandedCrawl} (the channel) → {@link StoredCrawl} (posts) → {@link StatedCrawl}
 * (channel state and events).
 */
export interface CrawlRun {
  deps: PipelineDeps;
  store: Store;
  settings: Settings;
  now: () => Date;
  run: CrawlRunInfo & { startedAt: Date };
  handoff: StageHandoff;
  /** The platform's hooks (src/pipeline/platforms/); none for platforms with nothing of their own. */
  hooks: CrawlHooks;
  /** The source as configured. */
  configured: Source;
  /** The source as this check crawls it (a followed rename changes its handle). */
  source: Source;
  /** The cursor document as the check started (from the Redis cache when it had it). */
  cursorDoc: CursorDoc | null;
  cached: CachedCursor | null;
  /** The cursor the last check left (`{}` the first time). */
  stored: CrawlCursor;
  /** The channel read before the fetch, when the platform's `beforeFetch` hook read it. */
  known: ChannelDoc | null;
  /** Set when a settled cursor stands for its channel (active, nothing pending): its key, no channel read. */
  settledKey: string | undefined;
  /** The last full check left this source's channel active and settled: the fetch may tell "nothing new". */
  settled: boolean;
}

export interface FetchedCrawl extends CrawlRun {
  outcome: CrawlOutcome;
  /** The check's time (after the fetch). */
  at: Date;
}

export interface LandedCrawl extends FetchedCrawl {
  snap: ChannelSnapshot;
  /** The channel the check lands on, and that channel as stored before this check (its outbox flushed). */
  channelKey: string;
  prev: ChannelDoc | null;
}

export interface StoredCrawl extends LandedCrawl {
  postDocs: PostDoc[];
  mediaDocs: MediaDoc[];
  /** How many of the posts were new. */
  inserted: number;
}

export interface StatedCrawl extends StoredCrawl {
  /** Posts of re-checks (videos, items) found gone. */
  takedowns: PostTakedownDoc[];
  /** This check's events: in the channel's outbox, then appended; the successor search adds its own. */
  events: EventDoc[];
  /** The channel document as written (without its `_id`). */
  doc: Omit<ChannelDoc, '_id'>;
  state: StoredChannelState;
}
