import { recordProbe, recordProbeBudget } from '../ops/metrics';
import type { Settings, TelegramSource } from '../config/schema';
import { SIGNAL_TYPES } from '../media/signals/registry';
import { textIndex } from '../media/text-clusters';
import { descendantsOf, lineageBefore, predecessorOf, recordLineage } from '../store/repos/lineage';
import { pointedSince, type PointedHandle } from '../store/repos/handle-pointers';
import { timeBuckets } from '../core/time-buckets';
import type { Fetcher } from '../core/fetcher';
import type { MediaMatcher } from '../media/media-matcher';
import type { PageParser } from '../core/parse-task';
import type { Store } from '../store/store';
import { appendEvents, type ChannelDoc, type EventDoc } from '../store/repos/channels';
import { handleVariants } from './handle-variants';
import { score, sharedMediaSignal } from './score';
import { computeSignals, type TextOverlap } from './signals';
import { candidateId, findCandidate, saveCandidate, type CandidateDoc, type Signals } from '../store/repos/successor-candidates';
import { discoveryOffset, saveDiscoveryOffset } from '../store/repos/discovery-cursors';
import { addAutoSource as storeAutoSource } from '../store/repos/auto-sources';
import { orderCandidates, type OrderedCandidate } from './candidate-order';
import { namedInDescription } from './profile-pointers';
import { probeHandle, type ProbeResult } from './probe-cache';
import { isFresh } from './probe-snapshot';
import { findProbe, type ProbeDoc, type ProbePost } from '../store/repos/probe-cache';
import type { FollowedChannel } from './follow-channel';

export interface SearchDeps {
  store: Store;
  /** Gated by `resurface.probeBudget` (per host, shared by all workers, apart from the crawl rate limit). */
  fetcher: Fetcher;
  matcher?: MediaMatcher;
  settings: Settings;
  now: () => Date;
  /** Where probed pages are parsed (the worker's parse pool); unset: this thread. */
  parser?: PageParser;
}

export interface Resurfacing {
  predecessor: string;
  successor: string;
  successorHandle: string;
  score: number;
  signals: Signals;
  eventId: string;
}

async function sharedMedia(deps: SearchDeps, predecessor: ChannelDoc, probe: Pick<ProbeDoc, 'photos'>): Promise<{ signal: number; clusters: string[] }> {
  if (!deps.matcher) return { signal: 0, clusters: [] };
  const summary = await deps.store.channelSummaries.findOne({ _id: predecessor._id }, { projection: { mediaClusters: 1 } });
  const predClusters = new Set(summary?.mediaClusters ?? []);
  if (!predClusters.size) return { signal: 0, clusters: [] };
  await deps.matcher.refresh();
  const shared = new Set<string>();
  // the probe hashed the candidate's first pictures once, for every predecessor's search
  for (const h of probe.photos) {
    if (h.quality < deps.settings.media.minQuality) continue;
    // every dihedral variant: a mirrored or rotated re-upload is the same picture
    for (const v of h.variants) {
      for (const m of deps.matcher.index('pdq').query(v, deps.settings.media.matchRadius)) {
        const c = deps.matcher.items.get(m.id)?.clusterId;
        if (c && predClusters.has(c)) shared.add(c);
      }
    }
  }
  const counts: number[] = [];
  for (const c of shared) {
    const cluster = await deps.store.clusters.findOne({ _id: c }, { projection: { channels: 1 } });
    counts.push((cluster?.channels?.length ?? 1) + 1); // + the candidate
  }
  return { signal: sharedMediaSignal(counts), clusters: [...shared] };
}

