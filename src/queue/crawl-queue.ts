import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Settings } from '../config/schema';
import { crawlJobId, type CrawlJobData, type CrawlJobResult, type CrawlReason } from './crawl-job';

export type CrawlQueue = Queue<CrawlJobData, CrawlJobResult>;

export function createCrawlQueue(connection: Redis, queue: Settings['queue']): CrawlQueue {
  return new Queue<CrawlJobData, CrawlJobResult>(queue.name, {
    connection,
    prefix: queue.prefix,
    defaultJobOptions: {
      attempts: queue.attempts,
      backoff: { type: 'crawl' },
      removeOnComplete: { age: 24 * 3600, count: 5000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

export interface EnqueueResult {
  jobId: string;
  /** False when a job with this id already existed (same source and tick). */
  added: boolean;
}

/** Adds the crawl job for one source and tick; the job id deduplicates across schedulers and restarts. */
export async function enqueueCrawl(
  queue: CrawlQueue,
  data: Omit<CrawlJobData, 'enqueuedAt'>,
  opts: { delayMs: number; tickAt: Date; reason: CrawlReason },
): Promise<EnqueueResult> {
  const jobId = crawlJobId(data.source.id, opts.tickAt, opts.reason);
  const existing = await queue.getJob(jobId);
  if (existing) return { jobId, added: false };
  await queue.add(`crawl:${data.source.id}`, { ...data, enqueuedAt: new Date().toISOString() }, { jobId, delay: Math.max(0, Math.round(opts.delayMs)) });
  return { jobId, added: true };
}
