import { MongoClient, type Collection, type Db } from 'mongodb';
import { redactUrl } from '../util/redact-url';
import type { CursorCache } from './cursor-cache';
import type { ChannelDoc, CursorDoc, EventDoc, MediaDoc, PostDoc, RunDoc, SourceDoc } from './types';
import type { HashListEntryDoc, MediaClusterDoc, MediaItemDoc, SightingDoc, TextSigDoc } from './media-types';
import { ensurePostCheckIndexes } from './post-check-docs';
import { ensureReportIndexes } from './report-cases';
import type { ChannelHandleDoc, ChannelSummaryDoc, HandlePointerDoc, LineageDoc, MetaDoc, TextBandDoc } from './summary-types';

export interface Store {
  client: MongoClient;
  db: Db;
  channels: Collection<ChannelDoc>;
  events: Collection<EventDoc>;
  posts: Collection<PostDoc>;
  media: Collection<MediaDoc>;
  cursors: Collection<CursorDoc>;
  runs: Collection<RunDoc>;
  sources: Collection<SourceDoc>;
  mediaItems: Collection<MediaItemDoc>;
  clusters: Collection<MediaClusterDoc>;
  sightings: Collection<SightingDoc>;
  hashLists: Collection<HashListEntryDoc>;
  textSigs: Collection<TextSigDoc>;
  /** handle → channel (`tg:<handle>`). */
  handles: Collection<ChannelHandleDoc>;
  /** LSH band buckets of text signatures (`tb:<band>`): the text clusters sharing that band. */
  textBands: Collection<TextBandDoc>;
  /** Per-channel summaries (`<channelKey>`): media and text clusters it posted, capped. */
  channelSummaries: Collection<ChannelSummaryDoc>;
  /** Handles pointed at (mentions, links, forwards) per day (`hp:<day>`). */
  pointers: Collection<HandlePointerDoc>;
  /** Resurfacing lineage (`succ:<key>`, `pred:<key>`). */
  lineage: Collection<LineageDoc>;
  /** Versions and one-time migrations (`hashlists`, `migrated:keyed-docs`). */
  meta: Collection<MetaDoc>;
  /**
   * A mutex per shared document, for updates that several workers make to one document at once. FerretDB 1.24
   * updates a document by reading it and writing it whole, so two concurrent `$addToSet`s on one document can lose
   * one of them; the runtime sets this to a Redis lease (one holder per document id). Unset: no lock.
   */
  docLock?: (id: string) => Promise<{ release(): Promise<void> }>;
  /** The locks of several documents at once, all or none (same keys as docLock): one batch writing them all. */
  docLocks?: (ids: readonly string[]) => Promise<{ release(): Promise<void> }>;
  /**
   * Sources' cursors cached in Redis (the runtime sets it): a check with no new post reads its cursor there. Whatever
   * writes a cursor document drops or refreshes its entry. Unset: cursors are read from the store.
   */
  cursorCache?: CursorCache;
  close(): Promise<void>;
}

export class StoreUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(`MongoDB at ${redactUrl(url)} is down or unreachable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

export async function openStore(opts: { url: string; dbName: string; connectTimeoutMs?: number }): Promise<Store> {
  const client = new MongoClient(opts.url, {
    serverSelectionTimeoutMS: opts.connectTimeoutMs ?? 10000,
    connectTimeoutMS: opts.connectTimeoutMs ?? 10000,
    // command monitoring feeds the store latency metric (src/ops/store-metrics.ts)
    monitorCommands: true,
  });
  try {
    await client.connect();
    await client.db(opts.dbName).command({ ping: 1 });
  } catch (err) {
    await client.close().catch(() => undefined);
    throw new StoreUnavailableError(opts.url, err);
  }
  const db = client.db(opts.dbName);
  return {
    client,
    db,
    channels: db.collection<ChannelDoc>('channels'),
    events: db.collection<EventDoc>('channel_events'),
    posts: db.collection<PostDoc>('posts'),
    media: db.collection<MediaDoc>('media_refs'),
    cursors: db.collection<CursorDoc>('crawl_cursors'),
    runs: db.collection<RunDoc>('crawl_runs'),
    sources: db.collection<SourceDoc>('sources'),
    mediaItems: db.collection<MediaItemDoc>('media_items'),
    clusters: db.collection<MediaClusterDoc>('media_clusters'),
    sightings: db.collection<SightingDoc>('sightings'),
    hashLists: db.collection<HashListEntryDoc>('hash_list_entries'),
    textSigs: db.collection<TextSigDoc>('text_signatures'),
    handles: db.collection<ChannelHandleDoc>('channel_handles'),
    textBands: db.collection<TextBandDoc>('text_bands'),
    channelSummaries: db.collection<ChannelSummaryDoc>('channel_summaries'),
    pointers: db.collection<HandlePointerDoc>('handle_pointers'),
    lineage: db.collection<LineageDoc>('lineage'),
    meta: db.collection<MetaDoc>('meta'),
    close: () => client.close(),
  };
}

/** Every collection hydrawatch writes (created up front, so that back-end indexes can be added to all of them). */
export const COLLECTIONS = [
  'channels',
  'channel_events',
  'posts',
  'media_refs',
  'crawl_cursors',
  'crawl_runs',
  'sources',
  'media_items',
  'media_clusters',
  'sightings',
  'hash_list_entries',
  'text_signatures',
  'channel_handles',
  'text_bands',
  'channel_summaries',
  'handle_pointers',
  'lineage',
  'meta',
  'alerts',
  'auto_sources',
  'successor_candidates',
  'config_changes',
  'probe_cache',
  'followed_handles',
  'discovery_cursors',
  'post_day_channels',
  'post_rollups',
  'post_channel_rollups',
  'sighting_rollups',
  'rollup_locks',
  'post_takedowns',
  'post_views',
  'report_cases',
  'report_targets',
  'webhook_deliveries',
] as const;

export async function ensureCollections(store: Store): Promise<void> {
  const have = new Set((await store.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of COLLECTIONS) {
    if (have.has(name)) continue;
    await store.db.createCollection(name).catch((err: unknown) => {
      if ((err as { code?: number }).code !== 48) throw err; // NamespaceExists: another process was first
    });
  }
}

/** Unique indexes (natural keys) and a few query helpers. Idempotent; runs at every start. */
export async function ensureIndexes(store: Store): Promise<void> {
  await ensureCollections(store);
  await store.posts.createIndex({ channelKey: 1, postId: 1 }, { unique: true, name: 'channel_post_unique' });
  await store.posts.createIndex({ sourceId: 1, 'buckets.day': 1 }, { name: 'source_day' });
  await store.events.createIndex({ channelKey: 1, type: 1, at: 1 }, { unique: true, name: 'channel_type_at_unique' });
  await store.events.createIndex({ 'buckets.day': 1 }, { name: 'event_day' });
  await store.media.createIndex({ postKey: 1, index: 1 }, { unique: true, name: 'post_media_unique' });
  await store.runs.createIndex({ sourceId: 1, startedAt: 1 }, { name: 'source_started' });
  await store.channels.createIndex({ handles: 1 }, { name: 'handles' });
  await store.mediaItems.createIndex({ indexedAt: 1 }, { name: 'indexed_at' });
  await store.sightings.createIndex({ clusterId: 1, at: 1 }, { name: 'cluster_at' });
  await store.textSigs.createIndex({ indexedAt: 1 }, { name: 'indexed_at' });
  await ensurePostCheckIndexes(store);
  await ensureReportIndexes(store);
}
