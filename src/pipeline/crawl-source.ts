import type { Settings, Source } from '../config/schema';
import type { CrawlOutcome, CrawlCursor } from '../../crawlers/types';
import { diffChannel, nextChannelState } from '../core/channel-transitions';
import { contentPosts, serviceEventDrafts } from '../core/service-events';
import { timeBuckets } from '../core/time-buckets';
import type { BrowserPool } from '../net/browser-pool';
import { CrawlError } from '../net/errors';
import type { Fetcher } from '../net/fetcher';
import type { HostLimiter } from '../queue/host-limiter';
import { rateLimitedFetcher } from '../queue/rate-limited-fetcher';
import type { CrawlJobResult } from '../queue/crawl-job';
import type { Store } from '../store/store';
import type { ChannelDoc, EventDoc } from '../store/types';
import { appendEvents, upsertMedia, upsertPosts } from '../store/writes';
import { recordPostRollups } from '../store/post-rollups';
import { crawlSource, type CrawlerRegistry } from '../app/crawler-registry';
import { channelKeyFor } from './channel-key';
import { buildEventDoc, buildMediaDocs, buildPostDoc } from './docs';
import type { MediaMatcher } from '../media/media-matcher';
import { hashImageUrl } from '../media/hash-url';
import { raiseAlert } from '../alerts/outbox';
import type { StageHandoff } from '../queue/stage-queues';
import type { MediaJobData } from '../queue/media-job';
import { findChannelKeyByHandle as keyByHandle, recordHandles } from '../store/channel-handles';
import { recordPointers } from '../resurface/pointers';
import { crashPoint } from '../util/crash-point';
import { runMediaJob } from './media-stage';
import { runDiscoveryJob } from './discovery-stage';

export interface PipelineDeps {
  store: Store;
  crawlers: CrawlerRegistry;
  fetcher: Fetcher;
  limiter: HostLimiter;
  browser?: BrowserPool;
  settings: Settings;
  /**
   * How media and discovery work is handed on: the stage queues in workers. Unset, both run inline in this call
   * (tools and tests), media intake only when a matcher is given.
   */
  handoff?: StageHandoff;
  /** Inline hand-off only: this process's fingerprint index. */
  matcher?: MediaMatcher;
  now?: () => Date;
}

/** Runs the downstream stages in this process, awaited (no queue). */
export function inlineHandoff(deps: PipelineDeps): StageHandoff {
  const { matcher } = deps;
  return {
    async media(jobs) {
      for (const data of jobs) {
        if (data.kind !== 'text' && !matcher) continue;
        await runMediaJob({ store: deps.store, fetcher: deps.fetcher, limiter: deps.limiter, settings: deps.settings, ...(matcher ? { matcher } : {}), ...(deps.now ? { now: deps.now } : {}) }, data);
      }
    },
    discovery: (job) => runDiscoveryJob({ store: deps.store, fetcher: deps.fetcher, limiter: deps.limiter, settings: deps.settings, ...(matcher ? { matcher } : {}), ...(deps.now ? { now: deps.now } : {}) }, job),
  };
}

export interface CrawlRunInfo {
  jobId: string;
  attempt: number;
}

function sourceHost(source: Source): string {
  const url = source.platform === 'telegram' ? source.options.baseUrl : source.url;
  return new URL(url).host;
}

async function findChannelKeyByHandle(store: Store, source: Source, handle: string): Promise<string | undefined> {
  if (source.platform !== 'telegram') return undefined;
  return keyByHandle(store, handle);
}

/** Where t.me links point (mirrors and the simulator use their own base URL). */
function telegramBase(source: Source): string {
  return source.platform === 'telegram' ? source.options.baseUrl : 'https://t.me';
}

/** Writes pending outbox events, then clears them (safe to repeat: event ids are deterministic). */
async function flushOutbox(store: Store, channelKey: string, pending: EventDoc[] | undefined): Promise<void> {
  if (!pending?.length) return;
  await appendEvents(store, pending);
  await store.channels.updateOne({ _id: channelKey }, { $unset: { pendingEvents: '' } });
}

/**
 * One crawl of one source: fetch + parse (rate-limited per host, concurrency-limited across workers), then store
 * posts (idempotent upserts), the channel state with its new events in an outbox, the events (deterministic ids),
 * and last the cursor. A crash anywhere leaves nothing half-done that a retry would duplicate or lose.
 */
export async function runCrawl(deps: PipelineDeps, source: Source, run: CrawlRunInfo): Promise<CrawlJobResult> {
  const now = deps.now ?? (() => new Date());
  const { store } = deps;
  const startedAt = now();
  await store.runs.updateOne(
    { _id: `run:${run.jobId}` },
    { $set: { jobId: run.jobId, sourceId: source.id, attempt: run.attempt, status: 'running', startedAt, buckets: timeBuckets(startedAt) }, $unset: { error: '', finishedAt: '' } },
    { upsert: true },
  );

  // One crawl per source at a time (a startup check and a cron tick may overlap), then the host's limits.
  const sourceLock = await deps.limiter.acquire(`source:${source.id}`, undefined, 1);
  try {
    return await crawlLocked(deps, source, run, now);
  } finally {
    await sourceLock.release();
  }
}

