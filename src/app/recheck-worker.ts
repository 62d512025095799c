import { StageWorker } from '../queue/stage-worker';
import { rateLimitedFetcher } from '../queue/rate-limited-fetcher';
import { runRecheckJob } from '../reports/recheck';
import { recheckQueueName, reportingTimes, type RecheckJobData, type RecheckJobResult } from '../reports/recheck-job';
import type { Log } from '../ops/log-types';
import type { Runtime } from './runtime';

/**
 * The `reports` stage: re-checks of reported targets and reports' due checks, from their delayed jobs. Requests go
 * under `reporting.recheckBudget` per host (their own budget, apart from the crawls' and the probes').
 */
export function startRecheckWorker(rt: Runtime, log: Log): StageWorker<RecheckJobData, RecheckJobResult> {
  const queue = recheckQueueName(rt.settings.queue);
  const deps = {
    store: rt.store,
    settings: rt.settings,
    queue: rt.recheckQueue,
    fetcher: rateLimitedFetcher(rt.fetcher, rt.limiter, rt.settings.reporting.recheckBudget, 'recheck'),
    parser: rt.parser,
    times: reportingTimes(rt.settings.reporting),
    now: () => new Date(),
  };
  const worker = new StageWorker<RecheckJobData, RecheckJobResult>({
    queueName: queue,
    connection: rt.workerConnection(),
    settings: rt.settings,
    concurrency: 2,
    process: (job) => runRecheckJob(deps, job.data),
  });
  worker.on('completed', ({ jobId, result, timing }) =>
    log(`report ${result.kind} ${result.id}: ${result.outcome}${result.next !== undefined ? `, next check in ${Math.round(result.next / 60_000)} min` : ''}`, {
      event: 'reports.recheck',
      jobId,
      queue,
      kind: result.kind,
      target: result.id,
      outcome: result.outcome,
      durationMs: timing.durationMs,
    }),
  );
  worker.on('failed', (e) =>
    log(`report ${e.data.kind} ${e.jobId} failed (attempt ${e.attempt}${e.final ? ', final' : ', will retry'}): ${e.error.message}`, {
      level: e.final ? 'error' : 'warn',
      event: 'reports.recheck.failed',
      jobId: e.jobId,
      queue,
      error: e.error.message,
    }),
  );
  worker.on('error', (e) => log(`re-check worker: ${e.message}`, { level: 'error', event: 'reports.recheck.error', error: e.message }));
  return worker;
}
