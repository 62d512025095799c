import { sourceBaseUrl, sourceLabel } from '../config/source-target';
import type { Settings, Source } from '../config/schema';
import type { CrawlOutcome, CrawlCursor } from '../../crawlers/types';
import { diffChannel, nextChannelState } from '../core/channel-transitions';
import { contentPosts, serviceEventDrafts } from '../core/service-events';
import { timeBuckets } from '../core/time-buckets';
import type { BrowserPool } from '../net/browser-pool';
import type { PageParser } from '../parse/page-parser';
import { CrawlError, TimeoutError } from '../net/errors';
import type { Fetcher } from '../net/fetcher';
import type { HostLimiter } from '../queue/host-limiter';
import { rateLimitedFetcher } from '../queue/rate-limited-fetcher';
import type { CrawlJobResult } from '../queue/crawl-job';
import type { Store } from '../store/store';
import type { ChannelDoc, CursorDoc, EventDoc } from '../store/types';
import type { CachedCursor } from '../store/cursor-cache';
import { appendEvents, upsertMedia, upsertPosts } from '../store/writes';
import { recordPostRollups } from '../store/post-rollups';
import { recordPostChecks } from '../store/post-checks';
import { crawlSource, type CrawlerRegistry } from '../app/crawler-registry';
import { channelKeyFor } from './channel-key';
import { conflictChannelKey, isChannelIdConflict } from '../core/channel-id-conflict';
import { buildEventDoc, buildMediaDocs, buildPostDoc } from './docs';
import type { MediaMatcher } from '../media/media-matcher';
import { hashImageUrl } from '../media/hash-url';
import { raiseAlert } from '../alerts/outbox';
import type { StageHandoff } from '../queue/stage-queues';
import type { MediaJobData } from '../queue/media-job';
import { findChannelKeyByHandle as keyByHandle, recordHandles } from '../store/channel-handles';
import { pointersOf, recordPointed } from '../resurface/pointers';
import { mergePointers, newProfileTexts, profilePointers } from '../resurface/profile-pointers';
import { effectiveHandle } from '../resurface/follow-channel';
import { crashPoint } from '../util/crash-point';
import { runMediaJob } from './media-stage';
import { runDiscoveryJob } from './discovery-stage';

