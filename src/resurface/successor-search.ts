import { recordProbe, recordProbeBudget } from '../ops/metrics';
import type { Settings, TelegramSource } from '../config/schema';
import { lshBands, minhashSignature, tokens } from '../core/text/minhash';
import { matchingTextClusters } from '../pipeline/text-clusters';
import { descendantsOf, lineageBefore, predecessorOf, recordLineage } from './lineage-store';
import { pointedSince } from './pointers';
import { timeBuckets } from '../core/time-buckets';
import type { Fetcher } from '../net/fetcher';
import { telegramCrawler } from '../../crawlers/telegram';
import type { ParsedPost } from '../../crawlers/types';
import { hashImageUrl } from '../media/hash-url';
import type { MediaMatcher } from '../media/media-matcher';
import { hamming } from '../media/pdq-hash';
import type { Store } from '../store/store';
import type { ChannelDoc, EventDoc } from '../store/types';
import { appendEvents } from '../store/writes';
import { handleVariants } from './handle-variants';
import { avatarSignal, score, sharedMediaSignal, timingSignal, type Signals } from './score';
import type { ChannelStatus } from '../../crawlers/types';
import { handleSimilarity, textSimilarity } from './similarity';

export interface CandidateDoc {
  _id: string; // cand:<predecessorKey>:<handle>
  predecessor: string;
  handle: string;
  origin: Array<'variant' | 'mention' | 'link' | 'forward'>;
  status: ChannelStatus | 'error';
  platformId?: string;
  title?: string;
  signals?: Signals;
  score?: number;
  firstPostAt?: Date;
  lastProbedAt: Date;
  error?: string;
  /** Scored above the threshold but left to another predecessor (already claimed, or a newer head of the lineage). */
  deferredTo?: string;
}

export interface SearchDeps {
  store: Store;
  /** Rate-limited with the predecessor source's limit. */
  fetcher: Fetcher;
  matcher?: MediaMatcher;
  settings: Settings;
  now: () => Date;
}

export interface Resurfacing {
  predecessor: string;
  successor: string;
  successorHandle: string;
  score: number;
  signals: Signals;
  eventId: string;
}

type Origin = CandidateDoc['origin'][number];