async function crawlLocked(deps: PipelineDeps, source: Source, run: CrawlRunInfo, now: () => Date): Promise<CrawlJobResult> {
  const { store } = deps;
  const handoff = deps.handoff ?? inlineHandoff(deps);
  // A removed channel is re-checked on a slower schedule (restorations are still seen); its successor search runs
  // at every tick meanwhile.
  let known: ChannelDoc | null = null;
  if (source.platform === 'telegram') {
    const key = await findChannelKeyByHandle(store, source, source.handle);
    const st = key ? await store.channels.findOne({ _id: key }) : null;
    known = st;
    const recheckMs = deps.settings.resurface.removedRecheckMinutes * 60_000;
    if (key && st?.status === 'removed' && st.handle.toLowerCase() === source.handle.toLowerCase() && now().getTime() - st.lastCheckedAt.getTime() < recheckMs) {
      const events = await handoff.discovery({ source, channelKey: key, requestedAt: now().toISOString() });
      const result: CrawlJobResult = { sourceId: source.id, status: 'removed', postsSeen: 0, postsNew: 0, events: events.map((e) => e.type) };
      await store.runs.updateOne({ _id: `run:${run.jobId}` }, { $set: { status: 'ok', finishedAt: now(), channelKey: key, channelStatus: 'removed', pagesFetched: 0, postsSeen: 0, postsNew: 0, events: result.events, skippedRecheck: true } });
      return result;
    }
  }
  const cursorDoc = await store.cursors.findOne({ _id: source.id });
  const cursor: CrawlCursor = cursorDoc?.cursor ?? {};
  const host = sourceHost(source);
  const lease = await deps.limiter.acquire(host);
  let outcome: CrawlOutcome;
  try {
    outcome = await crawlSource(deps.crawlers, source, {
      fetcher: rateLimitedFetcher(deps.fetcher, deps.limiter, source.rateLimit),
      cursor,
      now,
      ...(deps.browser ? { browser: deps.browser } : {}),
    });
  } finally {
    await lease.release();
  }
  const at = now();
  const snap = outcome.channel;
  const knownKey = snap.platformId ? undefined : await findChannelKeyByHandle(store, source, source.platform === 'telegram' ? source.handle : snap.handle);
  const channelKey = channelKeyFor(source, snap, knownKey);
  // the channel read at the start is reused when the check lands on the same channel (the common case)
  const prev = known?._id === channelKey ? known : await store.channels.findOne({ _id: channelKey });
  await flushOutbox(store, channelKey, prev?.pendingEvents);

  // 1. posts and media references (idempotent upserts), texts, pointed handles; service messages are events
  const postDocs = contentPosts(outcome.posts).map((p) =>
    buildPostDoc(p, { channelKey, sourceId: source.id, platform: source.platform, handle: snap.handle, tags: source.tags, crawledAt: at, langMinLength: deps.settings.language.minLength }),
  );
  const { inserted } = await upsertPosts(store, postDocs);
  await recordPostRollups(store, postDocs);
  const mediaDocs = postDocs.flatMap(buildMediaDocs);
  await upsertMedia(store, mediaDocs);
  if (postDocs.length) await recordPointers(store, postDocs, telegramBase(source), at);
  crashPoint('crawl:after-posts');
  // 1b. hand texts and media on to the media stage before the cursor moves: a crawl retried after a crash sees the
  //     same posts again and hands them over again (same job ids), so nothing is lost between the write and the
  //     enqueue, and nothing is done twice
  const texts = postDocs.filter((p) => p.text.trim().length > 0).map((p) => p._id);
  const jobs: MediaJobData[] = texts.length ? [{ kind: 'text', source, postKeys: texts }] : [];
  if (deps.settings.media.enabled && mediaDocs.length) {
    const postAt = new Map(postDocs.map((p) => [p._id, p.publishedAt ?? at]));
    jobs.push(...mediaDocs.map((m): MediaJobData => ({ source, refId: m._id, postAt: (postAt.get(m.postKey) ?? at).toISOString() })));
  }
  if (jobs.length) await handoff.media(jobs);
  crashPoint('crawl:after-handoff');

  // 2. channel state + outbox in one document write, 3. events, 4. cursor
  const drafts = [...diffChannel(prev ?? undefined, snap, at), ...serviceEventDrafts(outcome.posts, at)];
  const eventCtx = { channelKey, sourceId: source.id, platform: source.platform, handle: snap.handle };
  const events = drafts.map((d) => buildEventDoc(d, eventCtx));
  const state = nextChannelState(prev ?? undefined, snap, at);
  const removal = drafts.find((d) => d.type === 'removed');
  const doc: Omit<ChannelDoc, '_id'> = {
    ...state,
    platform: source.platform,
    sourceIds: [...new Set([...(prev?.sourceIds ?? []), source.id])],
    lastCheckedAt: at,
    ...(snap.description ?? prev?.description ? { description: snap.description ?? prev?.description } : {}),
    ...(snap.subscribers ?? prev?.subscribers) !== undefined ? { subscribers: snap.subscribers ?? prev?.subscribers } : {},
    ...(snap.statusDetail ? { statusDetail: snap.statusDetail } : {}),
    ...(removal ? { timeToTakedownMs: removal.data.timeToTakedownMs as number } : prev?.timeToTakedownMs !== undefined ? { timeToTakedownMs: prev.timeToTakedownMs } : {}),
    ...(events.length ? { pendingEvents: events } : {}),
  };
  if (snap.status === 'active' && snap.avatarUrl && deps.settings.media.enabled) {
    if (snap.avatarUrl !== prev?.avatarUrl || !prev?.avatarPdq) {
      const avatar = await hashImageUrl(rateLimitedFetcher(deps.fetcher, deps.limiter, source.rateLimit), snap.avatarUrl, deps.settings, 'media.avatar');
      if (avatar) doc.avatarPdq = avatar.hash;
    } else doc.avatarPdq = prev.avatarPdq;
  } else if (prev?.avatarPdq) doc.avatarPdq = prev.avatarPdq;
  await store.channels.replaceOne({ _id: channelKey }, doc, { upsert: true });
  if (source.platform === 'telegram' && (!prev || prev.handles.length !== state.handles.length || prev.handle !== state.handle)) {
    await recordHandles(store, channelKey, state.handles, at);
    // A handle first seen missing, now found with its numeric id: drop the handle-keyed placeholder (its events stay).
    if (snap.platformId) await store.channels.deleteOne({ _id: `tg:@${snap.handle.toLowerCase()}` });
  }
  crashPoint('crawl:after-state');
  await flushOutbox(store, channelKey, events);
  if (snap.status === 'active' && JSON.stringify(outcome.cursor) !== JSON.stringify(cursor)) {
    await store.cursors.updateOne({ _id: source.id }, { $set: { cursor: outcome.cursor, updatedAt: at } }, { upsert: true });
  }

  // 6. alerts for this check's events, then the successor search while a removed channel is in its search window
  for (const ev of events) {
    if (ev.type === 'removed') {
      await raiseAlert(store, deps.settings, { kind: 'removed', key: `removed:${channelKey}:${ev.at.toISOString()}`, sourceId: source.id, tags: source.tags, at: ev.at, facts: { channelKey, handle: state.handle, at: ev.at, detail: ev.data.detail, timeToTakedownMs: ev.data.timeToTakedownMs } });
    }
  }
  // 5. the successor search is the discovery stage's (queued: this crawl does not wait for it)
  if (source.platform === 'telegram' && snap.status === 'removed') events.push(...(await handoff.discovery({ source, channelKey, requestedAt: at.toISOString() })));

  const result: CrawlJobResult = { sourceId: source.id, status: snap.status, postsSeen: outcome.posts.length, postsNew: inserted, events: events.map((e) => e.type) };
  await store.runs.updateOne(
    { _id: `run:${run.jobId}` },
    { $set: { status: 'ok', finishedAt: now(), channelKey, channelStatus: snap.status, pagesFetched: outcome.pagesFetched, postsSeen: result.postsSeen, postsNew: inserted, mediaQueued: deps.settings.media.enabled ? mediaDocs.length : 0, events: result.events } },
  );
  return result;
}