export interface PipelineDeps {
  store: Store;
  crawlers: CrawlerRegistry;
  fetcher: Fetcher;
  limiter: HostLimiter;
  browser?: BrowserPool;
  /** Where fetched pages are parsed (the runtime's parse-thread pool). Unset: in this thread, nesting cap only. */
  parser?: PageParser;
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

/** Discovery steps one inline hand-off runs at most (each makes at most `resurface.probesPerJob` probes). */
const INLINE_DISCOVERY_STEPS = 50;

/** Runs the downstream stages in this process, awaited (no queue). */
export function inlineHandoff(deps: PipelineDeps): StageHandoff {
  const { matcher } = deps;
  return {
    async media(jobs) {
      for (const data of jobs) {
        if (data.kind !== 'text' && !matcher) continue;
        await runMediaJob(
          {
            store: deps.store,
            fetcher: deps.fetcher,
            limiter: deps.limiter,
            settings: deps.settings,
            ...(matcher ? { matcher } : {}),
            ...(deps.now ? { now: deps.now } : {}),
          },
          data,
        );
      }
    },
    async discovery(job) {
      // inline, the channel's steps run back to back until its candidates are done (bounded)
      const stageDeps = {
        store: deps.store,
        fetcher: deps.fetcher,
        limiter: deps.limiter,
        settings: deps.settings,
        ...(deps.parser ? { parser: deps.parser } : {}),
        ...(matcher ? { matcher } : {}),
        ...(deps.now ? { now: deps.now } : {}),
      };
      const events: EventDoc[] = [];
      // each handle once per run: the steps follow each other at once, so a second probe would see the same page
      const probedInRun = new Set<string>();
      for (let step = 0; step < INLINE_DISCOVERY_STEPS; step++) {
        const r = await runDiscoveryJob(stageDeps, job, { probedInRun });
        events.push(...r.events);
        if (!r.more) break;
      }
      return events;
    },
  };
}

export interface CrawlRunInfo {
  jobId: string;
  attempt: number;
}

function sourceHost(source: Source): string {
  return new URL(sourceBaseUrl(source)).host;
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
  const started = { ...run, startedAt: now() };
  // One crawl per source at a time (a startup check and a cron tick may overlap), then the host's limits. The lock is
  // the database's (deployments sharing a Redis, or tests, may watch sources of the same id); host limits are shared.
  const sourceLock = await deps.limiter.acquire(`source:${deps.settings.mongoDb}:${source.id}`, undefined, 1);
  try {
    return await crawlLocked(deps, source, started, now);
  } finally {
    await sourceLock.release();
  }
}

/**
 * A watched channel whose rename (or restoration under a new handle) was followed is crawled under its new handle.
 * A settled cursor names that handle already (no read); else the followed-handle document says.
 */
async function crawledAs(store: Store, configured: Source, cursorDoc: CursorDoc | null): Promise<Source> {
  if (configured.platform !== 'telegram') return configured;
  const settled = cursorDoc?.settled;
  if (settled && settled.configHandle === configured.handle.toLowerCase())
    return settled.handle === settled.configHandle ? configured : { ...configured, handle: settled.handle };
  return { ...configured, handle: await effectiveHandle(store, configured.id, configured.handle) };
}

/**
 * The run document of a check that does more than find nothing new: written as `running` before its first other
 * write (a crash leaves it so), and finished by the same check. A check with no new post writes none.
 */
async function startRunDoc(store: Store, sourceId: string, run: CrawlRunInfo & { startedAt: Date }): Promise<void> {
  await store.runs.updateOne(
    { _id: `run:${run.jobId}` },
    {
      $set: { jobId: run.jobId, sourceId, attempt: run.attempt, status: 'running', startedAt: run.startedAt, buckets: timeBuckets(run.startedAt) },
      $unset: { error: '', finishedAt: '' },
    },
    { upsert: true },
  );
}

/** The cursor document: from the Redis cache when it has it (no store read), else from the store. */
async function readCursor(store: Store, sourceId: string): Promise<{ doc: CursorDoc | null; cached: CachedCursor | null }> {
  const cached = store.cursorCache ? await store.cursorCache.get(sourceId) : null;
  return cached ? { doc: cached.doc, cached } : { doc: await store.cursors.findOne({ _id: sourceId }), cached: null };
}

async function crawlLocked(deps: PipelineDeps, configured: Source, run: CrawlRunInfo & { startedAt: Date }, now: () => Date): Promise<CrawlJobResult> {
  const { store } = deps;
  const handoff = deps.handoff ?? inlineHandoff(deps);
  const { doc: cursorDoc, cached } = await readCursor(store, configured.id); // one read at most, used below by every platform
  const source = await crawledAs(store, configured, cursorDoc);
  // A removed channel is re-checked on a slower schedule (restorations are still seen); its successor search runs
  // at every tick meanwhile.
  let known: ChannelDoc | null = null;
  // a settled cursor stands for its channel (active, nothing pending): no channel read before the fetch
  const settledKey =
    source.platform === 'telegram' && cursorDoc?.settled && cursorDoc.channelKey && cursorDoc.handle === source.handle.toLowerCase()
      ? cursorDoc.channelKey
      : undefined;
  if (source.platform === 'telegram' && !settledKey) {
    // the cursor names the channel its last check landed on (one look-up by _id less); else the handle index
    const c = cursorDoc;
    const key = c?.channelKey && c.handle === source.handle.toLowerCase() ? c.channelKey : await findChannelKeyByHandle(store, source, source.handle);
    const st = key ? await store.channels.findOne({ _id: key }) : null;
    known = st;
    const recheckMs = deps.settings.resurface.removedRecheckMinutes * 60_000;
    if (
      key &&
      st?.status === 'removed' &&
      st.handle.toLowerCase() === source.handle.toLowerCase() &&
      now().getTime() - st.lastCheckedAt.getTime() < recheckMs
    ) {
      const events = await handoff.discovery({ source, channelKey: key, requestedAt: now().toISOString() });
      const result: CrawlJobResult = { sourceId: source.id, status: 'removed', postsSeen: 0, postsNew: 0, events: events.map((e) => e.type) };
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
            channelKey: key,
            channelStatus: 'removed',
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
  }
  const stored: CrawlCursor = cursorDoc?.cursor ?? {};
  // "Nothing new" may skip the parse only when the last full check left this source's channel active and settled
  // (no outbox to flush); anything else takes the full path.
  const settled = !!settledKey || (!!known && isSettled(known, source, deps.settings));
  const { pageHeader, ...rest } = stored;
  const cursor: CrawlCursor = settled && pageHeader ? stored : rest;
  const host = sourceHost(source);
  // The crawl's budget (worker.crawlTimeoutMs): waiting for the host, every fetch, parse and render. Requests are
  // aborted through the signal; whatever does not listen to it is abandoned by the race, so the job (and its worker
  // slot and leases) is free at the budget in any case.
  const budgetMs = deps.settings.worker.crawlTimeoutMs;
  const budget = new AbortController();
  const overBudget = new Promise<never>((_, reject) => budget.signal.addEventListener('abort', () => reject(budget.signal.reason as Error), { once: true }));
  overBudget.catch(() => undefined);
  const timer = setTimeout(() => budget.abort(new TimeoutError('crawl.total', budgetMs, sourceLabel(source))), budgetMs);
  let outcome: CrawlOutcome;
  try {
    const lease = await Promise.race([deps.limiter.acquire(host, budget.signal), overBudget]);
    try {
      const crawl = crawlSource(deps.crawlers, source, {
        fetcher: rateLimitedFetcher(deps.fetcher, deps.limiter, source.rateLimit),
        cursor,
        now,
        signal: budget.signal,
        ...(deps.browser ? { browser: deps.browser } : {}),
        ...(deps.parser ? { parse: deps.parser } : {}),
      });
      crawl.catch(() => undefined);
      outcome = await Promise.race([crawl, overBudget]);
    } finally {
      await lease.release();
    }
  } finally {
    clearTimeout(timer);
  }
  const at = now();
  const unchangedKey = settledKey ?? known?._id;
  if (outcome.unchanged && unchangedKey) {
    // No new post, no channel change: no run document, and the channel's check time only once per resolution period
    // (the cache says when it was last written; a miss writes it). The cache entry is refreshed after that write.
    const resolutionMs = deps.settings.worker.checkTimeResolutionSeconds * 1000;
    const due = !cached || at.getTime() - cached.checkWrittenAt >= resolutionMs;
    if (due) await store.channels.updateOne({ _id: unchangedKey }, { $set: { lastCheckedAt: at } });
    if (store.cursorCache && cursorDoc && due) await store.cursorCache.put(source.id, { doc: cursorDoc, checkWrittenAt: at.getTime() });
    return { sourceId: source.id, status: 'active', postsSeen: 0, postsNew: 0, events: [], unchanged: true };
  }
  await startRunDoc(store, source.id, run);
  const snap = outcome.channel;
  const knownKey = snap.platformId ? undefined : await findChannelKeyByHandle(store, source, source.platform === 'telegram' ? source.handle : snap.handle);
  let channelKey = channelKeyFor(source, snap, knownKey);
  // the channel read at the start is reused when the check lands on the same channel (the common case)
  let prev = known?._id === channelKey ? known : await store.channels.findOne({ _id: channelKey });
  if (source.platform === 'telegram' && snap.platformId && isChannelIdConflict(prev, { sourceId: source.id, handle: source.handle })) {
    // this page claims a channel id bound to another watched, active handle: keep its channel and posts apart
    const claimed = prev as ChannelDoc;
    channelKey = conflictChannelKey(snap.platformId, source.handle);
    prev = known?._id === channelKey ? known : await store.channels.findOne({ _id: channelKey });
    if (!prev) {
      const ev = buildEventDoc(
        {
          type: 'channel_id_conflict',
          at: now(),
          data: {
            platformId: snap.platformId,
            boundTo: claimed.handle,
            claimedBy: source.handle,
            pageHandle: snap.handle,
            sourceId: source.id,
            keptAs: channelKey,
          },
        },
        { channelKey: claimed._id, sourceId: source.id, platform: source.platform, handle: claimed.handle },
      );
      await appendEvents(store, [ev]);
    }
  }
  await flushOutbox(store, channelKey, prev?.pendingEvents);

  // 1. posts and media references (idempotent upserts), texts, pointed handles; service messages are events
  const postDocs = contentPosts(outcome.posts).map((p) =>
    buildPostDoc(p, {
      channelKey,
      sourceId: source.id,
      platform: source.platform,
      handle: snap.handle,
      tags: source.tags,
      crawledAt: at,
      langMinLength: deps.settings.language.minLength,
    }),
  );
  const { inserted } = await upsertPosts(store, postDocs);
  await recordPostRollups(store, postDocs);
  const mediaDocs = postDocs.flatMap(buildMediaDocs);
  await upsertMedia(store, mediaDocs);
  // handles the posts point at, and those a new or changed description or a new pin notice names: one write
  const profile =
    source.platform === 'telegram'
      ? newProfileTexts(
          {
            channelKey,
            handle: snap.handle,
            tags: source.tags,
            ...(snap.description !== undefined ? { description: snap.description } : {}),
            posts: outcome.posts,
          },
          prev?.description,
        )
      : undefined;
  const pointed = mergePointers(pointersOf(postDocs, telegramBase(source)), ...(profile ? [profilePointers(profile, telegramBase(source))] : []));
  await recordPointed(store, pointed, at);
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
  // 1c. re-checks of known posts (YouTube watch pages, Archive metadata): views timeline, takedowns with their reason
  const takedowns = outcome.checks?.length ? await recordPostChecks(store, channelKey, outcome.checks, at) : [];

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
    ...((snap.description ?? prev?.description) ? { description: snap.description ?? prev?.description } : {}),
    ...((snap.subscribers ?? prev?.subscribers) !== undefined ? { subscribers: snap.subscribers ?? prev?.subscribers } : {}),
    ...(snap.statusDetail ? { statusDetail: snap.statusDetail } : {}),
    ...(removal
      ? { timeToTakedownMs: removal.data.timeToTakedownMs as number }
      : prev?.timeToTakedownMs !== undefined
        ? { timeToTakedownMs: prev.timeToTakedownMs }
        : {}),
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
  const landed = source.platform === 'telegram' && snap.platformId ? { channelKey, handle: source.handle.toLowerCase() } : {};
  // the channel as this check leaves it: settled (nothing pending, active, fingerprinted) lets the next check read the cursor only
  const settledNow: CursorDoc['settled'] =
    landed.channelKey &&
    configured.platform === 'telegram' &&
    source.platform === 'telegram' &&
    isSettled({ ...doc, _id: channelKey, pendingEvents: [] }, source, deps.settings)
      ? { configHandle: configured.handle.toLowerCase(), handle: source.handle.toLowerCase() }
      : undefined;
  const settledMoved = JSON.stringify(settledNow ?? null) !== JSON.stringify(cursorDoc?.settled ?? null);
  // a removed YouTube channel still re-checks its videos: their cursor moves on (gone ones leave the tracked list)
  const cursorMoved = JSON.stringify(outcome.cursor) !== JSON.stringify(stored);
  if (
    (snap.status === 'active' || outcome.checks !== undefined) &&
    (cursorMoved || settledMoved || (landed.channelKey && (cursorDoc?.channelKey !== landed.channelKey || cursorDoc.handle !== landed.handle)))
  ) {
    await store.cursors.updateOne(
      { _id: source.id },
      {
        $set: { cursor: outcome.cursor, updatedAt: at, ...landed, ...(settledNow ? { settled: settledNow } : {}) },
        ...(settledNow ? {} : { $unset: { settled: '' } }),
      },
      { upsert: true },
    );
    await refreshCachedCursor(
      store,
      { ...withoutSettled(cursorDoc), _id: source.id, cursor: outcome.cursor, updatedAt: at, ...landed, ...(settledNow ? { settled: settledNow } : {}) },
      at,
    );
  } else if (cursorDoc?.settled && !settledNow) {
    await store.cursors.updateOne({ _id: source.id }, { $unset: { settled: '' } });
    await refreshCachedCursor(store, { ...withoutSettled(cursorDoc), _id: source.id }, at);
  } else if (cursorDoc) {
    await refreshCachedCursor(store, cursorDoc, at);
  }

  // 6. alerts for this check's events, then the successor search while a removed channel is in its search window
  for (const ev of events) {
    if (ev.type === 'removed') {
      await raiseAlert(store, deps.settings, {
        kind: 'removed',
        key: `removed:${channelKey}:${ev.at.toISOString()}`,
        sourceId: source.id,
        tags: source.tags,
        at: ev.at,
        facts: { channelKey, handle: state.handle, at: ev.at, detail: ev.data.detail, timeToTakedownMs: ev.data.timeToTakedownMs },
      });
    }
  }
  for (const t of takedowns) {
    await raiseAlert(store, deps.settings, {
      kind: 'removed',
      key: `removed:${t.postKey}`,
      sourceId: source.id,
      tags: source.tags,
      at: t.removedAt,
      facts: { channelKey, postKey: t.postKey, platform: t.platform, reason: t.reason, detail: t.reasonText, timeToTakedownMs: t.timeToTakedownMs },
    });
  }
  // 5. the successor search is the discovery stage's (queued: this crawl does not wait for it)
  //    (a handle that went missing on a channel seen live: its new handle is looked for, to follow a rename)
  const vanished = snap.status === 'not_found' && !!state.platformId && !!state.lastSeenActiveAt;
  if (source.platform === 'telegram' && (snap.status === 'removed' || vanished))
    events.push(...(await handoff.discovery({ source, channelKey, requestedAt: at.toISOString() })));

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
        finishedAt: now(),
        channelKey,
        channelStatus: snap.status,
        pagesFetched: outcome.pagesFetched,
        postsSeen: result.postsSeen,
        postsNew: inserted,
        mediaQueued: deps.settings.media.enabled ? mediaDocs.length : 0,
        events: result.events,
        ...(outcome.checks ? { postsChecked: outcome.checks.length } : {}),
        ...(unknownChecks.length ? { checkErrors: unknownChecks.slice(0, 20).map((c) => ({ postId: c.postId, message: c.reasonText ?? 'unknown' })) } : {}),
      },
    },
  );
  return result;
}

