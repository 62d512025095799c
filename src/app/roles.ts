import { join } from 'node:path';
import { startRecheckWorker } from './recheck-worker';
import type { RecheckJobData, RecheckJobResult } from '../reports/recheck-job';
import type { Source } from '../config/schema';
import { formatIssue } from '../config/format-issues';
import { watchSources, type SourcesWatcher } from '../config/sources-watcher';
import { CrawlWorker } from '../queue/crawl-worker';
import { CrawlScheduler } from '../scheduler/crawl-scheduler';
import { recordCrawlFailure, runCrawl, type PipelineDeps } from '../pipeline/crawl-source';
import { runMediaJob } from '../pipeline/media-stage';
import { runDiscoveryJob } from '../pipeline/discovery-stage';
import { StageWorker } from '../queue/stage-worker';
import { afterDiscovery } from '../queue/discovery-merge';
import { trackInFlight } from '../util/in-flight';
import { STAGES, stageQueueName, type Stage } from '../queue/stages';
import type { MediaJobData, MediaJobResult } from '../queue/media-job';
import type { DiscoveryJobData, DiscoveryJobResult } from '../queue/discovery-job';
import { syncSourcesToStore } from '../pipeline/sync-sources';
import { defaultCrawlers } from './crawler-registry';
import { MediaMatcher } from '../media/media-matcher';
import { recordReportDeliveries } from '../reports/lifecycle';
import { AlertSender, smtpTransport } from '../alerts/sender';
import { watchAlertRules } from '../alerts/rules-watcher';
import { listAutoSources } from '../store/repos/auto-sources';
import { WebhookDeliverer } from '../share/webhooks/deliverer';
import type { Runtime } from './runtime';
import type { Log } from '../ops/log-types';
import { observeAlertRaises, observeCrawlWorker, observeSender, observeStageWorker } from '../ops/observe-workers';
import { telegramApiProblems, telegramApiSessionProblem } from '../telegram-api/config-check';

export interface SchedulerRole {
  scheduler: CrawlScheduler;
  watcher: SourcesWatcher;
  stop(): Promise<void>;
}

/** The Telegram API collector's missing settings, logged (its sources fail naming them; the other platforms crawl on). */
async function logTelegramApiProblems(rt: Runtime, sources: readonly Source[], log: Log): Promise<void> {
  for (const p of await telegramApiProblems(rt.settings, sources)) {
    log(`config: ${p.setting}: ${p.message}`, { level: 'error', event: 'config.telegram-api', setting: p.setting });
  }
}

