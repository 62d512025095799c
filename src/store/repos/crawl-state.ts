import type { Collection } from 'mongodb';
import type { ChannelSnapshot, CrawlCursor } from '../../core/model';
import type { TimeBuckets } from '../../core/time-buckets';
import { collectionOf, type HasDb } from '../db-handle';

/** What the crawl keeps per source: its cursor, its runs, and the source as last synced from the configuration. */
export const CRAWL_CURSORS = 'crawl_cursors';
export const CRAWL_RUNS = 'crawl_runs';
export const SOURCES = 'sources';

export interface CursorDoc {
  _id: string; // source id
  cursor: CrawlCursor;
  updatedAt: Date;
  /** Telegram: the channel this source's handle showed at the cursor's check, and that handle (lowercase). */
  channelKey?: string;
  handle?: string;
  /**
   * Set by a full check that left the channel active and settled (no outbox, no failures, avatar fingerprinted): the
   * configured handle then (lowercase) and the handle it was crawled under (a followed rename). While it is set, a
   * check reads this document only: no channel or followed-handle read. Unset by whatever unsettles the channel
   * outside a full check (a final crawl failure, a followed rename or restoration).
   */
  settled?: { configHandle: string; handle: string };
}

export interface RunDoc {
  _id: string; // run:<jobId>
  jobId: string;
  sourceId: string;
  attempt: number;
  status: 'running' | 'ok' | 'failed';
  startedAt: Date;
  finishedAt?: Date;
  channelKey?: string;
  channelStatus?: ChannelSnapshot['status'];
  pagesFetched?: number;
  postsSeen?: number;
  postsNew?: number;
  /** Media references handed to the media stage by this check. */
  mediaQueued?: number;
  /** A removed channel within its slower re-check interval: not fetched, only the successor search ran. */
  skippedRecheck?: boolean;
  /** Nothing new (same newest post and channel header as the last full check): no parse, only the check time written. */
  unchanged?: boolean;
  events?: string[];
  /** Known posts re-checked (YouTube watch pages, Archive metadata). */
  postsChecked?: number;
  /** Re-checks that could not tell (a page that did not parse, a sign-in wall): only those posts were skipped. */
  checkErrors?: Array<{ postId: string; message: string }>;
  error?: { name: string; code: string; message: string; retryable: boolean };
  buckets: TimeBuckets;
}

export interface SourceDoc {
  _id: string; // source id
  platform: string;
  config: Record<string, unknown>;
  configHash: string;
  tags: string[];
  updatedAt: Date;
  removedFromConfigAt?: Date | null;
}

export function cursorsCollection(store: HasDb): Collection<CursorDoc> {
  return collectionOf<CursorDoc>(store, CRAWL_CURSORS);
}

export function runsCollection(store: HasDb): Collection<RunDoc> {
  return collectionOf<RunDoc>(store, CRAWL_RUNS);
}

export function sourcesCollection(store: HasDb): Collection<SourceDoc> {
  return collectionOf<SourceDoc>(store, SOURCES);
}

export async function ensureCrawlStateIndexes(store: HasDb): Promise<void> {
  await runsCollection(store).createIndex({ sourceId: 1, startedAt: 1 }, { name: 'source_started' });
}
