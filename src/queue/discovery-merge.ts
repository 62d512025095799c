import type { Redis } from 'ioredis';
import type { DiscoveryJobData, DiscoveryQueue } from './discovery-job';
import { discoveryJobId } from './discovery-job';
import { jobIdPart } from './stages';

/** How long a "run once more" mark waits for the running job it belongs to (a crashed worker's mark expires). */
const RERUN_MARK_SECONDS = 3600;

function rerunKey(queue: DiscoveryQueue, channelKey: string): string {
  return `${queue.opts.prefix ?? 'bull'}:${queue.name}:rerun:${jobIdPart(channelKey)}`;
}

/**
 * A tick asks for a channel's discovery step. The job id is the channel's, so ticks that arrive while one job waits
 * collapse into it. A tick that arrives while the job runs cannot be added (same id): it leaves one "run once more"
 * mark instead, however many such ticks come. Returns what happened.
 */
export async function requestDiscovery(queue: DiscoveryQueue, redis: Redis, data: DiscoveryJobData): Promise<'queued' | 'marked'> {
  const job = await queue.add('discovery', data, { jobId: discoveryJobId(data.channelKey) });
  if ((await job.getState()) !== 'active') return 'queued';
  await redis.set(rerunKey(queue, data.channelKey), '1', 'EX', RERUN_MARK_SECONDS);
  return 'marked';
}

/**
 * After a channel's job completed (and was removed): its next step is queued once when a tick came in while it ran,
 * or when candidates are left over (the probe budget per job ran out). Returns whether a step was queued.
 */
export async function afterDiscovery(queue: DiscoveryQueue, redis: Redis, data: DiscoveryJobData, more: boolean): Promise<boolean> {
  const key = rerunKey(queue, data.channelKey);
  const [[, marked]] = (await redis.multi().get(key).del(key).exec()) as [[Error | null, string | null], [Error | null, number]];
  if (!marked && !more) return false;
  await queue.add('discovery', { ...data, requestedAt: new Date().toISOString() }, { jobId: discoveryJobId(data.channelKey) });
  return true;
}
