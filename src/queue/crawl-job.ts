import type { Source } from '../config/schema';

/** Why a crawl was enqueued. */
export type CrawlReason = 'cron' | 'startup' | 'manual' | 'recheck';

/** Data of one BullMQ crawl job. The source travels with the job, so workers need no config file. */
export interface CrawlJobData {
  source: Source;
  /** The schedule tick this job belongs to (ISO). */
  tick: string;
  reason: CrawlReason;
  enqueuedAt: string;
}

/** Result a crawl job returns (kept in Redis for a while; the full record is in MongoDB). */
export interface CrawlJobResult {
  sourceId: string;
  status: string;
  postsSeen: number;
  postsNew: number;
  events: string[];
  /** The page was the one the last full check saw: nothing was parsed, and no run document was written. */
  unchanged?: true;
}

/** Second-precision tick key, e.g. "20261124213000" (cron may have a seconds field). */
export function tickKey(at: Date): string {
  return at.toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

/**
 * One job id per source and tick: a second scheduler (or a restart) enqueuing the same tick is a no-op.
 * BullMQ forbids ":" in custom ids, hence "__".
 */
export function crawlJobId(sourceId: string, tick: Date, reason: CrawlReason = 'cron'): string {
  return `crawl__${sourceId}__${reason === 'manual' ? 'm' : ''}${tickKey(tick)}`;
}