/** Records a crawl that will not be retried any more: a `crawl_failed` event and the run's error. */
export async function recordCrawlFailure(deps: PipelineDeps, source: Source, run: CrawlRunInfo, error: Error): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const { store } = deps;
  const at = now();
  const handle = source.platform === 'telegram' ? source.handle : source.url;
  const knownKey = await findChannelKeyByHandle(store, source, handle);
  const channelKey = channelKeyFor(source, undefined, knownKey);
  const prev = await store.channels.findOne({ _id: channelKey });
  const failures = (prev?.consecutiveFailures ?? 0) + 1;
  const info = { name: error.name, code: error instanceof CrawlError ? error.code : 'INTERNAL', message: error.message, retryable: error instanceof CrawlError ? error.retryable : true };
  const ev = buildEventDoc({ type: 'crawl_failed', at, data: { ...info, jobId: run.jobId, consecutiveFailures: failures } }, { channelKey, sourceId: source.id, platform: source.platform, handle });
  if (prev) await store.channels.updateOne({ _id: channelKey }, { $set: { consecutiveFailures: failures, lastCheckedAt: at } });
  await appendEvents(store, [ev]);
  await store.runs.updateOne({ _id: `run:${run.jobId}` }, { $set: { status: 'failed', finishedAt: at, error: info } }, { upsert: true });
  if (failures >= deps.settings.alerts.crawlFailingAfter) {
    await raiseAlert(store, deps.settings, { kind: 'crawl_failing', key: `crawl_failing:${source.id}:${at.toISOString().slice(0, 10)}`, sourceId: source.id, tags: source.tags, at, facts: { consecutiveFailures: failures, message: error.message } });
  }
}