async function sharedText(deps: SearchDeps, predecessor: ChannelDoc, posts: readonly ProbePost[]): Promise<TextOverlap> {
  const summary = await deps.store.channelSummaries.findOne({ _id: predecessor._id }, { projection: { textClusters: 1, shortTexts: 1 } });
  const predClusters = new Set(summary?.textClusters ?? []);
  const predShort = new Set(summary?.shortTexts ?? []);
  const content = posts.map((p) => ({ text: p.text, minWords: deps.settings.text.minWords }));
  const sigs = content.map((c) => SIGNAL_TYPES['minhash-text'].fromContent(c)).filter((s): s is number[] => !!s);
  const shorts = content.map((c) => SIGNAL_TYPES['short-text'].fromContent(c)).filter((h): h is string => !!h);
  let hits = 0;
  if (predClusters.size) {
    const index = textIndex(deps.store, deps.settings.text.clusterJaccard);
    for (const sig of sigs) {
      const matches = await index.query(sig);
      if (matches.some((m) => predClusters.has(m.clusterId))) hits++;
    }
  }
  return { long: sigs.length, longShared: hits, short: shorts.length, shortShared: shorts.filter((h) => predShort.has(h)).length };
}

interface WatchedDescendant {
  _id: string;
  handle: string;
  status: string;
  firstSeenAt: Date;
  lastCheckedAt: Date;
}

/** This channel's successors down the whole lineage that are watched (have a channel document of their own). */
async function watchedDescendants(store: Store, key: string): Promise<WatchedDescendant[]> {
  const keys = await descendantsOf(store, key);
  const docs = await Promise.all(
    keys.map((k) => store.channels.findOne({ _id: k }, { projection: { handle: 1, status: 1, firstSeenAt: 1, lastCheckedAt: 1 } })),
  );
  return docs
    .filter((d): d is ChannelDoc => !!d)
    .map((ch) => ({ _id: ch._id, handle: ch.handle, status: ch.status, firstSeenAt: ch.firstSeenAt, lastCheckedAt: ch.lastCheckedAt }));
}

function seconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

export interface SearchOptions {
  /** Network probes this call may make (probes reused from the shared cache are free). Unset: no limit. */
  probeBudget?: number;
  /** Called the moment a candidate crosses the threshold and its event is stored, before the next candidate. */
  onFound?: (r: Resurfacing) => Promise<void>;
  /** Called when a probe saw a watched channel's id under a new handle (the rename or restoration was recorded). */
  onFollowed?: (f: FollowedChannel) => Promise<void>;
  /**
   * Handles already probed for this channel by earlier steps of the same run (steps back to back, as the inline
   * hand-off runs them): skipped, and the handles this step probes are added. Without it, the named and pointed
   * handles probed at every step are probed again at each of the run's steps whenever `reprobeMinutes` is shorter
   * than the run.
   */
  probedInRun?: Set<string>;
}

export interface SearchOutcome {
  found: Resurfacing[];
  followed: FollowedChannel[];
  /** Network probes made (each may be several requests: page, preview, avatar, pictures). */
  probes: number;
  /** Candidates left over when the probe budget ran out: the next job goes on from there. */
  more: boolean;
}

/** The search of one removed channel looks for successors; that of a channel whose handle went missing, for its new handle. */
function searchMode(ch: ChannelDoc): 'successor' | 'rename' | undefined {
  if (ch.status === 'removed' && ch.removedAt) return 'successor';
  if (ch.status === 'not_found' && ch.platformId && ch.lastSeenActiveAt) return 'rename';
  return undefined;
}

/**
 * Looks for the successor of a removed channel: handles named in its own description, handle variants (bounded)
 * and handles that crawled posts, descriptions and pinned-message quotes link, mention or forward; each
 * candidate's public page is crawled and scored with evidence. A candidate above the threshold gets one `resurfaced`
 * event (deterministic id per predecessor and successor). No budget: the whole list.
 */
export async function searchSuccessors(deps: SearchDeps, predecessor: ChannelDoc, source: TelegramSource): Promise<Resurfacing[]> {
  return (await runSuccessorSearch(deps, predecessor, source)).found;
}

