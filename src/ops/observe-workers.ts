import type { AlertSender } from '../alerts/sender';
import { onAlertRaised } from '../alerts/alert-events';
import type { CrawlWorker } from '../queue/crawl-worker';
import type { DiscoveryJobData, DiscoveryJobResult } from '../queue/discovery-job';
import type { MediaJobData, MediaJobResult } from '../queue/media-job';
import type { HandoffEnqueued } from '../queue/stage-queues';
import type { StageWorker } from '../queue/stage-worker';
import { followedLine, resurfacedLine } from './event-lines';
import type { Log } from './log-types';
import {
  recordAlertRaised,
  recordAlertSent,
  recordCheck,
  recordMediaIntake,
  recordQueueWait,
  recordSmtpFailure,
  recordStageJob,
  recordStalled,
} from './metrics';

/**
 * The worker role's observers: every job end, hand-off and alert becomes one structured log line (source id, job
 * id, timings) and the matching metrics. The stages themselves know nothing of logs or metrics.
 */

function retryNote(final: boolean): string {
  return final ? 'final' : 'will retry';
}

export function observeCrawlWorker(w: CrawlWorker, queue: string, log: Log): void {
  w.on('completed', ({ jobId, result, platform, timing }) => {
    recordCheck({ sourceId: result.sourceId, platform, outcome: result.status, durationMs: timing.durationMs });
    recordQueueWait(queue, timing.waitMs);
    const ev = result.events.length ? ` events: ${result.events.join(', ')}` : '';
    log(`crawl ${result.sourceId}: ${result.status}, ${result.postsSeen} posts seen, ${result.postsNew} new${ev}`, {
      event: 'crawl.done',
      sourceId: result.sourceId,
      jobId,
      queue,
      status: result.status,
      postsSeen: result.postsSeen,
      postsNew: result.postsNew,
      events: result.events,
      attempt: timing.attempt,
      waitMs: timing.waitMs,
      durationMs: timing.durationMs,
    });
  });
  w.on('failed', (e) => {
    recordCheck({ sourceId: e.sourceId, platform: e.platform, outcome: e.final ? 'failed' : 'retry', durationMs: e.durationMs });
    log(`crawl ${e.sourceId} failed (attempt ${e.attempt}, ${retryNote(e.final)}): ${e.error.message}`, {
      level: e.final ? 'error' : 'warn',
      event: 'crawl.failed',
      sourceId: e.sourceId,
      jobId: e.jobId,
      queue,
      attempt: e.attempt,
      final: e.final,
      error: e.error.message,
      errorName: e.error.name,
      durationMs: e.durationMs,
    });
  });
  w.on('stalled', (e) => {
    recordStalled(e.queue);
    log(`crawl job ${e.jobId} stalled (its worker died or hung): back to wait`, { level: 'warn', event: 'job.stalled', jobId: e.jobId, queue: e.queue });
  });
  w.on('error', (e) => log(`worker: ${e.message}`, { level: 'error', event: 'worker.error', queue, error: e.message }));
}

type StageData = MediaJobData | DiscoveryJobData;

function stageLine<D extends StageData>(data: D): { sourceId: string; kind: 'media' | 'text' | 'discovery' } {
  if ('channelKey' in data) return { sourceId: data.source.id, kind: 'discovery' };
  return { sourceId: data.source.id, kind: data.kind === 'text' ? 'text' : 'media' };
}

