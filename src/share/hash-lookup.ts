import type { Redis } from 'ioredis';
import type { Settings } from '../config/schema';
import { videoMatch } from '../media/frame-bag';
import { FingerprintFeed } from '../media/fingerprint-feed';
import { MediaMatcher } from '../media/media-matcher';
import type { Store } from '../store/store';

/**
 * HMA-style hash lookup (the shape of hasher-matcher-actioner's `GET /m/lookup?signal_type=…&signal=…`): the answer
 * is an object keyed by bank, each a list of `{ bank_content_id, distance }`. hydrawatch's banks are its media
 * clusters (`mc:…`) and its imported hash lists (`list:<name>`); each match also carries the cluster and its
 * sightings. Matching uses the same in-memory MIH indexes as the media stage (MediaMatcher), so a lookup is an index
 * query, not a scan; the reads after it are by `_id` or the `cluster_at` index, capped.
 */
export const SIGNAL_TYPES = ['pdq', 'video_frames'] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

export interface LookupMatch {
  bank_content_id: string;
  distance: string;
  cluster?: { id: string; kind: string; firstSeenAt: string; originChannelKey: string; originPostKey: string; channels: string[] };
  sightings?: { total: number; latest: { channelKey: string; postKey: string; at: string; matchedVia: string; distance: number }[] };
  label?: string;
}

export type LookupResult = Record<string, LookupMatch[]>;

const MAX_MATCHES = 50;
const SIGHTINGS_PER_MATCH = 20;

/** One matcher per API process: loaded from the store at the first lookup, then following the fingerprint feed. */
export class HashLookup {
  private readonly matcher: MediaMatcher;

  constructor(
    private readonly store: Store,
    redis: Redis,
    private readonly settings: Settings,
  ) {
    // the same stream the workers publish to (src/app/runtime.ts)
    const feed = new FingerprintFeed(redis, `${settings.queue.prefix}:${settings.queue.name}:fingerprints`);
    this.matcher = new MediaMatcher(store, feed, { minQuality: settings.media.minQuality });
  }

  /** `signal`: one or more 64-hex PDQ hashes, comma-separated (for video_frames: the frames of one video). */
  async lookup(type: SignalType, signal: string): Promise<LookupResult> {
    await this.matcher.refresh();
    const hashes = signal.toLowerCase().split(',');
    const radius = this.settings.media.matchRadius;
    const hits = type === 'pdq' ? this.pdqHits(hashes, radius) : this.videoHits(hashes, radius);
    const out: LookupResult = {};
    for (const h of hits.slice(0, MAX_MATCHES)) {
      const info = this.matcher.items.get(h.id);
      const bank = info?.clusterId ?? 'unknown';
      (out[bank] ??= []).push({ bank_content_id: h.id, distance: String(h.distance) });
    }
    await this.describeClusters(out);
    if (type === 'pdq') this.addListHits(out, hashes, radius);
    return out;
  }

  private pdqHits(hashes: string[], radius: number): { id: string; distance: number }[] {
    const best = new Map<string, number>();
    for (const h of hashes) for (const m of this.matcher.index('pdq').query(h, radius)) best.set(m.id, Math.min(m.distance, best.get(m.id) ?? Infinity));
    return [...best].map(([id, distance]) => ({ id, distance })).sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
  }

  /** Videos whose frame bags share frames with the query: distance = 64 × (1 − share of the query's frames matched). */
  private videoHits(frames: string[], radius: number): { id: string; distance: number }[] {
    const bags = this.matcher.index('video-frame-bag');
    const candidates = new Set(bags.query(frames, { ...bags.threshold, radius }).map((h) => h.id));
    const out: { id: string; distance: number }[] = [];
    for (const id of candidates) {
      const stored = bags.bag(id);
      if (!stored?.length) continue;
      const score = videoMatch(frames, stored, radius);
      out.push({ id, distance: Math.round(64 * (1 - score.queryPct / 100)) });
    }
    return out.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
  }

  private addListHits(out: LookupResult, hashes: string[], radius: number): void {
    for (const h of hashes) {
      for (const m of this.matcher.listIndex('pdq').query(h, radius)) {
        const e = this.matcher.listEntries.get(m.id);
        if (!e) continue;
        const bank = `list:${e.list}`;
        if (!(out[bank] ??= []).some((x) => x.bank_content_id === m.id))
          out[bank].push({ bank_content_id: m.id, distance: String(m.distance), label: e.label });
      }
    }
  }

  private async describeClusters(out: LookupResult): Promise<void> {
    const ids = Object.keys(out).filter((k) => k.startsWith('mc:'));
    if (!ids.length) return;
    const clusters = await this.store.clusters.find({ _id: { $in: ids } }).toArray();
    for (const c of clusters) {
      const latest = await this.store.sightings.find({ clusterId: c._id }).sort({ at: -1 }).limit(SIGHTINGS_PER_MATCH).toArray();
      const total = await this.store.sightings.countDocuments({ clusterId: c._id }, { limit: 10_000 });
      const cluster = {
        id: c._id,
        kind: c.kind,
        firstSeenAt: c.firstSeenAt.toISOString(),
        originChannelKey: c.originChannelKey,
        originPostKey: c.originPostKey,
        channels: c.channels ?? [],
      };
      const sightings = {
        total,
        latest: latest.map((s) => ({ channelKey: s.channelKey, postKey: s.postKey, at: s.at.toISOString(), matchedVia: s.matchedVia, distance: s.distance })),
      };
      for (const m of out[c._id] ?? []) Object.assign(m, { cluster, sightings });
    }
  }
}