/** What one search step works on: the channel searched for and what was read once for all its candidates. */
interface SearchRun {
  deps: SearchDeps;
  predecessor: ChannelDoc;
  source: TelegramSource;
  opts: SearchOptions;
  mode: 'successor' | 'rename';
  now: Date;
  descendants: WatchedDescendant[];
  pointed: Map<string, PointedHandle>;
  named: Set<string>;
  predTags: Set<string>;
  outcome: SearchOutcome;
}

/** The candidates of one step in the order they are probed, and where the resumable tail starts. */
interface SearchQueue {
  ordered: OrderedCandidate[];
  /** `at`: the candidate's index in the resumable tail, -1 for the likely ones probed at every step (`hot`). */
  queue: Array<{ c: OrderedCandidate; at: number; hot: boolean }>;
  /** The stored offset into the tail, and the offset this step starts from. */
  stored: number;
  start: number;
}

/**
 * One discovery step for a removed channel (or a watched channel whose handle went missing, to follow its rename):
 * candidates in priority order (handles named in the channel's own description, handles pointed at from the same
 * network, then look-alike variants, then other pointed handles), each probed through the shared probe cache, at
 * most `probeBudget` network probes; the rest is left for the next job (`more`), which goes on where this one
 * stopped. The likely ones (named, pointed at by the network, the first `resurface.hotCandidates` variants) come
 * first at every step, again after `resurface.hotReprobeSeconds`. Each resurfacing is reported through `onFound` as
 * soon as its event is stored, and the search goes on: a group often opens two or three heads at once.
 */
export async function runSuccessorSearch(deps: SearchDeps, predecessor: ChannelDoc, source: TelegramSource, opts: SearchOptions = {}): Promise<SearchOutcome> {
  const cfg = deps.settings.resurface;
  const now = deps.now();
  const outcome: SearchOutcome = { found: [], followed: [], probes: 0, more: false };
  const mode = searchMode(predecessor);
  const since = mode === 'successor' ? predecessor.removedAt : predecessor.lastSeenActiveAt;
  if (!mode || !since) return outcome;
  if (now.getTime() - since.getTime() > cfg.searchWindowHours * 3600_000) return outcome;
  const run = await readSearchContext(deps, predecessor, source, opts, mode, since, now, outcome);
  const plan = await candidateQueue(run);
  const nextOffset = await walkCandidates(run, plan);
  if (nextOffset !== plan.stored) await saveDiscoveryOffset(deps.store, predecessor._id, nextOffset, now);
  recordProbeBudget(source.id, outcome.probes, plan.ordered.length);
  return outcome;
}

/** The reads made once per step: the watched descendants (lineage hand-over) and the handles pointed at since. */
async function readSearchContext(
  deps: SearchDeps,
  predecessor: ChannelDoc,
  source: TelegramSource,
  opts: SearchOptions,
  mode: 'successor' | 'rename',
  since: Date,
  now: Date,
  outcome: SearchOutcome,
): Promise<SearchRun> {
  // Lineage hand-over. A head that appears after one of this channel's watched successors was born, and once that
  // successor is removed, belongs to that successor (A → A2 → A3, not A → A3), although A3 is often as much a
  // look-alike of A as of A2. While the successor is still up, it is a sibling head of this channel (A → A2 and
  // A → A_backup: a hydra grows several). When the successor's last recorded check is older than the candidate's first
  // post (idle checks record it only every `worker.checkTimeResolutionSeconds`), its page is probed: up now, it was up
  // then (a sibling head); else the decision waits for the next tick.
  const descendants = mode === 'successor' ? await watchedDescendants(deps.store, predecessor._id) : [];
  const pointed = await pointedSince(deps.store, new Date(since.getTime() - 24 * 3600_000), now);
  // handles the channel named in its own stored description ("if we are banned, go to @alpha_reserve"), whenever
  // it named them: no read (the channel document is the one searched for)
  const named = namedInDescription(predecessor, source.options.baseUrl);
  const predTags = new Set(source.tags);
  return { deps, predecessor, source, opts, mode, now, descendants, pointed, named, predTags, outcome };
}

