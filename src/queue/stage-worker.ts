import { UnrecoverableError, Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Settings } from '../config/schema';
import { CrawlError, isRetryable } from '../core/errors';
import { TypedEmitter } from '../util/typed-emitter';
import { computeBackoffMs } from './backoff';
import { jobTiming, type JobTiming } from './job-timing';

export interface StageWorkerEvents<D, R> {
  completed: (e: { jobId: string; result: R; data: D; timing: JobTiming }) => void;
  failed: (e: { jobId: string; data: D; error: Error; attempt: number; final: boolean; durationMs: number }) => void;
  /** A job found stalled (its worker died or hung) and moved back to wait. */
  stalled: (e: { jobId: string; queue: string }) => void;
  error: (e: Error) => void;
}

/**
 * BullMQ options every stage's worker shares (the crawl worker too): locks and stalled checks from `worker.*`, and
 * retries that back off exponentially with jitter, never sooner than a server's Retry-After.
 */
export function stageWorkerOptions(connection: Redis, settings: Settings, concurrency: number): WorkerOptions {
  const { queue, worker } = settings;
  return {
    connection,
    prefix: queue.prefix,
    concurrency,
    lockDuration: worker.lockDurationMs,
    stalledInterval: worker.stalledIntervalMs,
    maxStalledCount: 3,
    autorun: true,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
        computeBackoffMs(attemptsMade, { baseMs: queue.backoffBaseMs, maxMs: queue.backoffMaxMs }, err instanceof CrawlError ? err.retryAfterMs : undefined),
    },
  };
}

export interface StageWorkerOptions<D, R> {
  queueName: string;
  connection: Redis;
  settings: Settings;
  concurrency: number;
  process: (job: Job<D, R>) => Promise<R>;
}

/**
 * A BullMQ worker for one downstream stage (media, discovery). Same retry rules as crawls: CrawlError subclasses
 * decide, with exponential backoff and jitter; a killed worker's job is recovered by the stalled check.
 */
export class StageWorker<D, R> extends TypedEmitter<StageWorkerEvents<D, R>> {
  readonly worker: Worker<D, R>;

  constructor(private readonly opts: StageWorkerOptions<D, R>) {
    super();
    this.worker = new Worker<D, R>(opts.queueName, (job) => this.run(job), stageWorkerOptions(opts.connection, opts.settings, opts.concurrency));
    this.worker.on('completed', (job, result) => this.emit('completed', { jobId: String(job.id), result, data: job.data, timing: jobTiming(job) }));
    this.worker.on('stalled', (jobId) => this.emit('stalled', { jobId, queue: opts.queueName }));
    this.worker.on('error', (err) => this.emit('error', err));
  }

  private async run(job: Job<D, R>): Promise<R> {
    try {
      return await this.opts.process(job);
    } catch (raw) {
      const error = raw instanceof Error ? raw : new Error(String(raw));
      const retryable = isRetryable(error);
      const attempt = job.attemptsMade + 1;
      const final = !retryable || attempt >= (job.opts.attempts ?? 1);
      this.emit('failed', { jobId: String(job.id), data: job.data, error, attempt, final, durationMs: jobTiming(job).durationMs });
      if (!retryable) throw new UnrecoverableError(`${error.name}: ${error.message}`);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.worker.close();
  }
}
