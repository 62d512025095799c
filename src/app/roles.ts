import { join } from 'node:path';
import type { Source } from '../config/schema';
import { formatIssue } from '../config/format-issues';
import { watchSources, type SourcesWatcher } from '../config/sources-watcher';
import { CrawlWorker } from '../queue/crawl-worker';
import { CrawlScheduler } from '../scheduler/crawl-scheduler';
import { recordCrawlFailure, runCrawl, type PipelineDeps } from '../pipeline/crawl-source';
import { syncSourcesToStore } from '../pipeline/sync-sources';
import { defaultCrawlers } from './crawler-registry';
import { MediaMatcher } from '../media/media-matcher';
import { AlertSender, smtpTransport } from '../alerts/sender';
import { watchAlertRules } from '../alerts/rules-watcher';
import type { AutoSourceDoc } from '../resurface/successor-search';
import type { Log, Runtime } from './runtime';

export interface SchedulerRole {
  scheduler: CrawlScheduler;
  watcher: SourcesWatcher;
  stop(): Promise<void>;
}

/** Scheduler role: watches config/sources.yaml and keeps one cron task per enabled source. */
export async function startSchedulerRole(rt: Runtime, sourcesPath: string, log: Log): Promise<SchedulerRole> {
  const scheduler = new CrawlScheduler({ queue: rt.queue, settings: rt.settings.scheduler });
  scheduler.on('error', (e) => log(`scheduler: ${e.error.message}`));
  scheduler.on('synced', (e) => log(`scheduler: watch list applied (+${e.added.length} added, ${e.changed.length} changed, -${e.removed.length} removed)`));
  // The watch list is the file plus successors added by `resurface.autoWatch` (the file wins on an id clash).
  let fileSources: Source[] = [];
  let autoFingerprint = '';
  const autoSources = async (): Promise<Source[]> =>
    (await rt.store.db.collection<AutoSourceDoc>('auto_sources').find({}).toArray()).map((d) => d.source);
  const apply = async (sources: Source[]): Promise<void> => {
    fileSources = sources;
    const ids = new Set(sources.map((s) => s.id));
    const auto = (await autoSources()).filter((s) => !ids.has(s.id));
    autoFingerprint = auto.map((s) => s.id).sort().join(',');
    const all = [...sources, ...auto];
    await syncSourcesToStore(rt.store, all);
    await scheduler.sync(all);
  };
  const autoTimer = setInterval(() => {
    void autoSources()
      .then((auto) => {
        const fp = auto.filter((s) => !fileSources.some((f) => f.id === s.id)).map((s) => s.id).sort().join(',');
        if (fp !== autoFingerprint) return apply(fileSources);
        return undefined;
      })
      .catch((err: unknown) => log(`scheduler: cannot read auto-added sources: ${(err as Error).message}`));
  }, rt.settings.scheduler.reloadPollSeconds * 1000);
  autoTimer.unref();
  const watcher = await watchSources(sourcesPath, {
    pollMs: rt.settings.scheduler.reloadPollSeconds * 1000,
    onChange: (diff) => void apply(diff.all).catch((err: unknown) => log(`scheduler: cannot apply watch list: ${(err as Error).message}`)),
    onError: (err) => log(`config: ${sourcesPath} rejected, keeping the previous watch list:\n${err.issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`),
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

/** Worker role: runs crawl jobs from the queue; media intake matches against this worker's fingerprint index. */
export function startWorkerRole(rt: Runtime, log: Log, opts: { settingsPath?: string } = {}): CrawlWorker {
  const matcher = rt.settings.media.enabled ? new MediaMatcher(rt.store, { minQuality: rt.settings.media.minQuality }) : undefined;
  // Loads every stored fingerprint now, then keeps up with other workers' additions every 2 s.
  const refresh = matcher ? setInterval(() => void matcher.refresh().catch((e: unknown) => log(`media index refresh failed: ${(e as Error).message}`)), 2000) : undefined;
  refresh?.unref();
  void matcher?.refresh().catch((e: unknown) => log(`media index load failed: ${(e as Error).message}`));
  const deps: PipelineDeps = { store: rt.store, crawlers: defaultCrawlers, fetcher: rt.fetcher, limiter: rt.limiter, browser: rt.browser, settings: rt.settings, ...(matcher ? { matcher } : {}) };
  // alert rules edited in settings.yaml (by hand or through the API) apply without a restart
  const rules = opts.settingsPath
    ? watchAlertRules(opts.settingsPath, {
        pollMs: rt.settings.scheduler.reloadPollSeconds * 1000,
        onRules: (r) => {
          deps.settings = { ...deps.settings, alerts: { ...deps.settings.alerts, rules: r } };
          log(`alert rules reloaded: ${r.map((x) => x.name).join(', ') || '(none)'}`);
        },
        onError: (m) => log(`config: ${m}`),
      })
    : undefined;
  const worker = new CrawlWorker({
    connection: rt.workerConnection(),
    settings: rt.settings,
    process: (job) => runCrawl(deps, job.data.source, { jobId: String(job.id), attempt: job.attemptsMade + 1 }),
    onFinalFailure: (job, error) => recordCrawlFailure(deps, job.data.source, { jobId: String(job.id), attempt: job.attemptsMade + 1 }, error),
  });
  worker.on('completed', ({ result }) => {
    const ev = result.events.length ? ` events: ${result.events.join(', ')}` : '';
    log(`crawl ${result.sourceId}: ${result.status}, ${result.postsSeen} posts seen, ${result.postsNew} new${ev}`);
  });
  worker.on('failed', (e) => log(`crawl ${e.sourceId} failed (attempt ${e.attempt}${e.final ? ', final' : ', will retry'}): ${e.error.message}`));
  worker.on('error', (e) => log(`worker: ${e.message}`));
  const smtp = rt.settings.alerts.smtpUrl;
  const sender = smtp ? new AlertSender(rt.store, rt.settings, smtpTransport(smtp, rt.settings.alerts.smtpTimeoutMs)) : undefined;
  sender?.on('sent', (e) => log(`alert sent to ${e.to}: ${e.subject}`));
  sender?.on('failed', (e) => log(`alert to ${e.to} not sent (attempt ${e.attempts}, will retry): ${e.error}`));
  sender?.start();
  worker.worker.on('closed', () => {
    if (refresh) clearInterval(refresh);
    rules?.close();
    void sender?.stop();
  });
  return worker;
}

export function sourcesPathIn(configDir: string): string {
  return join(configDir, 'sources.yaml');
}
