import type { Store } from '../store/store';
import { feedItemOf, type FeedItem, type FingerprintFeed } from './fingerprint-feed';
import { MihIndex } from './mih-index';
import type { HashListEntryDoc, MediaItemDoc } from './types';
import { ViewIndex } from './view-index';

interface ItemInfo {
  firstSeenAt: number;
  clusterId: string;
  quality: number;
  frames?: string[];
}

const ITEM_PROJECTION = { _id: 1, clusterId: 1, firstSeenAt: 1, pdq: 1, quality: 1, frames: 1, views: 1 } as const;

/** Meta document whose `version` changes at every hash-list import (lists are reloaded only then). */
export const HASH_LISTS_META_ID = 'hashlists';

/**
 * A worker's in-memory view of every stored fingerprint: PDQ images, video frames and known-hash lists in MIH
 * indexes. Loaded from MongoDB once at start; after that it follows the fingerprint feed (a Redis stream every
 * worker publishes to), so a hash stored by any worker is matchable by all, and no refresh reads `media_items`.
 */
export class MediaMatcher {
  readonly images = new MihIndex();
  /** Extra views of stored pictures (base or trimmed, caption-stripped, crop windows), named by viewId (issue 12). */
  readonly views = new ViewIndex();
  readonly frames = new MihIndex();
  readonly listPdq = new MihIndex();
  readonly items = new Map<string, ItemInfo>();
  readonly listEntries = new Map<string, HashListEntryDoc>();
  private feedId: string | undefined;
  private listsVersion: string | undefined;
  private listsCheckedAt = 0;
  private loading?: Promise<void>;

  constructor(
    private readonly store: Store,
    private readonly feed: FingerprintFeed,
    private readonly opts: { minQuality: number; listCheckMs?: number },
  ) {}

  /** Catches up with the feed (the first call loads the store). Returns how many items it added or changed. */
  async refresh(): Promise<number> {
    if (this.feedId === undefined) {
      this.loading ??= this.loadAll().finally(() => (this.loading = undefined));
      await this.loading;
      return this.items.size;
    }
    let n = 0;
    for (;;) {
      const r = await this.feed.readAfter(this.feedId);
      if (r.gap) {
        await this.loadAll();
        return this.items.size;
      }
      for (const it of r.items) {
        const full = it.more ? await this.store.mediaItems.findOne({ _id: it.id }, { projection: ITEM_PROJECTION }) : null;
        if (full) this.addItem(full as MediaItemDoc);
        else this.addFeedItem(it);
      }
      n += r.items.length;
      this.feedId = r.lastId;
      if (r.items.length < 5000) break;
    }
    if (Date.now() - this.listsCheckedAt > (this.opts.listCheckMs ?? 10000)) await this.reloadListsIfChanged();
    return n;
  }

  /** Start (or a feed gap): every stored item, streamed; entries published meanwhile are read after. */
  private async loadAll(): Promise<void> {
    const head = await this.feed.head();
    const cursor = this.store.mediaItems.find({}, { projection: ITEM_PROJECTION });
    for await (const d of cursor) this.addItem(d as MediaItemDoc);
    this.feedId = head;
    await this.reloadLists();
  }

  private async reloadListsIfChanged(): Promise<void> {
    this.listsCheckedAt = Date.now();
    const meta = await this.store.meta.findOne({ _id: HASH_LISTS_META_ID });
    if ((meta?.version ?? '') !== (this.listsVersion ?? '')) await this.reloadLists();
  }

  async reloadLists(): Promise<void> {
    const meta = await this.store.meta.findOne({ _id: HASH_LISTS_META_ID });
    const entries = await this.store.hashLists.find({}).toArray();
    this.listEntries.clear();
    for (const e of entries) {
      this.listEntries.set(e._id, e);
      if (e.type === 'pdq' && !this.listPdq.has(e._id)) this.listPdq.add(e._id, e.value);
    }
    this.listsVersion = meta?.version ?? '';
    this.listsCheckedAt = Date.now();
  }

  /** Adds (or updates the cluster of) a stored item in this worker's index, and tells the other workers. */
  async publish(d: MediaItemDoc): Promise<void> {
    this.addItem(d);
    await this.feed.publish([feedItemOf(d)]);
  }

  addItem(d: MediaItemDoc): void {
    this.addFeedItem(feedItemOf(d));
  }

  private addFeedItem(d: FeedItem): void {
    const known = this.items.get(d.id);
    this.items.set(d.id, { firstSeenAt: d.firstSeenAt, clusterId: d.clusterId, quality: d.quality ?? 0, ...(d.frames ? { frames: d.frames } : {}) });
    if (known) return;
    if (d.pdq && (d.quality ?? 0) >= this.opts.minQuality) this.images.add(d.id, d.pdq);
    if (d.views?.length) this.views.addPicture(d.id, d.views);
    d.frames?.forEach((f, i) => this.frames.add(`${d.id}#${i}`, f));
  }
}
