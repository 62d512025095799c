/** How long a job waited in its queue and ran. Pure, from BullMQ's job stamps (ms since the epoch). */
export interface JobTiming {
  /** From when the job could run (added + planned delay) to when a worker took it. */
  waitMs: number;
  /** From when a worker took it to when it finished (or now). */
  durationMs: number;
  attempt: number;
}

export interface JobStamps {
  timestamp: number;
  processedOn?: number | undefined;
  finishedOn?: number | undefined;
  attemptsMade: number;
  opts: { delay?: number | undefined };
}

export function jobTiming(job: JobStamps, now = Date.now()): JobTiming {
  const started = job.processedOn ?? now;
  const due = job.timestamp + (job.opts.delay ?? 0);
  // BullMQ counts the attempt when the job finishes (finishedOn and attemptsMade are set together); a running job's
  // attempt is the next one
  const attempt = job.finishedOn !== undefined ? Math.max(1, job.attemptsMade) : job.attemptsMade + 1;
  return { waitMs: Math.max(0, started - due), durationMs: Math.max(0, (job.finishedOn ?? now) - started), attempt };
}