/** The candidates in priority order; those probed at every step first, then the tail from the stored offset. */
async function candidateQueue(run: SearchRun): Promise<SearchQueue> {
  const { deps, predecessor } = run;
  const cfg = deps.settings.resurface;
  const known = new Set(predecessor.handles.map((h) => h.toLowerCase()));
  const ordered = orderCandidates(
    handleVariants(predecessor.handle, cfg.maxVariants, {
      removedAt: predecessor.removedAt,
      ...(predecessor.title ? { title: predecessor.title } : {}),
      rules: cfg.variantRules,
      suffixes: cfg.variantSuffixes,
      prefixes: cfg.variantPrefixes,
    }),
    run.pointed,
    predecessor._id,
    run.predTags,
    known,
    run.named,
  );
  // the likely candidates at every step (re-probed after hotReprobeSeconds); the rest goes on where the previous step stopped
  const { head, tail } = splitHot(ordered, cfg.hotCandidates);
  // the likely ones never probed first (priority order), then the longest unprobed: none of them waits behind the others
  const lastProbed = await Promise.all(head.map((c) => findCandidate(deps.store, candidateId(predecessor._id, c.handle))));
  const hot = lookOrder(
    head,
    lastProbed.map((d) => d?.lastProbedAt),
  );
  const stored = await discoveryOffset(deps.store, predecessor._id);
  const start = stored < tail.length ? stored : 0;
  const queue = [...hot.map((c) => ({ c, at: -1, hot: true })), ...tail.slice(start).map((c, i) => ({ c, at: start + i, hot: false }))];
  return { ordered, queue, stored, start };
}

/**
 * Pure: the order of one step's looks at the likely candidates: those never probed in the order given, then the
 * others by their last probe, oldest first (stable), so that a capped step never starves the same few.
 */
export function lookOrder<T>(items: readonly T[], lastProbedAt: ReadonlyArray<Date | undefined>): T[] {
  const idx = items.map((_, i) => i);
  const never = idx.filter((i) => !lastProbedAt[i]);
  const seen = idx.filter((i) => !!lastProbedAt[i]).sort((a, b) => (lastProbedAt[a] as Date).getTime() - (lastProbedAt[b] as Date).getTime() || a - b);
  return [...never, ...seen].map((i) => items[i] as T);
}

/**
 * Pure: the likely candidates (handles named in the description, pointed at by the network, and the first `hot`
 * variants in prior order), probed at every step, and the rest, in the order given.
 */
export function splitHot(ordered: readonly OrderedCandidate[], hot: number): { head: OrderedCandidate[]; tail: OrderedCandidate[] } {
  const head: OrderedCandidate[] = [];
  const tail: OrderedCandidate[] = [];
  let variants = 0;
  for (const c of ordered) {
    const likely = c.priority === 'named' || c.priority === 'network' || (c.priority === 'variant' && variants++ < hot);
    (likely ? head : tail).push(c);
  }
  return { head, tail };
}

/**
 * Probes the candidates in order within the probe budget; returns the tail offset the next step starts from. The
 * first look at each candidate follows the priority order; looks again at the likely ones take at most half of the
 * step's network probes (the others wait for the next step, queued at once), so that in a wave of takedowns the
 * rest of the list still moves.
 */