/** Scheduler role: watches config/sources.yaml and keeps one cron task per enabled source. */
export async function startSchedulerRole(rt: Runtime, sourcesPath: string, log: Log): Promise<SchedulerRole> {
  const scheduler = new CrawlScheduler({ queue: rt.queue, settings: rt.settings.scheduler });
  scheduler.on('error', (e) => log(`scheduler: ${e.error.message}`, { level: 'error', event: 'scheduler.error', error: e.error.message }));
  scheduler.on('synced', (e) =>
    log(`scheduler: watch list applied (+${e.added.length} added, ${e.changed.length} changed, -${e.removed.length} removed)`, {
      event: 'config.reload',
      what: 'sources',
      added: e.added,
      changed: e.changed,
      removed: e.removed,
    }),
  );
  // The watch list is the file plus successors added by `resurface.autoWatch` (the file wins on an id clash).
  let fileSources: Source[] = [];
  let autoFingerprint = '';
  const autoSources = async (): Promise<Source[]> => (await listAutoSources(rt.store)).map((d) => d.source);
  const apply = async (sources: Source[]): Promise<void> => {
    fileSources = sources;
    await logTelegramApiProblems(rt, sources, log);
    const ids = new Set(sources.map((s) => s.id));
    const auto = (await autoSources()).filter((s) => !ids.has(s.id));
    autoFingerprint = auto
      .map((s) => s.id)
      .sort()
      .join(',');
    const all = [...sources, ...auto];
    await syncSourcesToStore(rt.store, all);
    await scheduler.sync(all);
  };
  const autoTimer = setInterval(() => {
    void autoSources()
      .then((auto) => {
        const fp = auto
          .filter((s) => !fileSources.some((f) => f.id === s.id))
          .map((s) => s.id)
          .sort()
          .join(',');
        if (fp !== autoFingerprint) return apply(fileSources);
        return undefined;
      })
      .catch((err: unknown) =>
        log(`scheduler: cannot read auto-added sources: ${(err as Error).message}`, {
          level: 'error',
          event: 'scheduler.error',
          error: (err as Error).message,
        }),
      );
  }, rt.settings.scheduler.reloadPollSeconds * 1000);
  autoTimer.unref();
  const watcher = await watchSources(sourcesPath, {
    pollMs: rt.settings.scheduler.reloadPollSeconds * 1000,
    onChange: (diff) =>
      void apply(diff.all).catch((err: unknown) =>
        log(`scheduler: cannot apply watch list: ${(err as Error).message}`, { level: 'error', event: 'scheduler.error', error: (err as Error).message }),
      ),
    onError: (err) =>
      log(`config: ${sourcesPath} rejected, keeping the previous watch list:\n${err.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`, {
        level: 'warn',
        event: 'config.rejected',
        what: 'sources',
        file: sourcesPath,
        issues: err.issues.map(formatIssue),
      }),
  });
  if (watcher.current().length === 0) log(`scheduler: no valid sources in ${sourcesPath} yet`);
  return {
    scheduler,
    watcher,
    async stop() {
      clearInterval(autoTimer);
      watcher.close();
      await scheduler.stop();
    },
  };
}

/** A worker process: the stages it runs (each on its own queue), stopped together. */
export interface WorkerRole {
  stages: Stage[];
  crawl?: CrawlWorker;
  media?: StageWorker<MediaJobData, MediaJobResult>;
  discovery?: StageWorker<DiscoveryJobData, DiscoveryJobResult>;
  /** Re-checks of reported targets (src/reports/). */
  reports?: StageWorker<RecheckJobData, RecheckJobResult>;
  close(): Promise<void>;
}

/** The media matcher of a worker that runs media or discovery: loads every stored fingerprint once, then follows the feed every 2 s. */
function startMatcher(rt: Runtime, log: Log, stages: readonly Stage[]): { matcher?: MediaMatcher; stop: () => void } {
  if (!rt.settings.media.enabled || !(stages.includes('media') || stages.includes('discovery'))) return { stop: () => undefined };
  const matcher = new MediaMatcher(rt.store, rt.feed, { minQuality: rt.settings.media.minQuality });
  const failed = (what: string) => (e: unknown) =>
    log(`media index ${what} failed: ${(e as Error).message}`, { level: 'error', event: 'media.index', error: (e as Error).message });
  const refresh = setInterval(() => void matcher.refresh().catch(failed('refresh')), 2000);
  refresh.unref();
  void matcher.refresh().catch(failed('load'));
  return { matcher, stop: () => clearInterval(refresh) };
}

/** Alert rules edited in settings.yaml (by hand or through the API) apply without a restart. */
function watchRules(settingsPath: string | undefined, deps: PipelineDeps, rt: Runtime, log: Log): { close(): void } | undefined {
  if (!settingsPath) return undefined;
  return watchAlertRules(settingsPath, {
    pollMs: rt.settings.scheduler.reloadPollSeconds * 1000,
    onRules: (r) => {
      deps.settings = { ...deps.settings, alerts: { ...deps.settings.alerts, rules: r } };
      log(`alert rules reloaded: ${r.map((x) => x.name).join(', ') || '(none)'}`, { event: 'config.reload', what: 'alert-rules', rules: r.map((x) => x.name) });
    },
    onError: (m) => log(`config: ${m}`, { level: 'warn', event: 'config.rejected', what: 'alert-rules', file: settingsPath }),
  });
}

