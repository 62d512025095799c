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
 * collapse into it; a step waiting for its next candidate to fall due (delayed) runs now instead (the tick may bring
 * handles newly pointed at). A tick that arrives while the job runs cannot be added (same id): it leaves one "run
 * once more" mark instead, however many such ticks come. Returns what happened.
 */
export async function requestDiscovery(queue: DiscoveryQueue, redis: Redis, data: DiscoveryJobData): Promise<'queued' | 'marked'> {
  const job = await queue.add('discovery', data, { jobId: discoveryJobId(data.channelKey) });
  const state = await job.getState();
  if (state === 'delayed') await job.promote().catch(() => undefined); // it may have started meanwhile
  if (state !== 'active') return 'queued';
  await redis.set(rerunKey(queue, data.channelKey), '1', 'EX', RERUN_MARK_SECONDS);
  return 'marked';
}

/**
 * After a channel's job completed (and was removed): its next step is queued at once when a tick came in while it
 * ran, or when candidates are left over (the probe budget per job ran out); else, with `nextInMs`, delayed until its
 * next candidate falls due. Returns whether a step was queued.
 */
export async function afterDiscovery(queue: DiscoveryQueue, redis: Redis, data: DiscoveryJobData, more: boolean, nextInMs?: number): Promise<boolean> {
  const key = rerunKey(queue, data.channelKey);
  const [[, marked]] = (await redis.multi().get(key).del(key).exec()) as [[Error | null, string | null], [Error | null, number]];
  const delay = marked || more ? 0 : nextInMs;
  if (delay === undefined) return false;
  await queue.add('discovery', { ...data, requestedAt: new Date().toISOString() }, { jobId: discoveryJobId(data.channelKey), ...(delay > 0 ? { delay } : {}) });
  return true;
}