async function walkCandidates(run: SearchRun, plan: SearchQueue): Promise<number> {
  const { deps, predecessor, opts, outcome } = run;
  const budget = opts.probeBudget ?? Number.POSITIVE_INFINITY;
  const hotCap = Math.ceil(budget / 2);
  let hotProbes = 0;
  for (const { c, at: tailIndex, hot } of plan.queue) {
    const handle = c.handle;
    const candId = candidateId(predecessor._id, handle);
    if (opts.probedInRun?.has(handle)) continue;
    const seen = await alreadySettled(run, candId, hot);
    if (seen === 'settled') continue;
    if (hot && seen === 'again' && hotProbes >= hotCap && !(await peekProbe(deps, handle))) {
      outcome.more = true;
      continue;
    }
    const before = outcome.probes;
    if (outcome.probes >= budget) {
      // out of network probes: a probe another search stored is still free; anything else waits for the next step
      const cached = await peekProbe(deps, handle);
      if (!cached) {
        outcome.more = true;
        return tailIndex >= 0 ? tailIndex : plan.start;
      }
    }
    const doc = await probeCandidate(run, c, candId);
    if (hot) hotProbes += outcome.probes - before;
    if (doc === 'channel-back') break;
    await saveCandidate(deps.store, doc);
  }
  return 0;
}

/**
 * `settled`: probed recently and not active, or already reported (nothing to do at this step); `again`: probed
 * before, due again; `first`: never probed for this channel.
 */
async function alreadySettled(run: SearchRun, candId: string, hot: boolean): Promise<'settled' | 'again' | 'first'> {
  const cfg = run.deps.settings.resurface;
  const prev = await findCandidate(run.deps.store, candId);
  if (!prev) return 'first';
  const againMs = hot ? Math.min(cfg.hotReprobeSeconds * 1000, cfg.reprobeMinutes * 60_000) : cfg.reprobeMinutes * 60_000;
  if (prev.status !== 'active' && run.now.getTime() - prev.lastProbedAt.getTime() < againMs) return 'settled';
  return prev.score !== undefined && prev.score >= cfg.threshold ? 'settled' : 'again'; // reported already, or due
}

/**
 * Probes one candidate (through the shared probe cache) and scores it when it may be the successor; the document to
 * save, an `error` document when anything failed, or `channel-back` when the channel itself is back under this handle.
 */
async function probeCandidate(run: SearchRun, c: OrderedCandidate, candId: string): Promise<CandidateDoc | 'channel-back'> {
  const { deps, predecessor, source, opts, outcome } = run;
  const { handle, origins } = c;
  try {
    const probe: ProbeResult = await probeHandle(deps, source, handle);
    opts.probedInRun?.add(handle);
    if (probe.network) {
      outcome.probes += 1;
      recordProbe(source.id);
    }
    if (probe.followed) {
      outcome.followed.push(probe.followed);
      await opts.onFollowed?.(probe.followed);
      // the channel itself is back under this handle: nothing to search for any more
      if (probe.followed.channelKey === predecessor._id) return 'channel-back';
    }
    const snap = probe.doc;
    const doc: CandidateDoc = {
      _id: candId,
      predecessor: predecessor._id,
      handle,
      origin: [...origins],
      status: snap.status,
      lastProbedAt: snap.probedAt,
      ...(snap.platformId ? { platformId: snap.platformId } : {}),
      ...(snap.title ? { title: snap.title } : {}),
    };
    if (run.mode === 'successor' && predecessor.removedAt && snap.status === 'active' && snap.platformId && snap.platformId !== predecessor.platformId) {
      return await scoreCandidate(run, c, doc, snap, predecessor.removedAt);
    }
    return doc;
  } catch (err) {
    return { _id: candId, predecessor: predecessor._id, handle, origin: [...origins], status: 'error', lastProbedAt: run.now, error: (err as Error).message };
  }
}

/** A scored candidate: its signals, its score and the first post's time (for the lineage hand-over). */
interface ScoredCandidate {
  signals: Signals;
  score: number;
  firstPostAt: Date | undefined;
  sharedClusters: string[];
}

