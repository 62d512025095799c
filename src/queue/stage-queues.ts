import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Settings } from '../config/schema';
import type { EventDoc } from '../store/repos/channels';
import { discoveryJobId, type DiscoveryJobData, type DiscoveryJobResult, type DiscoveryQueue } from './discovery-job';
import { requestDiscovery } from './discovery-merge';
import { mediaJobId, type MediaJobData, type MediaJobResult } from './media-job';
import { stageQueueName } from './stages';

export type MediaQueue = Queue<MediaJobData, MediaJobResult>;
export type { DiscoveryQueue } from './discovery-job';

/** How the crawl stage hands work on. Queued in production; inline (same process, awaited) in tools and tests. */
export interface StageHandoff {
  media(jobs: MediaJobData[]): Promise<void>;
  /** Returns the resurfaced events when the search ran inline; queued, it returns none. */
  discovery(job: DiscoveryJobData): Promise<EventDoc[]>;
}

export function createMediaQueue(connection: Redis, queue: Settings['queue']): MediaQueue {
  return new Queue<MediaJobData, MediaJobResult>(stageQueueName(queue, 'media'), {
    connection,
    prefix: queue.prefix,
    defaultJobOptions: {
      attempts: queue.attempts,
      backoff: { type: 'crawl' },
      removeOnComplete: { age: 24 * 3600, count: 20000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

export function createDiscoveryQueue(connection: Redis, queue: Settings['queue']): DiscoveryQueue {
  return new Queue<DiscoveryJobData, DiscoveryJobResult>(stageQueueName(queue, 'discovery'), {
    connection,
    prefix: queue.prefix,
    defaultJobOptions: { attempts: 2, backoff: { type: 'crawl' }, removeOnComplete: true, removeOnFail: true },
  });
}

/** One hand-off to a stage queue, for logs: which source, which jobs, how long the enqueue took. */
export interface HandoffEnqueued {
  stage: 'media' | 'discovery';
  sourceId: string;
  jobIds: string[];
  enqueueMs: number;
}

/** The queued hand-off: deterministic job ids, so a retried crawl that hands over again adds nothing twice. */
export function queuedHandoff(
  media: MediaQueue,
  discovery: DiscoveryQueue,
  redis: Redis,
  onEnqueued: (e: HandoffEnqueued) => void = () => undefined,
): StageHandoff {
  return {
    async media(jobs) {
      if (!jobs.length) return;
      const started = Date.now();
      const bulk = jobs.map((data) => ({ name: data.kind === 'text' ? 'text' : 'media', data, opts: { jobId: mediaJobId(data) } }));
      await media.addBulk(bulk);
      onEnqueued({ stage: 'media', sourceId: jobs[0]?.source.id ?? '', jobIds: bulk.map((b) => b.opts.jobId), enqueueMs: Date.now() - started });
    },
    async discovery(job) {
      const started = Date.now();
      await requestDiscovery(discovery, redis, job); // one job per channel: waiting ticks merge, a running one re-queues once
      onEnqueued({ stage: 'discovery', sourceId: job.source.id, jobIds: [discoveryJobId(job.channelKey)], enqueueMs: Date.now() - started });
      return [];
    },
  };
}
