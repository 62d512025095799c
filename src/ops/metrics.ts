import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), one registry per process, served by the API (`/metrics`) and by
 * a worker's metrics port. Each stage feeds them through the small `record…` functions below; queue depth is read
 * from Redis when scraped. Names follow Prometheus conventions (`_total`, `_seconds`).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'hydrawatch_' });

const checks = new Counter({
  name: 'hydrawatch_checks_total',
  help: 'Checks (crawl jobs) per source and outcome: the channel status (active, removed, private, not_found, not_channel) when the check succeeded, "retry" when it failed and will be retried, "failed" when it failed for good',
  labelNames: ['source', 'outcome'] as const,
  registers: [registry],
});
const checkDuration = new Histogram({
  name: 'hydrawatch_check_duration_seconds',
  help: 'Time a crawl job ran (fetch, parse, store, hand-offs), per platform and result (ok, failed)',
  labelNames: ['platform', 'result'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  registers: [registry],
});
const lastSuccess = new Gauge({
  name: 'hydrawatch_last_successful_check_timestamp_seconds',
  help: 'Unix time of the last successful check of each source (in this process)',
  labelNames: ['source'] as const,
  registers: [registry],
});
const queueWait = new Histogram({
  name: 'hydrawatch_queue_wait_seconds',
  help: 'Time a job waited in its queue before a worker took it (after any planned delay), per queue',
  labelNames: ['queue'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
  registers: [registry],
});
const stalled = new Counter({
  name: 'hydrawatch_stalled_jobs_total',
  help: 'Jobs found stalled (their worker died or hung) and moved back to wait, per queue',
  labelNames: ['queue'] as const,
  registers: [registry],
});
const stageJobs = new Counter({
  name: 'hydrawatch_stage_jobs_total',
  help: 'Media and discovery jobs finished, per stage and outcome',
  labelNames: ['stage', 'outcome'] as const,
  registers: [registry],
});
const mediaIntake = new Histogram({
  name: 'hydrawatch_media_intake_seconds',
  help: 'Time of one media job (download, fingerprint, match, cluster, sighting) or text job, per kind and status',
  labelNames: ['kind', 'status'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});
const probes = new Counter({
  name: 'hydrawatch_discovery_probes_total',
  help: 'Successor candidates probed (one page fetch each) by the discovery stage, per source',
  labelNames: ['source'] as const,
  registers: [registry],
});
const probeBudget = new Gauge({
  name: 'hydrawatch_discovery_probe_budget_ratio',
  help: 'Share of its probe budget the last successor search of each source used (probes / budget)',
  labelNames: ['source'] as const,
  registers: [registry],
});
const alertsRaised = new Counter({
  name: 'hydrawatch_alerts_raised_total',
  help: 'Alerts stored for delivery (one per key and recipient), per kind',
  labelNames: ['kind'] as const,
  registers: [registry],
});
const alertsSent = new Counter({ name: 'hydrawatch_alerts_sent_total', help: 'Alert emails accepted by the SMTP server', registers: [registry] });
const alertLatency = new Histogram({
  name: 'hydrawatch_alert_latency_seconds',
  help: 'From an alert being raised to its email being accepted',
  buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600],
  registers: [registry],
});
const smtpFailures = new Counter({
  name: 'hydrawatch_smtp_failures_total',
  help: 'SMTP delivery failures: "retry" (surely not accepted: retried later) or "unconfirmed" (the outcome is unknown: never resent)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
const storeOps = new Histogram({
  name: 'hydrawatch_store_operation_seconds',
  help: "MongoDB / FerretDB command latency, per command and result (from the driver's command monitoring)",
  labelNames: ['command', 'result'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers: [registry],
});

/** Queue states reported by `hydrawatch_queue_jobs`. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;
/** What the queue-depth gauge needs of a BullMQ queue. */
export interface CountableQueue {
  name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}
const watchedQueues = new Set<CountableQueue>();
new Gauge({
  name: 'hydrawatch_queue_jobs',
  help: 'Jobs in each queue per state (read from Redis when scraped)',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const q of watchedQueues) {
      const counts = await q.getJobCounts(...QUEUE_STATES).catch(() => undefined);
      if (!counts) continue;
      for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
    }
  },
});

/** Reports these queues' depth on every scrape, until the returned function is called. */
export function watchQueueDepth(queues: readonly CountableQueue[]): () => void {
  for (const q of queues) watchedQueues.add(q);
  return () => {
    for (const q of queues) watchedQueues.delete(q);
  };
}

/** One crawl job ended. `outcome`: the channel status, or `retry` / `failed`. */
export function recordCheck(e: { sourceId: string; platform: string; outcome: string; durationMs: number; at?: Date }): void {
  const ok = e.outcome !== 'retry' && e.outcome !== 'failed';
  checks.inc({ source: e.sourceId, outcome: e.outcome });
  checkDuration.observe({ platform: e.platform, result: ok ? 'ok' : 'failed' }, e.durationMs / 1000);
  if (ok) lastSuccess.set({ source: e.sourceId }, (e.at ?? new Date()).getTime() / 1000);
}

export function recordQueueWait(queue: string, waitMs: number): void {
  queueWait.observe({ queue }, Math.max(0, waitMs) / 1000);
}

export function recordStalled(queue: string): void {
  stalled.inc({ queue });
}

/** A media or discovery job ended (`outcome`: its status, or `retry` / `failed`). */
export function recordStageJob(stage: string, outcome: string): void {
  stageJobs.inc({ stage, outcome });
}

/** One media or text job's run time. */
export function recordMediaIntake(kind: 'media' | 'text', status: string, durationMs: number): void {
  mediaIntake.observe({ kind, status }, durationMs / 1000);
}

/** For the discovery stage: one candidate page probed for a source's removed channel. */
export function recordProbe(sourceId: string, count = 1): void {
  probes.inc({ source: sourceId }, count);
}

/** For the discovery stage: one successor search used `used` of its `budget` probes. */
export function recordProbeBudget(sourceId: string, used: number, budget: number): void {
  probeBudget.set({ source: sourceId }, budget > 0 ? used / budget : 0);
}

export function recordAlertRaised(kind: string, count = 1): void {
  if (count > 0) alertsRaised.inc({ kind }, count);
}

/** An alert email was accepted; `latencyMs`: since the alert was raised. */
export function recordAlertSent(latencyMs: number): void {
  alertsSent.inc();
  alertLatency.observe(Math.max(0, latencyMs) / 1000);
}

export function recordSmtpFailure(outcome: 'retry' | 'unconfirmed'): void {
  smtpFailures.inc({ outcome });
}

export function recordStoreOperation(command: string, durationMs: number, ok: boolean): void {
  storeOps.observe({ command, result: ok ? 'ok' : 'error' }, durationMs / 1000);
}

/** The text exposition Prometheus scrapes, and its content type. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
