import { recordProbe, recordProbeBudget } from '../ops/metrics';
import type { Settings, TelegramSource } from '../config/schema';
import { SIGNAL_TYPES } from '../media/signals/registry';
import { textIndex } from '../media/text-clusters';
import { descendantsOf, lineageBefore, predecessorOf, recordLineage } from '../store/repos/lineage';
import { pointedSince, type PointedHandle } from '../store/repos/handle-pointers';
import { comebackFormsSince, recordComebackForm } from '../store/repos/comeback-forms';
import { comebackForm, formPriors } from './comeback-forms';
import { timeBuckets } from '../core/time-buckets';
import type { Fetcher } from '../core/fetcher';
import type { MediaMatcher } from '../media/media-matcher';
import type { PageParser } from '../core/parse-task';
import type { Store } from '../store/store';
import { appendEvents, type ChannelDoc, type EventDoc } from '../store/repos/channels';
import { rankedHandleVariants } from './handle-variants';
import { score, sharedMediaSignal } from './score';
import { computeSignals, type TextOverlap } from './signals';
import { candidateId, findCandidates, saveCandidate, type CandidateDoc, type Signals } from '../store/repos/successor-candidates';
import { addAutoSource as storeAutoSource } from '../store/repos/auto-sources';
import { orderCandidates, type OrderedCandidate } from './candidate-order';
import { planProbes, type CandidateLook, type ProbeCadence } from './probe-plan';
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
   * hand-off runs them): skipped, and the handles this step probes are added. Without it, a candidate whose interval
   * is shorter than the run (`hotReprobeSeconds`, `reprobeMinutes`) would be probed again at each of the run's steps.
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
  /** When the next candidate falls due (the channel's next step; unset: nothing left to look at in the search window). */
  nextDueAt?: Date;
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
  /** When the search began: the removal (successor), or the handle last seen live (rename). */
  since: Date;
  descendants: WatchedDescendant[];
  pointed: Map<string, PointedHandle>;
  named: Set<string>;
  predTags: Set<string>;
  /** The forms the comebacks of the channel's network took since (`*_mirror9`), with how many took each. */
  forms: Map<string, number>;
  outcome: SearchOutcome;
}

/** The candidates of one step: the whole list (by prior), what the store says of each, and those due now, most urgent first. */
interface SearchQueue {
  ordered: OrderedCandidate[];
  /** By handle; updated as the step looks at them. */
  looks: Map<string, CandidateLook>;
  due: OrderedCandidate[];
}

/**
 * One discovery step for a removed channel (or a watched channel whose handle went missing, to follow its rename):
 * candidates in priority order (handles named in the channel's own description, handles pointed at from the same
 * network, then look-alike variants, then other pointed handles), each with its prior. A candidate is looked at again
 * after an interval that grows as its prior falls (probe-plan.ts: `resurface.hotReprobeSeconds` for the most likely,
 * `reprobeMinutes` for the least); the due ones go by urgency, each probed through the shared probe cache, at most
 * `probeBudget` network probes; the rest is left for the next job (`more`). `nextDueAt` says when the next one falls
 * due. Each resurfacing is reported through `onFound` as soon as its event is stored, and the search goes on: a group
 * often opens two or three heads at once.
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
  const channelBack = await walkCandidates(run, plan);
  if (!channelBack) {
    // the plan again with this step's looks: anything still due (left over) now, else the next to fall due
    const after = planProbes(
      plan.ordered,
      plan.ordered.map((c) => plan.looks.get(c.handle)),
      now,
      since,
      cadence(deps.settings),
    );
    const next = outcome.more || after.due.length ? now : after.nextDueAt;
    if (next && next.getTime() - since.getTime() <= cfg.searchWindowHours * 3600_000) outcome.nextDueAt = next;
  }
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
  const forms =
    mode === 'successor' ? await comebackFormsSince(deps.store, source.tags, new Date(since.getTime() - 24 * 3600_000), now) : new Map<string, number>();
  return { deps, predecessor, source, opts, mode, now, since, descendants, pointed, named, predTags, forms, outcome };
}

/** The cadence of the looks (probe-plan.ts) from the settings. */
function cadence(settings: Settings): ProbeCadence {
  const r = settings.resurface;
  return {
    hotReprobeSeconds: r.hotReprobeSeconds,
    reprobeMinutes: r.reprobeMinutes,
    reprobeStretchHours: r.reprobeStretchHours,
    urgencyExponent: r.urgencyExponent,
  };
}

