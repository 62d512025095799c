import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Settings } from '../config/schema';
import { recheckDelayMs, type RecheckSchedule, type ReportCase } from '../core/report-case';
import { jobIdPart } from '../queue/stages';

/**
 * The re-check queue's jobs: one delayed job per reported target and check (`recheck`), and one per report for its
 * due time (`overdue`). Nothing scans for due work: each job waits in Redis until its time, so the cost of a tick
 * does not grow with the number of open cases.
 */
export type RecheckJobData = { kind: 'recheck'; targetId: string; attempt: number } | { kind: 'overdue'; caseId: string; reportedAt: string };

export interface RecheckJobResult {
  kind: RecheckJobData['kind'];
  id: string;
  outcome: 'online' | 'offline' | 'unknown' | 'done' | 'stale' | 'overdue' | 'answered';
  next?: number;
}

export type RecheckQueue = Queue<RecheckJobData, RecheckJobResult>;

export function recheckQueueName(queue: Settings['queue']): string {
  return `${queue.name}-recheck`;
}

export function createRecheckQueue(connection: Redis, queue: Settings['queue']): RecheckQueue {
  return new Queue<RecheckJobData, RecheckJobResult>(recheckQueueName(queue), {
    connection,
    prefix: queue.prefix,
    defaultJobOptions: { attempts: 5, backoff: { type: 'crawl' }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
  });
}

/** Deterministic ids: a job added twice (a retried step) is added once. */
export function recheckJobId(d: RecheckJobData): string {
  return d.kind === 'recheck' ? `recheck__${jobIdPart(d.targetId)}__${d.attempt}` : `overdue__${jobIdPart(d.caseId)}__${jobIdPart(d.reportedAt)}`;
}

export async function enqueueRecheck(queue: RecheckQueue, data: RecheckJobData, delayMs: number): Promise<void> {
  await queue.add(data.kind, data, { jobId: recheckJobId(data), delay: Math.max(0, delayMs) });
}

export interface ReportingTimes {
  overdueHours: number;
  schedule: RecheckSchedule;
}

/** The re-check times the settings give. */
export function reportingTimes(r: Settings['reporting']): ReportingTimes {
  return { overdueHours: r.overdueHours, schedule: { stepsMinutes: r.recheckMinutes, everyHours: r.recheckEveryHours, maxDays: r.recheckMaxDays } };
}

/**
 * A case was reported (sent or reported by hand): its first re-check per target not watched as a source (watched
 * channels are seen going offline by their own checks), and the due-time check.
 */
export async function scheduleAfterReport(queue: RecheckQueue, c: ReportCase, times: ReportingTimes): Promise<number> {
  const reportedAt = c.reportedAt ?? c.updatedAt;
  let n = 0;
  for (const t of c.targets) {
    if (t.watched || t.offline) continue;
    const delay = recheckDelayMs(0, 0, times.schedule);
    if (delay === undefined) continue;
    await enqueueRecheck(queue, { kind: 'recheck', targetId: t.id, attempt: 0 }, delay);
    n++;
  }
  await enqueueRecheck(queue, { kind: 'overdue', caseId: c._id, reportedAt: reportedAt.toISOString() }, times.overdueHours * 3_600_000);
  return n;
}
