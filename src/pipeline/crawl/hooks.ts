import type { Source } from '../../config/schema';
import type { DiscoveryJobData } from '../../queue/discovery-job';
import type { PointedHandle } from '../../resurface/pointers';
import type { Store } from '../../store/store';
import type { ChannelDoc, CursorDoc, EventDoc, RunDoc } from '../../store/types';
import type { CrawlRun, LandedCrawl, StatedCrawl, StoredCrawl } from './context';

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
  /** Posts: where links to channels point (mirrors and the simulator have their own base URL). */
  linkBase?(source: Source): string;
  /** Posts: handles the channel's profile points at (a new description, new pin notices), recorded with the posts'. */
  profilePointers?(run: StoredCrawl): ReadonlyArray<Map<string, PointedHandle>>;
  /** State: after the channel document is written (the handle index). */
  afterState?(run: StatedCrawl): Promise<void>;
  /** Cursor: what the cursor records of the channel the check landed on. */
  cursorLanding?(run: StatedCrawl): CursorLanding;
  /** Hand-off: the successor search handed to the discovery stage after this check, when one is due. */
  successorSearch?(run: StatedCrawl): DiscoveryJobData | undefined;
}