/**
 * Pure: what a stored candidate means for the plan. Reported or deferred: done. A live channel not scored yet (its
 * siblings' state unknown): looked at soonest. A live channel scored below the threshold goes by its prior like the
 * others (an unrelated channel under a look-alike handle would otherwise take the budget).
 */
function lookOf(doc: CandidateDoc | undefined, threshold: number): CandidateLook | undefined {
  if (!doc) return undefined;
  return {
    lastProbedAt: doc.lastProbedAt,
    active: doc.status === 'active' && doc.score === undefined,
    done: doc.score !== undefined && doc.score >= threshold,
  };
}

/** The candidates with their priors, what the store says of each (one bounded read), and those due now. */
async function candidateQueue(run: SearchRun): Promise<SearchQueue> {
  const { deps, predecessor } = run;
  const cfg = deps.settings.resurface;
  const known = new Set(predecessor.handles.map((h) => h.toLowerCase()));
  const ranked = rankedHandleVariants(predecessor.handle, cfg.maxVariants, {
    removedAt: predecessor.removedAt,
    ...(predecessor.title ? { title: predecessor.title } : {}),
    rules: cfg.variantRules,
    suffixes: cfg.variantSuffixes,
    prefixes: cfg.variantPrefixes,
  });
  // the network's comeback forms: a handle no variant gives, and a variant the network took twice, at the top prior
  const formed = formPriors(run.forms, predecessor.handle, new Map(ranked.map((v) => [v.handle, v.prior])));
  const ordered = orderCandidates(
    [...[...formed].map(([handle, prior]) => ({ handle, prior })), ...ranked.filter((v) => !formed.has(v.handle))],
    run.pointed,
    predecessor._id,
    run.predTags,
    known,
    run.named,
  );
  const docs = await findCandidates(
    deps.store,
    ordered.map((c) => candidateId(predecessor._id, c.handle)),
  );
  const looks = new Map<string, CandidateLook>();
  for (const c of ordered) {
    const look = lookOf(docs.get(candidateId(predecessor._id, c.handle)), cfg.threshold);
    if (look) looks.set(c.handle, look);
  }
  const { due } = planProbes(
    ordered,
    ordered.map((c) => looks.get(c.handle)),
    run.now,
    run.since,
    cadence(deps.settings),
  );
  return { ordered, looks, due };
}

/**
 * Probes the due candidates, most urgent first, within the probe budget (a probe another search stored is still
 * free); what is left waits for the next step, queued at once (`more`). Returns true when the channel itself is back.
 */
async function walkCandidates(run: SearchRun, plan: SearchQueue): Promise<boolean> {
  const { deps, predecessor, opts, outcome } = run;
  const budget = opts.probeBudget ?? Number.POSITIVE_INFINITY;
  for (const c of plan.due) {
    if (opts.probedInRun?.has(c.handle)) continue;
    if (outcome.probes >= budget && !(await peekProbe(deps, c.handle))) {
      outcome.more = true;
      return false;
    }
    const doc = await probeCandidate(run, c, candidateId(predecessor._id, c.handle));
    if (doc === 'channel-back') return true;
    await saveCandidate(deps.store, doc);
    const look = lookOf(doc, deps.settings.resurface.threshold);
    // this step looked now, even when the page came from the shared cache (stamped with its older probe time): the
    // next step is due one interval after this look, not at once
    if (look) plan.looks.set(c.handle, { ...look, lastProbedAt: new Date(Math.max(look.lastProbedAt.getTime(), run.now.getTime())) });
  }
  return false;
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
  // the form this comeback took, for the searches of the network's other removed channels
  const form = comebackForm(predecessor.handle, handle);
  if (form) await recordComebackForm(deps.store, source.tags, form, successor, now);
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