/** Scores an active candidate with another channel id than the predecessor's, then settles what its score means. */
async function scoreCandidate(run: SearchRun, c: OrderedCandidate, doc: CandidateDoc, snap: ProbeDoc, removedAt: Date): Promise<CandidateDoc> {
  const { deps, predecessor } = run;
  const cfg = deps.settings.resurface;
  const handle = c.handle;
  const avatar = snap.avatar;
  const media = await sharedMedia(deps, predecessor, snap);
  const firstPostAt = snap.posts
    .map((p) => p.publishedAt)
    .filter((d): d is Date => !!d)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const signals: Signals = computeSignals(
    {
      handle: predecessor.handle,
      ...(predecessor.title ? { title: predecessor.title } : {}),
      ...(predecessor.description ? { description: predecessor.description } : {}),
      ...(predecessor.avatarPdq ? { avatarPdq: predecessor.avatarPdq } : {}),
      removedAt,
    },
    {
      handle,
      ...(snap.title ? { title: snap.title } : {}),
      ...(snap.description ? { description: snap.description } : {}),
      ...(avatar ? { avatar: { hash: avatar.hash, quality: avatar.quality } } : {}),
      ...(firstPostAt ? { firstPostAt } : {}),
    },
    { sharedMedia: media.signal, text: await sharedText(deps, predecessor, snap.posts), network: networkSignal(run, handle) },
    { minQuality: deps.settings.media.minQuality, timingWindowMs: cfg.timingWindowHours * 3600_000 },
  );
  const s = score(signals, cfg.weights, cfg.bias);
  const scored: CandidateDoc = { ...doc, signals, score: s, ...(firstPostAt ? { firstPostAt } : {}) };
  return settleScored(run, c, scored, snap, { signals, score: s, firstPostAt, sharedClusters: media.clusters }, removedAt);
}

/** The `network` feature: 1 when the predecessor named the handle, else how many channels of its network point at it. */
function networkSignal(run: SearchRun, handle: string): number {
  const net = run.pointed.get(handle);
  const networkFrom = net ? [...net.from].filter((c) => c !== run.predecessor._id) : [];
  const sameNetwork = net && (run.predTags.size === 0 || [...net.tags].some((t) => run.predTags.has(t)));
  // named by the predecessor itself: the strongest pointer of its network (the model's `network` feature, so
  // the fitted model keeps its inputs; its fitted weight decides what that is worth)
  return run.named.has(handle) ? 1 : sameNetwork ? Math.min(1, networkFrom.length / 2) : 0;
}

/**
 * What a score above the threshold means: deferred to the successor that claimed it or whose head it is, left
 * active while a descendant's state is unknown, or a resurfacing (event, lineage, auto-watch, `onFound`).
 */
async function settleScored(
  run: SearchRun,
  c: OrderedCandidate,
  doc: CandidateDoc,
  snap: ProbeDoc,
  sc: ScoredCandidate,
  removedAt: Date,
): Promise<CandidateDoc> {
  const { deps, predecessor } = run;
  const cfg = deps.settings.resurface;
  const { score: s, firstPostAt } = sc;
  const successor = `tg:${snap.platformId}`;
  // one predecessor per successor: whoever claimed it first keeps it
  const claimedBy = s >= cfg.threshold ? await predecessorOf(deps.store, successor) : undefined;
  const claimed = claimedBy && claimedBy !== predecessor._id ? claimedBy : undefined;
  // t.me prints post times to the second: compare at that precision (a post in the second a successor was
  // first seen counts as after it; a check in the post's own second does not tell the successor's state then).
  const younger = firstPostAt ? run.descendants.filter((d) => seconds(d.firstSeenAt) <= seconds(firstPostAt)) : [];
  const newerHeadOf = younger.find((d) => d.status === 'removed');
  const stale = firstPostAt && !newerHeadOf ? younger.filter((d) => seconds(d.lastCheckedAt) <= seconds(firstPostAt)) : [];
  const unknownState = s >= cfg.threshold && !claimed && stale.length > 0 && !(await siblingsStillUp(run, stale, firstPostAt as Date));
  if (s >= cfg.threshold && (claimed || newerHeadOf)) {
    return { ...doc, deferredTo: claimed ? claimed : (newerHeadOf as WatchedDescendant)._id };
  } else if (s >= cfg.threshold && unknownState) {
    // not final: probed and scored again at the next tick, once the successor's state is known
    const { signals: _s, score: _sc, ...rest } = doc;
    return { ...rest, status: 'active' };
  } else if (s >= cfg.threshold) {
    await recordResurfacing(run, c, successor, snap, sc, removedAt);
  }
  return doc;
}