function startCrawlStage(rt: Runtime, deps: PipelineDeps, log: Log): CrawlWorker {
  const worker = new CrawlWorker({
    connection: rt.workerConnection(),
    settings: rt.settings,
    process: (job) => runCrawl(deps, job.data.source, { jobId: String(job.id), attempt: job.attemptsMade + 1 }),
    onFinalFailure: (job, error) => recordCrawlFailure(deps, job.data.source, { jobId: String(job.id), attempt: job.attemptsMade + 1 }, error),
  });
  observeCrawlWorker(worker, stageQueueName(rt.settings.queue, 'crawl'), log);
  return worker;
}

type StageDeps = () => Parameters<typeof runMediaJob>[0];

function startMediaStage(rt: Runtime, stageDeps: StageDeps, log: Log): StageWorker<MediaJobData, MediaJobResult> {
  const media = new StageWorker<MediaJobData, MediaJobResult>({
    queueName: stageQueueName(rt.settings.queue, 'media'),
    connection: rt.workerConnection(),
    settings: rt.settings,
    concurrency: rt.settings.worker.mediaConcurrency,
    process: (job) => runMediaJob(stageDeps(), job.data),
  });
  observeStageWorker(media, 'media', stageQueueName(rt.settings.queue, 'media'), log);
  return media;
}

function startDiscoveryStage(
  rt: Runtime,
  stageDeps: StageDeps,
  followUps: ReturnType<typeof trackInFlight>,
  log: Log,
): StageWorker<DiscoveryJobData, DiscoveryJobResult> {
  const discovery = new StageWorker<DiscoveryJobData, DiscoveryJobResult>({
    queueName: stageQueueName(rt.settings.queue, 'discovery'),
    connection: rt.workerConnection(),
    settings: rt.settings,
    concurrency: rt.settings.worker.discoveryConcurrency,
    process: async (job) => {
      const r = await runDiscoveryJob(stageDeps(), job.data);
      // the lines are logged once, by the stage's observer (observeStageWorker)
      return {
        channelKey: job.data.channelKey,
        resurfaced: r.events.map((e) => e.channelKey),
        found: r.found,
        followed: r.followedChannels,
        more: r.more,
        ...(r.nextInMs !== undefined ? { nextInMs: r.nextInMs } : {}),
      };
    },
  });
  discovery.on('completed', ({ result, data }) => {
    // the channel's next step: once if ticks came in while this one ran, at once if candidates are left, else when
    // its next candidate falls due.
    // Not awaited here, but tracked: the worker's close waits for it before the runtime closes the queue and Redis.
    const queued = followUps.run(() =>
      afterDiscovery(rt.discoveryQueue, rt.redis, data, result.more === true, result.nextInMs).catch((e: unknown) =>
        log(`discovery ${result.channelKey}: next step not queued: ${(e as Error).message}`),
      ),
    );
    if (!queued) log(`discovery ${result.channelKey}: next step not queued: the worker is stopping`, { level: 'warn', event: 'discovery.followup.skipped' });
  });
  observeStageWorker(discovery, 'discovery', stageQueueName(rt.settings.queue, 'discovery'), log);
  return discovery;
}

/** The alerts stage: the SMTP sender (which also records report cases' sent mails after every round) and signed webhooks. */
function startDeliveries(rt: Runtime, log: Log): { stop(): Promise<void> } {
  const smtp = rt.settings.alerts.smtpUrl;
  const afterRound = async (): Promise<void> => void (await recordReportDeliveries({ store: rt.store, settings: rt.settings, onReported: rt.onReported }));
  const sender = smtp ? new AlertSender(rt.store, rt.settings, smtpTransport(smtp, rt.settings.alerts.smtpTimeoutMs), undefined, { afterRound }) : undefined;
  if (sender) observeSender(sender, log);
  sender?.start();
  // signed webhooks (src/share/webhooks/), through the egress guard
  const hooks = rt.settings.webhooks.length ? new WebhookDeliverer(rt.store, () => rt.settings, rt.egress) : undefined;
  if (hooks) observeWebhooks(hooks, log);
  hooks?.start();
  return {
    async stop() {
      await sender?.stop();
      await hooks?.stop();
    },
  };
}