function withoutSettled(doc: CursorDoc | null): Partial<CursorDoc> {
  if (!doc) return {};
  const { settled: _settled, ...rest } = doc;
  return rest;
}

/** After a full check (which wrote the channel's check time): the cache holds the cursor document as now stored. */
async function refreshCachedCursor(store: Store, doc: Partial<CursorDoc> & { _id: string }, at: Date): Promise<void> {
  if (!store.cursorCache || !doc.cursor || !doc.updatedAt) return;
  await store.cursorCache.put(doc._id, { doc: doc as CursorDoc, checkWrittenAt: at.getTime() });
}

/** A channel a check may treat as unchanged when its page is: active, nothing pending, no failures, avatar fingerprinted. */
function isSettled(ch: ChannelDoc, source: Source, settings: Settings): boolean {
  return (
    source.platform === 'telegram' &&
    ch.status === 'active' &&
    !ch.pendingEvents?.length &&
    !ch.consecutiveFailures &&
    (!!ch.avatarPdq || !ch.avatarUrl || !settings.media.enabled) &&
    ch.handle.toLowerCase() === source.handle.toLowerCase()
  );
}

/** Records a crawl that will not be retried any more: a `crawl_failed` event and the run's error. */
export async function recordCrawlFailure(deps: PipelineDeps, source: Source, run: CrawlRunInfo, error: Error): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const { store } = deps;
  const at = now();
  const handle = sourceLabel(source);
  const knownKey = await findChannelKeyByHandle(store, source, handle);
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
  if (failures >= deps.settings.alerts.crawlFailingAfter) {
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