/**
 * Whether each watched successor whose state at the candidate's first post is not recorded is up now, by a probe made
 * after that post (the shared probe cache's, else one network probe, counted in the step's budget). Up now, it was up
 * then (a removal undone in between is not told apart): the candidate is a sibling head, not that successor's.
 */
async function siblingsStillUp(run: SearchRun, stale: readonly WatchedDescendant[], firstPostAt: Date): Promise<boolean> {
  for (const d of stale) {
    if (d.status !== 'active') return false;
    try {
      const probe = await probeHandle(run.deps, run.source, d.handle, { after: firstPostAt });
      if (probe.network) {
        run.outcome.probes += 1;
        recordProbe(run.source.id);
      }
      if (probe.doc.status !== 'active' || `tg:${probe.doc.platformId ?? ''}` !== d._id) return false;
    } catch {
      return false; // unknown: decided at the next tick, as before
    }
  }
  return true;
}

/** Stores the `resurfaced` event and the lineage, adds the auto-watched source and reports the resurfacing. */
async function recordResurfacing(run: SearchRun, c: OrderedCandidate, successor: string, snap: ProbeDoc, sc: ScoredCandidate, removedAt: Date): Promise<void> {
  const { deps, predecessor, source, now } = run;
  const { handle, origins } = c;
  const { signals, score: s, firstPostAt } = sc;
  const lineage = [...(await lineageBefore(deps.store, predecessor._id)), predecessor._id, successor];
  const ev: EventDoc = {
    _id: `${successor}:resurfaced:${predecessor._id}`,
    channelKey: successor,
    sourceId: source.id,
    platform: 'telegram',
    type: 'resurfaced',
    at: now,
    buckets: timeBuckets(now),
    handle,
    data: {
      predecessor: predecessor._id,
      predecessorHandle: predecessor.handle,
      successorHandle: handle,
      successorTitle: snap.title ?? null,
      score: Math.round(s * 1000) / 1000,
      signals,
      foundVia: [...origins],
      sharedClusters: sc.sharedClusters,
      removedAt,
      successorFirstPostAt: firstPostAt ?? null,
      delayMs: firstPostAt ? firstPostAt.getTime() - removedAt.getTime() : null,
      lineage,
    },
  };
  await appendEvents(deps.store, [ev]);
  await recordLineage(deps.store, predecessor._id, successor, lineage);
  if (deps.settings.resurface.autoWatch) await addAutoSource(deps.store, source, handle, predecessor._id, now);
  const r: Resurfacing = { predecessor: predecessor._id, successor, successorHandle: handle, score: s, signals, eventId: ev._id };
  run.outcome.found.push(r);
  await run.opts.onFound?.(r); // the alert goes out now, not after the whole candidate list
}

/** A probe of this handle that is still fresh in the shared cache (no request), if any. */
async function peekProbe(deps: SearchDeps, handle: string): Promise<ProbeDoc | undefined> {
  const doc = await findProbe(deps.store, handle);
  return doc && isFresh(doc, deps.now(), deps.settings.resurface.probeCacheSeconds * 1000) ? doc : undefined;
}

/** `resurface.autoWatch`: the successor joins the watch list with its predecessor's tags (schedulers merge these). */
async function addAutoSource(store: Store, pred: TelegramSource, handle: string, predecessorKey: string, now: Date): Promise<void> {
  const id = `auto-${handle.toLowerCase().replace(/_/g, '-')}`.slice(0, 64);
  const source: TelegramSource = { ...pred, id, handle, tags: [...new Set([...pred.tags, 'auto-successor'])] };
  await storeAutoSource(store, { _id: id, source, predecessor: predecessorKey, addedAt: now });
}
