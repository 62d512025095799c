import type { Store } from '../store/store';
import { feedItemOf, type FeedItem, type FingerprintFeed } from './fingerprint-feed';
import { SIGNAL_TYPES, type IndexOf } from './signals/registry';
import { parseWindows } from './video-print';
import type { HashListEntryDoc, HashType, MediaItemDoc } from './types';

interface ItemInfo {
  firstSeenAt: number;
  clusterId: string;
  quality: number;
}

const ITEM_PROJECTION = { _id: 1, clusterId: 1, firstSeenAt: 1, pdq: 1, quality: 1, frames: 1, frameWindows: 1, views: 1 } as const;

/** The signal types of a stored media item, each with its own index in the matcher. */
export const ITEM_SIGNALS = ['pdq', 'pdq-view', 'video-frame-bag'] as const;
export type ItemSignal = (typeof ITEM_SIGNALS)[number];
type ItemIndexes = { [N in ItemSignal]: IndexOf<N> };
type IndexInput<N extends ItemSignal> = Parameters<IndexOf<N>['add']>[1];

/** What each item signal's index is given of a stored item (undefined: the item has no such hash). */
const ITEM_HASH: { [N in ItemSignal]: (d: FeedItem, minQuality: number) => IndexInput<N> | undefined } = {
  // a picture below the minimum quality is kept, never matched
  pdq: (d, minQuality) => (d.pdq && (d.quality ?? 0) >= minQuality ? d.pdq : undefined),
  'pdq-view': (d) => (d.views?.length ? d.views : undefined),
  'video-frame-bag': (d) =>
    d.frames?.length ? (d.frameWindows?.length === d.frames.length ? { frames: d.frames, windows: d.frameWindows.map(parseWindows) } : d.frames) : undefined,
};

/** The signal type whose index holds a known-hash list's entries of each hash type (md5 and sha256: exact, no index). */
const LIST_SIGNALS = { pdq: 'pdq' } as const satisfies Partial<Record<HashType, ItemSignal>>;
type ListSignal = (typeof LIST_SIGNALS)[keyof typeof LIST_SIGNALS];
const listSignalOf = (type: HashType): ListSignal | undefined => (LIST_SIGNALS as Partial<Record<HashType, ListSignal>>)[type];

function createIndexes<N extends ItemSignal>(names: readonly N[]): { [K in N]: IndexOf<K> } {
  return Object.fromEntries(names.map((n) => [n, SIGNAL_TYPES[n].createIndex()])) as { [K in N]: IndexOf<K> };
}

/** Meta document whose `version` changes at every hash-list import (lists are reloaded only then). */
export const HASH_LISTS_META_ID = 'hashlists';

/**
 * A worker's in-memory view of every stored fingerprint: one index per signal type of a media item (ITEM_SIGNALS,
 * created from the registry: PDQ of pictures, their views, video frame bags) and one per signal type of the
 * known-hash lists (PDQ). Loaded from MongoDB once at start; after that it follows the fingerprint feed (a Redis
 * stream every worker publishes to), so a hash stored by any worker is matchable by all, and no refresh reads
 * `media_items`.
 */
export class MediaMatcher {
  private readonly indexes: ItemIndexes = createIndexes(ITEM_SIGNALS);
  private readonly listIndexes: { [N in ListSignal]: IndexOf<N> } = createIndexes(Object.values(LIST_SIGNALS));
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

  /** The index of stored items' hashes of a signal type (views: named by viewId, see view-match.ts). */
  index<N extends ItemSignal>(name: N): IndexOf<N> {
    return this.indexes[name];
  }

  /** The index of the known-hash lists' entries of a signal type, by entry id. */
  listIndex<N extends ListSignal>(name: N): IndexOf<N> {
    return this.listIndexes[name];
  }

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
      const signal = listSignalOf(e.type);
      if (signal && !this.listIndexes[signal].has(e._id)) this.listIndexes[signal].add(e._id, e.value);
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
    this.items.set(d.id, { firstSeenAt: d.firstSeenAt, clusterId: d.clusterId, quality: d.quality ?? 0 });
    if (known) return;
    for (const name of ITEM_SIGNALS) this.indexItem(name, d);
  }

  private indexItem<N extends ItemSignal>(name: N, d: FeedItem): void {
    const hash = ITEM_HASH[name](d, this.opts.minQuality);
    if (hash !== undefined) (this.indexes[name] as { add(id: string, hash: IndexInput<N>): void }).add(d.id, hash);
  }
}
