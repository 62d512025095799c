import { timeBuckets } from '../../core/time-buckets';
import type { CrawlJobResult } from '../../queue/crawl-job';
import type { CrawlRun, StatedCrawl } from './context';
import type { BeforeFetch } from './context';

type Skip = Extract<BeforeFetch, { skip: unknown }>['skip'];

/**
 * The run document of a check that does more than find nothing new: written as `running` before its first other
 * write (a crash leaves it so), and finished by the same check ({@link finishRun}). A check with no new post writes none.
 */
export async function startRunDoc({ store, source, run }: CrawlRun): Promise<void> {
  await store.runs.updateOne(
    { _id: `run:${run.jobId}` },
    {
      $set: { jobId: run.jobId, sourceId: source.id, attempt: run.attempt, status: 'running', startedAt: run.startedAt, buckets: timeBuckets(run.startedAt) },
      $unset: { error: '', finishedAt: '' },
    },
    { upsert: true },
  );
}

/** A check that ended before its fetch (a removed channel between its re-checks): its whole run document at once. */
export async function recordSkippedCheck({ store, source, run, now }: CrawlRun, skip: Skip): Promise<CrawlJobResult> {
  const result: CrawlJobResult = { sourceId: source.id, status: skip.channelStatus, postsSeen: 0, postsNew: 0, events: skip.events.map((e) => e.type) };
  await store.runs.updateOne(
    { _id: `run:${run.jobId}` },
    {
      $set: {
        jobId: run.jobId,
        sourceId: source.id,
        attempt: run.attempt,
        startedAt: run.startedAt,
        buckets: timeBuckets(run.startedAt),
        status: 'ok',
        finishedAt: now(),
        channelKey: skip.channelKey,
        channelStatus: skip.channelStatus,
        pagesFetched: 0,
        postsSeen: 0,
        postsNew: 0,
        events: result.events,
        skippedRecheck: true,
      },
      $unset: { error: '' },
    },
    { upsert: true },
  );
  return result;
}

/** The check's result, and its run document finished. */
export async function finishRun(crawl: StatedCrawl): Promise<CrawlJobResult> {
  const { store, source, run, outcome, snap, channelKey, inserted, events, takedowns, settings } = crawl;
  const result: CrawlJobResult = {
    sourceId: source.id,
    status: snap.status,
    postsSeen: outcome.posts.length,
    postsNew: inserted,
    events: [...events.map((e) => e.type), ...takedowns.map(() => 'post_removed')],
  };
  const unknownChecks = outcome.checks?.filter((c) => c.state === 'unknown') ?? [];
  await store.runs.updateOne(
    { _id: `run:${run.jobId}` },
    {
      $set: {
        status: 'ok',
        finishedAt: crawl.now(),
        channelKey,
        channelStatus: snap.status,
        pagesFetched: outcome.pagesFetched,
        postsSeen: result.postsSeen,
        postsNew: inserted,
        mediaQueued: settings.media.enabled ? crawl.mediaDocs.length : 0,
        events: result.events,
        ...(outcome.checks ? { postsChecked: outcome.checks.length } : {}),
        ...(unknownChecks.length ? { checkErrors: unknownChecks.slice(0, 20).map((c) => ({ postId: c.postId, message: c.reasonText ?? 'unknown' })) } : {}),
      },
    },
  );
  return result;
}