async function sharedMedia(deps: SearchDeps, predecessor: ChannelDoc, posts: ParsedPost[]): Promise<{ signal: number; clusters: string[] }> {
  if (!deps.matcher) return { signal: 0, clusters: [] };
  const summary = await deps.store.channelSummaries.findOne({ _id: predecessor._id }, { projection: { mediaClusters: 1 } });
  const predClusters = new Set(summary?.mediaClusters ?? []);
  if (!predClusters.size) return { signal: 0, clusters: [] };
  await deps.matcher.refresh();
  const shared = new Set<string>();
  const photos = posts.flatMap((p) => p.media.filter((m) => m.kind === 'photo' && m.url).map((m) => m.url as string)).slice(0, 12);
  for (const url of photos) {
    const h = await hashImageUrl(deps.fetcher, url, deps.settings, 'resurface.media');
    if (!h || h.quality < deps.settings.media.minQuality) continue;
    // every dihedral variant: a mirrored or rotated re-upload is the same picture
    for (const v of h.variants) {
      for (const m of deps.matcher.images.query(v, deps.settings.media.matchRadius)) {
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

async function sharedText(deps: SearchDeps, predecessor: ChannelDoc, posts: ParsedPost[]): Promise<number> {
  const summary = await deps.store.channelSummaries.findOne({ _id: predecessor._id }, { projection: { textClusters: 1 } });
  const predClusters = new Set(summary?.textClusters ?? []);
  const texts = posts.filter((p) => tokens(p.text).length >= deps.settings.text.minWords);
  if (!predClusters.size || !texts.length) return 0;
  let hits = 0;
  for (const p of texts) {
    const sig = minhashSignature(p.text);
    const matches = await matchingTextClusters(deps.store, sig, lshBands(sig), deps.settings.text.clusterJaccard);
    if (matches.some((m) => predClusters.has(m.clusterId))) hits++;
  }
  return hits / texts.length;
}

interface WatchedDescendant {
  _id: string;
  status: string;
  firstSeenAt: Date;
  lastCheckedAt: Date;
}

/** This channel's successors down the whole lineage that are watched (have a channel document of their own). */
async function watchedDescendants(store: Store, key: string): Promise<WatchedDescendant[]> {
  const keys = await descendantsOf(store, key);
  const docs = await Promise.all(keys.map((k) => store.channels.findOne({ _id: k }, { projection: { status: 1, firstSeenAt: 1, lastCheckedAt: 1 } })));
  return docs.filter((d): d is ChannelDoc => !!d).map((ch) => ({ _id: ch._id, status: ch.status, firstSeenAt: ch.firstSeenAt, lastCheckedAt: ch.lastCheckedAt }));
}

function seconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/**
 * Looks for the successor of a removed channel: handle variants (bounded) and handles that crawled posts link,
 * mention or forward; each candidate's public page is crawled and scored with evidence. A candidate above the
 * threshold gets one `resurfaced` event (deterministic id per predecessor and successor).
 */
export async function searchSuccessors(deps: SearchDeps, predecessor: ChannelDoc, source: TelegramSource): Promise<Resurfacing[]> {
  const cfg = deps.settings.resurface;
  const now = deps.now();
  if (predecessor.status !== 'removed' || !predecessor.removedAt) return [];
  if (now.getTime() - predecessor.removedAt.getTime() > cfg.searchWindowHours * 3600_000) return [];
  // Lineage hand-over. A head that appears after one of this channel's watched successors was born, and once that
  // successor is removed, belongs to that successor (A → A2 → A3, not A → A3), although A3 is often as much a
  // look-alike of A as of A2. While the successor is still up, it is a sibling head of this channel (A → A2 and
  // A → A_backup: a hydra grows several). When the successor was not checked since the candidate's first post, its
  // state then is unknown: the decision waits for the next tick.
  const descendants = await watchedDescendants(deps.store, predecessor._id);
  const known = new Set(predecessor.handles.map((h) => h.toLowerCase()));
  const candidates = new Map<string, Set<Origin>>();
  for (const v of handleVariants(predecessor.handle, cfg.maxVariants)) candidates.set(v, new Set<Origin>(['variant']));
  const pointed = await pointedSince(deps.store, new Date(predecessor.removedAt.getTime() - 24 * 3600_000), now);
  for (const [h, e] of pointed) {
    const set = candidates.get(h) ?? new Set<Origin>();
    e.origins.forEach((o) => set.add(o));
    candidates.set(h, set);
  }
  const predTags = new Set(source.tags);
  const found: Resurfacing[] = [];
  let probed = 0;
  for (const [handle, origins] of candidates) {
    if (known.has(handle)) continue;
    const candId = `cand:${predecessor._id}:${handle}`;
    const prev = await deps.store.db.collection<CandidateDoc>('successor_candidates').findOne({ _id: candId });
    if (prev && prev.status !== 'active' && now.getTime() - prev.lastProbedAt.getTime() < cfg.reprobeMinutes * 60_000) continue;
    if (prev?.score !== undefined && prev.score >= cfg.threshold) continue; // already reported
    let doc: CandidateDoc;
    try {
      const probe = { ...source, id: `${source.id}~cand`, handle, options: { ...source.options, backfillPages: 0, maxPagesPerCheck: 1 } };
      probed += 1;
      recordProbe(source.id);
      const out = await telegramCrawler.crawl(probe, { fetcher: deps.fetcher, cursor: {}, now: deps.now });
      const snap = out.channel;
      doc = { _id: candId, predecessor: predecessor._id, handle, origin: [...origins], status: snap.status, lastProbedAt: now, ...(snap.platformId ? { platformId: snap.platformId } : {}), ...(snap.title ? { title: snap.title } : {}) };
      if (snap.status === 'active' && snap.platformId && snap.platformId !== predecessor.platformId) {
        const avatar = snap.avatarUrl ? await hashImageUrl(deps.fetcher, snap.avatarUrl, deps.settings, 'resurface.avatar') : undefined;
        const media = await sharedMedia(deps, predecessor, out.posts);
        const firstPostAt = out.posts.map((p) => p.publishedAt).filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0];
        const net = pointed.get(handle);
        const networkFrom = net ? [...net.from].filter((c) => c !== predecessor._id) : [];
        const sameNetwork = net && (predTags.size === 0 || [...net.tags].some((t) => predTags.has(t)));
        const signals: Signals = {
          handle: handleSimilarity(predecessor.handle, handle),
          title: textSimilarity(predecessor.title, snap.title),
          avatar: avatarSignal(avatar && predecessor.avatarPdq ? hamming(avatar.hash, predecessor.avatarPdq) : undefined),
          description: textSimilarity(predecessor.description, snap.description),
          sharedMedia: media.signal,
          sharedText: await sharedText(deps, predecessor, out.posts),
          network: sameNetwork ? Math.min(1, networkFrom.length / 2) : 0,
          timing: timingSignal(predecessor.removedAt, firstPostAt, cfg.timingWindowHours * 3600_000),
        };
        const s = score(signals, cfg.weights);
        doc = { ...doc, signals, score: s, ...(firstPostAt ? { firstPostAt } : {}) };
        const successor = `tg:${snap.platformId}`;
        // one predecessor per successor: whoever claimed it first keeps it
        const claimedBy = s >= cfg.threshold ? await predecessorOf(deps.store, successor) : undefined;
        const claimed = claimedBy && claimedBy !== predecessor._id ? claimedBy : undefined;
        // t.me prints post times to the second: compare at that precision (a post in the second a successor was
        // first seen counts as after it; a check in the post's own second does not tell the successor's state then).
        const younger = firstPostAt ? descendants.filter((d) => seconds(d.firstSeenAt) <= seconds(firstPostAt)) : [];
        const newerHeadOf = younger.find((d) => d.status === 'removed');
        const unknownState = !newerHeadOf && younger.some((d) => seconds(d.lastCheckedAt) <= seconds(firstPostAt as Date));
        if (s >= cfg.threshold && (claimed || newerHeadOf)) {
          doc = { ...doc, deferredTo: claimed ? claimed : (newerHeadOf as WatchedDescendant)._id };
        } else if (s >= cfg.threshold && unknownState) {
          // not final: probed and scored again at the next tick, once the successor's state is known
          const { signals: _s, score: _sc, ...rest } = doc;
          doc = { ...rest, status: 'active' };
        } else if (s >= cfg.threshold) {
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
              sharedClusters: media.clusters,
              removedAt: predecessor.removedAt,
              successorFirstPostAt: firstPostAt ?? null,
              delayMs: firstPostAt ? firstPostAt.getTime() - predecessor.removedAt.getTime() : null,
              lineage,
            },
          };
          await appendEvents(deps.store, [ev]);
          await recordLineage(deps.store, predecessor._id, successor, lineage);
          if (cfg.autoWatch) await addAutoSource(deps.store, source, handle, predecessor._id, now);
          found.push({ predecessor: predecessor._id, successor, successorHandle: handle, score: s, signals, eventId: ev._id });
        }
      }
    } catch (err) {
      doc = { _id: candId, predecessor: predecessor._id, handle, origin: [...origins], status: 'error', lastProbedAt: now, error: (err as Error).message };
    }
    await deps.store.db.collection<CandidateDoc>('successor_candidates').replaceOne({ _id: candId }, doc, { upsert: true });
  }
  recordProbeBudget(source.id, probed, candidates.size);
  return found;
}

export interface AutoSourceDoc {
  _id: string; // source id
  source: TelegramSource;
  predecessor: string;
  addedAt: Date;
}

/** `resurface.autoWatch`: the successor joins the watch list with its predecessor's tags (schedulers merge these). */
async function addAutoSource(store: Store, pred: TelegramSource, handle: string, predecessorKey: string, now: Date): Promise<void> {
  const id = `auto-${handle.toLowerCase().replace(/_/g, '-')}`.slice(0, 64);
  const source: TelegramSource = { ...pred, id, handle, tags: [...new Set([...pred.tags, 'auto-successor'])] };
  await store.db.collection<AutoSourceDoc>('auto_sources').updateOne({ _id: id }, { $setOnInsert: { source, predecessor: predecessorKey, addedAt: now } }, { upsert: true });
}
