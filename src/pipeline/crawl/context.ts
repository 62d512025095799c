import type { Settings, Source } from '../../config/schema';
import type { ChannelSnapshot, CrawlCursor, CrawlOutcome } from '../../../crawlers/types';
import type { StoredChannelState } from '../../core/channel-transitions';
import type { BrowserPool } from '../../core/browser-pool';
import type { TelegramApiAccess } from '../../core/telegram-api';
import type { Fetcher } from '../../core/fetcher';
import type { PageParser } from '../../core/parse-task';
import type { CrawlerRegistry } from '../../app/crawler-registry';
import type { HostLimiter } from '../../queue/host-limiter';
import type { StageHandoff } from '../../queue/stage-queues';
import type { MediaMatcher } from '../../media/media-matcher';
import type { CachedCursor } from '../../store/cursor-cache';
import type { PostTakedownDoc } from '../../store/repos/post-checks';
import type { Store } from '../../store/store';
import type { ChannelDoc, EventDoc } from '../../store/repos/channels';
import type { CursorDoc, RunDoc } from '../../store/repos/crawl-state';
import type { MediaDoc, PostDoc } from '../../store/repos/posts';
import type { DiscoveryJobData } from '../../queue/discovery-job';
import type { PointedHandle } from '../../store/repos/handle-pointers';

export interface PipelineDeps {
  store: Store;
  crawlers: CrawlerRegistry;
  fetcher: Fetcher;
  limiter: HostLimiter;
  browser?: BrowserPool;
  /** The logged-in Telegram API account (settings `telegramApi`); unset: the telegram-api platform is off. */
  telegramApi?: TelegramApiAccess;
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
  /** The channel changed under this check (followed to a new handle while it fetched the old one): nothing written. */
  superseded?: boolean;
}

/** What a platform's `beforeFetch` hook found: the channel of the last check, or a check that ends before the fetch. */
export type BeforeFetch =
  | { known: ChannelDoc | null; settledKey: string | undefined; settled: boolean }
  /** No fetch this time (a removed channel between its re-checks): the channel, and the events its hand-off gave. */
  | { skip: { channelKey: string; channelStatus: NonNullable<RunDoc['channelStatus']>; events: EventDoc[] } };

/** What the cursor records of the channel a check landed on. */
export interface CursorLanding {
  /** The channel this source's handle showed, and that handle (lowercase): the next check reads no handle index. */
  landed?: { channelKey: string; handle: string };
  /** The channel is settled: the next check reads the cursor only. */
  settled?: CursorDoc['settled'];
}

/**
 * A platform's own part of a crawl (src/pipeline/platforms/<platform>.ts): every hook is optional, and a platform
 * without hooks takes the plain path (channel keyed by source, no handle index, no pre-fetch read, no successor
 * search). The steps in src/pipeline/crawl/ call them at fixed points and never name a platform.
 */
export interface CrawlHooks {
  /** Lock and cursor: the source as this check crawls it (a followed rename). */
  crawledAs?(run: CrawlRun): Promise<Source>;
  /** Fast path, before the fetch: the channel the last check landed on (settled or not), or no fetch at all. */
  beforeFetch?(run: CrawlRun): Promise<BeforeFetch>;
  /** Land: the key of the channel a handle is known under (the page gave no platform id; a final crawl failure). */
  channelKeyByHandle?(store: Store, handle: string): Promise<string | undefined>;
  /** Land: the channel the page claims is another source's: where this check lands instead (and its record). */
  resolveConflict?(run: LandedCrawl): Promise<{ channelKey: string; prev: ChannelDoc | null } | undefined>;
  /** Posts: handles the channel's profile points at (a new description, new pin notices), recorded with the posts'. */
  profilePointers?(run: StoredCrawl): ReadonlyArray<Map<string, PointedHandle>>;
  /** State: after the channel document is written (the handle index). */
  afterState?(run: StatedCrawl): Promise<void>;
  /** Cursor: what the cursor records of the channel the check landed on. */
  cursorLanding?(run: StatedCrawl): CursorLanding;
  /** Hand-off: the successor search handed to the discovery stage after this check, when one is due. */
  successorSearch?(run: StatedCrawl): DiscoveryJobData | undefined;
}
