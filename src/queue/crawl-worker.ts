import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Settings } from '../config/schema';
import { isRetryable } from '../core/errors';
import { TypedEmitter } from '../util/typed-emitter';
import { stageWorkerOptions } from './stage-worker';
import { jobTiming, type JobTiming } from './job-timing';
import type { CrawlJobData, CrawlJobResult } from './crawl-job';

export type CrawlJob = Job<CrawlJobData, CrawlJobResult>;

export interface CrawlWorkerEvents {
  completed: (e: { jobId: string; result: CrawlJobResult; platform: string; timing: JobTiming }) => void;
  failed: (e: { jobId: string; sourceId: string; platform: string; error: Error; attempt: number; final: boolean; durationMs: number }) => void;
  /** A job found stalled (its worker died or hung) and moved back to wait. */
  stalled: (e: { jobId: string; queue: string }) => void;
  error: (e: Error) => void;
}

export interface CrawlWorkerOptions {
  connection: Redis;
  settings: Settings;
  /** Runs one crawl; throws CrawlError subclasses (their `retryable` decides retries). */
  process: (job: CrawlJob) => Promise<CrawlJobResult>;
  /** Called once when a job will not be retried any more (to record crawl_failed), before BullMQ marks it failed. */
  onFinalFailure?: (job: CrawlJob, error: Error) => Promise<void>;
}

/**
 * A BullMQ worker for crawl jobs. Non-retryable errors become UnrecoverableError; retryable ones back off
 * exponentially with jitter, never sooner than a server's Retry-After. Stalled jobs (a killed worker) are moved back
 * to wait by BullMQ's stalled check after lockDuration and picked up by any live worker.
 */
export class CrawlWorker extends TypedEmitter<CrawlWorkerEvents> {
  readonly worker: Worker<CrawlJobData, CrawlJobResult>;

  constructor(private readonly opts: CrawlWorkerOptions) {
    super();
    this.worker = new Worker<CrawlJobData, CrawlJobResult>(
      opts.settings.queue.name,
      (job) => this.run(job),
      stageWorkerOptions(opts.connection, opts.settings, opts.settings.worker.concurrency),
    );
    this.worker.on('completed', (job, result) =>
      this.emit('completed', { jobId: String(job.id), result, platform: job.data.source.platform, timing: jobTiming(job) }),
    );
    this.worker.on('stalled', (jobId) => this.emit('stalled', { jobId, queue: opts.settings.queue.name }));
    this.worker.on('error', (err) => this.emit('error', err));
  }

  private async run(job: CrawlJob): Promise<CrawlJobResult> {
    try {
      return await this.opts.process(job);
    } catch (raw) {
      const error = raw instanceof Error ? raw : new Error(String(raw));
      const retryable = isRetryable(error);
      const attempt = job.attemptsMade + 1;
      const final = !retryable || attempt >= (job.opts.attempts ?? 1);
      if (final && this.opts.onFinalFailure) {
        await this.opts.onFinalFailure(job, error).catch((e: unknown) => this.emit('error', e instanceof Error ? e : new Error(String(e))));
      }
      this.emit('failed', {
        jobId: String(job.id),
        sourceId: job.data.source.id,
        platform: job.data.source.platform,
        error,
        attempt,
        final,
        durationMs: jobTiming(job).durationMs,
      });
      if (!retryable) throw new UnrecoverableError(`${error.name}: ${error.message}`);
      throw error;
    }
  }

  /** Graceful: stops taking jobs and waits for the running ones. */
  async close(): Promise<void> {
    await this.worker.close();
  }
}
