import { channelKeyFor, sourceLabel } from '../../../crawlers/registry';
import type { Source } from '../../config/schema';
import { raiseAlert } from '../../alerts/outbox';
import { timeBuckets } from '../../core/time-buckets';
import { CrawlError } from '../../core/errors';
import { appendEvents } from '../../store/repos/channels';
import { buildEventDoc } from '../docs';
import { crawlHooks } from '../platforms';
import type { CrawlRunInfo, PipelineDeps } from './context';

/** Records a crawl that will not be retried any more: a `crawl_failed` event and the run's error. */
export async function recordCrawlFailure(deps: PipelineDeps, source: Source, run: CrawlRunInfo, error: Error): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const { store } = deps;
  const at = now();
  const handle = sourceLabel(source);
  const knownKey = await crawlHooks(source.platform).channelKeyByHandle?.(store, handle);
  const channelKey = channelKeyFor(source, undefined, knownKey);
  const prev = await store.channels.findOne({ _id: channelKey });
  const failures = (prev?.consecutiveFailures ?? 0) + 1;
  const info = {
    name: error.name,
    code: error instanceof CrawlError ? error.code : 'INTERNAL',
    message: error.message,
    retryable: error instanceof CrawlError ? error.retryable : true,
  };
  const ev = buildEventDoc(
    { type: 'crawl_failed', at, data: { ...info, jobId: run.jobId, consecutiveFailures: failures } },
    { channelKey, sourceId: source.id, platform: source.platform, handle },
  );
  if (prev) await store.channels.updateOne({ _id: channelKey }, { $set: { consecutiveFailures: failures, lastCheckedAt: at } });
  // a failing source's next check takes the full path (its channel reads, its failure count reset)
  await store.cursors.updateOne({ _id: source.id }, { $unset: { settled: '' } });
  await store.cursorCache?.drop(source.id);
  await appendEvents(store, [ev]);
  await store.runs.updateOne(
    { _id: `run:${run.jobId}` },
    {
      $set: { jobId: run.jobId, sourceId: source.id, attempt: run.attempt, status: 'failed', finishedAt: at, error: info },
      $setOnInsert: { startedAt: at, buckets: timeBuckets(at) },
    },
    { upsert: true },
  );
  const failingNow = error instanceof CrawlError && error.failingNow === true;
  if (failures >= deps.settings.alerts.crawlFailingAfter || failingNow) {
    await raiseAlert(store, deps.settings, {
      kind: 'crawl_failing',
      key: `crawl_failing:${source.id}:${at.toISOString().slice(0, 10)}`,
      sourceId: source.id,
      tags: source.tags,
      at,
      facts: { consecutiveFailures: failures, message: error.message },
    });
  }
}