/** Media and discovery workers: `stage.done` / `stage.failed` lines, queue wait, media intake time. */
export function observeStageWorker<D extends StageData, R extends MediaJobResult | DiscoveryJobResult>(
  w: StageWorker<D, R>,
  stage: 'media' | 'discovery',
  queue: string,
  log: Log,
): void {
  w.on('completed', ({ jobId, data, result, timing }) => {
    const { sourceId, kind } = stageLine(data);
    const status = 'status' in result ? result.status : result.resurfaced.length ? 'resurfaced' : 'done';
    recordQueueWait(queue, timing.waitMs);
    recordStageJob(stage, status);
    if (kind !== 'discovery') recordMediaIntake(kind, status, timing.durationMs);
    const fields = {
      event: 'stage.done',
      stage,
      kind,
      sourceId,
      jobId,
      queue,
      status,
      attempt: timing.attempt,
      waitMs: timing.waitMs,
      durationMs: timing.durationMs,
    };
    if ('resurfaced' in result) logDiscoveryFindings(log, result, fields);
    if (!('resurfaced' in result) || !result.resurfaced.length) log(`${stage} ${jobId}: ${status} in ${timing.durationMs} ms`, fields);
  });
  w.on('failed', (e) => {
    const { sourceId } = stageLine(e.data);
    recordStageJob(stage, e.final ? 'failed' : 'retry');
    log(`${stage} ${e.jobId} failed (attempt ${e.attempt}, ${retryNote(e.final)}): ${e.error.message}`, {
      level: e.final ? 'error' : 'warn',
      event: 'stage.failed',
      stage,
      sourceId,
      jobId: e.jobId,
      queue,
      attempt: e.attempt,
      final: e.final,
      error: e.error.message,
      durationMs: e.durationMs,
    });
  });
  w.on('stalled', (e) => {
    recordStalled(e.queue);
    log(`${stage} job ${e.jobId} stalled (its worker died or hung): back to wait`, {
      level: 'warn',
      event: 'job.stalled',
      stage,
      jobId: e.jobId,
      queue: e.queue,
    });
  });
  w.on('error', (e) => log(`${stage} worker: ${e.message}`, { level: 'error', event: 'worker.error', stage, queue, error: e.message }));
}

/**
 * A discovery step's findings, one line each, named by handle and title (event-lines.ts); the channel keys are in
 * the fields. A result without summaries (a worker of an older version) falls back to the keys.
 */
function logDiscoveryFindings(log: Log, result: DiscoveryJobResult, fields: Record<string, unknown>): void {
  const found = result.found ?? [];
  for (const r of found) {
    log(resurfacedLine(r), {
      ...fields,
      event: 'discovery.resurfaced',
      channelKey: r.predecessor,
      resurfaced: [r.successor],
      successorKey: r.successor,
      predecessorHandle: r.predecessorHandle,
      successorHandle: r.successorHandle,
      score: r.score,
      url: r.url,
    });
  }
  const rest = result.resurfaced.filter((k) => !found.some((r) => r.successor === k));
  if (rest.length)
    log(`resurfaced: ${result.channelKey} came back as ${rest.join(', ')}`, {
      ...fields,
      event: 'discovery.resurfaced',
      channelKey: result.channelKey,
      resurfaced: rest,
    });
  for (const f of result.followed ?? []) {
    log(followedLine(f), { ...fields, event: 'discovery.followed', channelKey: f.channelKey, from: f.from, to: f.to, restored: f.restored, url: f.url });
  }
}

/** The crawl stage's hand-offs to the media and discovery queues. */
export function logHandoff(log: Log): (e: HandoffEnqueued) => void {
  return (e) =>
    log(`${e.stage}: ${e.jobIds.length} job${e.jobIds.length === 1 ? '' : 's'} enqueued for ${e.sourceId}`, {
      event: 'handoff.enqueued',
      stage: e.stage,
      sourceId: e.sourceId,
      jobId: e.jobIds[0],
      jobIds: e.jobIds,
      enqueueMs: e.enqueueMs,
    });
}

/** Alerts raised by any stage in this process. Returns a function that stops listening. */
export function observeAlertRaises(log: Log): () => void {
  return onAlertRaised((e) => {
    recordAlertRaised(e.kind);
    log(`alert raised: ${e.kind} for ${e.to}`, { event: 'alert.raised', alertId: e.id, key: e.key, kind: e.kind, to: e.to, sourceId: e.sourceId });
  });
}

export function observeSender(sender: AlertSender, log: Log): void {
  sender.on('sent', (e) => {
    recordAlertSent(e.latencyMs);
    log(`alert sent to ${e.to}: ${e.subject}`, { event: 'alert.sent', alertId: e.id, kind: e.kind, to: e.to, latencyMs: e.latencyMs });
  });
  sender.on('failed', (e) => {
    recordSmtpFailure('retry');
    log(`alert to ${e.to} not sent (attempt ${e.attempts}, will retry): ${e.error}`, {
      level: 'warn',
      event: 'alert.failed',
      alertId: e.id,
      kind: e.kind,
      to: e.to,
      attempt: e.attempts,
      error: e.error,
    });
  });
  sender.on('unconfirmed', (e) => {
    recordSmtpFailure('unconfirmed');
    log(`alert to ${e.to}: SMTP outcome unknown, not resent: ${e.error}`, {
      level: 'warn',
      event: 'alert.unconfirmed',
      alertId: e.id,
      to: e.to,
      messageId: e.messageId,
      error: e.error,
    });
  });
}