/**
 * Worker role: runs the chosen stages (default all). Crawl jobs fetch, parse and store, then hand media references
 * and successor searches to their queues; media jobs match against this process's fingerprint index, which follows
 * the fingerprint feed; the alerts stage delivers stored alerts over SMTP; the reports stage re-checks reported targets.
 */
export function startWorkerRole(rt: Runtime, log: Log, opts: { settingsPath?: string; stages?: Stage[] } = {}): WorkerRole {
  const stages = opts.stages ?? [...STAGES];
  const { matcher, stop: stopMatcher } = startMatcher(rt, log, stages);
  const deps: PipelineDeps = {
    store: rt.store,
    crawlers: defaultCrawlers,
    fetcher: rt.fetcher,
    limiter: rt.limiter,
    browser: rt.browser,
    parser: rt.parser,
    settings: rt.settings,
    handoff: rt.handoff,
    ...(rt.telegramApi ? { telegramApi: rt.telegramApi.access } : {}),
  };
  const stageDeps: StageDeps = () => ({
    store: rt.store,
    fetcher: rt.fetcher,
    limiter: rt.limiter,
    parser: rt.parser,
    settings: deps.settings,
    ...(matcher ? { matcher } : {}),
    ...(rt.telegramApi ? { telegramApi: rt.telegramApi.access } : {}),
  });
  const rules = watchRules(opts.settingsPath, deps, rt, log);
  void telegramApiSessionProblem(rt.settings).then(
    (p) => p && log(`config: ${p.setting}: ${p.message}`, { level: 'error', event: 'config.telegram-api', setting: p.setting }),
    (e: unknown) => log(`config: telegram-api login check failed: ${(e as Error).message}`, { level: 'error', event: 'config.telegram-api' }),
  );
  const stopAlertLog = observeAlertRaises(log);
  // follow-up steps queued when a discovery job completed (afterDiscovery)
  const followUps = trackInFlight();
  const role: WorkerRole = { stages, close: async () => undefined };
  if (stages.includes('crawl')) role.crawl = startCrawlStage(rt, deps, log);
  if (stages.includes('media')) role.media = startMediaStage(rt, stageDeps, log);
  if (stages.includes('discovery')) role.discovery = startDiscoveryStage(rt, stageDeps, followUps, log);
  if (stages.includes('reports')) role.reports = startRecheckWorker(rt, log);
  const deliveries = stages.includes('alerts') ? startDeliveries(rt, log) : undefined;
  role.close = async () => {
    // the workers finish their running jobs (a discovery job's completion starts its follow-up), then the follow-ups
    // finish; only then may the runtime close the queues and the Redis connections they use
    await Promise.all([role.crawl?.close(), role.media?.close(), role.discovery?.close(), role.reports?.close()]);
    await followUps.close();
    stopMatcher();
    rules?.close();
    stopAlertLog();
    await deliveries?.stop();
  };
  return role;
}

function observeWebhooks(d: WebhookDeliverer, log: Log): void {
  d.on('delivered', (e) => log(`webhook ${e.id} delivered (HTTP ${e.status}, attempt ${e.attempts})`, { event: 'webhook.delivered', ...e }));
  d.on('failed', (e) =>
    log(`webhook ${e.id} failed: ${e.error}; retry in ${Math.round(e.retryInMs / 1000)} s`, { level: 'warn', event: 'webhook.failed', ...e }),
  );
  d.on('dead', (e) => log(`webhook ${e.id} dead-lettered: ${e.error}`, { level: 'error', event: 'webhook.dead', ...e }));
}

export function sourcesPathIn(configDir: string): string {
  return join(configDir, 'sources.yaml');
}
