import type { Store } from '../store/store';
import { MihIndex } from './mih-index';
import type { HashListEntryDoc, MediaItemDoc } from './types';
import { ViewIndex } from './view-index';
import { viewId } from './view-match';

interface ItemInfo {
  firstSeenAt: number;
  clusterId: string;
  quality: number;
  frames?: string[];
}

/**
 * A worker's in-memory view of every stored fingerprint: PDQ images, video frames and known-hash lists in MIH
 * indexes. Loaded from MongoDB at start and refreshed incrementally (items by `indexedAt`), so a hash stored by any
 * worker is matchable by all within `maxStalenessMs`; intake refreshes right before it matches.
 */
export class MediaMatcher {
  readonly images = new MihIndex();
  /** Extra views of stored pictures (base or trimmed, caption-stripped, crop windows), by viewId (issue 12). */
  readonly views = new ViewIndex();
  readonly frames = new MihIndex();
  readonly listPdq = new MihIndex();
  readonly items = new Map<string, ItemInfo>();
  readonly listEntries = new Map<string, HashListEntryDoc>();
  private since = new Date(0);
  private listsLoadedAt = 0;

  constructor(private readonly store: Store, private readonly opts: { minQuality: number; listReloadMs?: number }) {}

  /** Loads what was added since the last refresh (a few seconds of overlap absorb clock skew between workers). */
  async refresh(now: Date = new Date()): Promise<number> {
    const from = new Date(this.since.getTime() - 5000);
    const docs = await this.store.mediaItems.find({ indexedAt: { $gte: from } }).toArray();
    for (const d of docs) this.addItem(d);
    this.since = now;
    if (Date.now() - this.listsLoadedAt > (this.opts.listReloadMs ?? 10000)) await this.reloadLists();
    return docs.length;
  }

  async reloadLists(): Promise<void> {
    const entries = await this.store.hashLists.find({}).toArray();
    this.listEntries.clear();
    for (const e of entries) {
      this.listEntries.set(e._id, e);
      if (e.type === 'pdq' && !this.listPdq.has(e._id)) this.listPdq.add(e._id, e.value);
    }
    this.listsLoadedAt = Date.now();
  }

  addItem(d: MediaItemDoc): void {
    const known = this.items.get(d._id);
    this.items.set(d._id, { firstSeenAt: d.firstSeenAt.getTime(), clusterId: d.clusterId, quality: d.quality ?? 0, ...(d.frames ? { frames: d.frames } : {}) });
    if (known) return;
    if (d.pdq && (d.quality ?? 0) >= this.opts.minQuality) this.images.add(d._id, d.pdq);
    d.views?.forEach((v, k) => this.views.add(viewId(d._id, v, k), v.hash));
    d.frames?.forEach((f, i) => this.frames.add(`${d._id}#${i}`, f));
  }
}
