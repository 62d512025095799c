import { MongoClient, type Collection } from 'mongodb';
import { redactUrl } from '../util/redact-url';
import type { DocLocks } from './capped-set';
import type { CursorCache } from './cursor-cache';
import { STORE_DB, storeDb, type HasDb } from './db-handle';
import type { HashListEntryDoc, MediaClusterDoc, MediaItemDoc, SightingDoc, TextSigDoc } from './media-types';
import { ALERTS } from './repos/alerts';
import { STIX_IDS } from './repos/stix-ids';
import { WEBHOOK_DELIVERIES } from './repos/webhook-deliveries';
import { ensureReportIndexes, REPORT_CASES, REPORT_TARGETS } from './repos/report-cases';
import { AUTO_SOURCES } from './repos/auto-sources';
import { CHANNEL_SUMMARIES, channelSummariesCollection, type ChannelSummaryDoc } from './repos/channel-summaries';
import {
  CHANNEL_EVENTS,
  CHANNEL_HANDLES,
  CHANNELS,
  channelsCollection,
  ensureChannelIndexes,
  eventsCollection,
  handlesCollection,
  type ChannelDoc,
  type ChannelHandleDoc,
  type EventDoc,
} from './repos/channels';
import { CONFIG_CHANGES } from './repos/config-changes';
import {
  CRAWL_CURSORS,
  CRAWL_RUNS,
  cursorsCollection,
  ensureCrawlStateIndexes,
  runsCollection,
  SOURCES,
  sourcesCollection,
  type CursorDoc,
  type RunDoc,
  type SourceDoc,
} from './repos/crawl-state';
import { FOLLOWED_HANDLES } from './repos/followed-handles';
import { HANDLE_POINTERS, pointersCollection, type HandlePointerDoc } from './repos/handle-pointers';
import { COMEBACK_FORMS } from './repos/comeback-forms';
import { LINEAGE, lineageCollection, type LineageDoc } from './repos/lineage';
import {
  clustersCollection,
  ensureMediaIndexes,
  HASH_LIST_ENTRIES,
  hashListsCollection,
  MEDIA_CLUSTERS,
  MEDIA_ITEMS,
  mediaItemsCollection,
  SIGHTINGS,
  sightingsCollection,
} from './repos/media';
import { META, metaCollection, type MetaDoc } from './repos/meta';
import { ensurePostCheckIndexes, POST_TAKEDOWNS, POST_VIEWS } from './repos/post-checks';
import { ensurePostIndexes, MEDIA_REFS, mediaRefsCollection, POSTS, postsCollection, type MediaDoc, type PostDoc } from './repos/posts';
import { PROBE_CACHE } from './repos/probe-cache';
import { POST_CHANNEL_ROLLUPS, POST_DAY_CHANNELS, POST_ROLLUPS, ROLLUP_LOCKS, SIGHTING_ROLLUPS } from './repos/rollups';
import { SUCCESSOR_CANDIDATES } from './repos/successor-candidates';
import { ensureTextIndexes, TEXT_BANDS, TEXT_SIGNATURES, textBandsCollection, textSigsCollection, type TextBandDoc } from './repos/text';

/** The driver's command monitoring (store latency metric, command counts in tests and benches): events only. */
export type StoreCommandEvents = Pick<MongoClient, 'on' | 'off'>;

/**
 * An open store. The raw database stays inside `src/store/` (`db-handle.ts`); other layers use the typed collections
 * below and the collection families' functions (`src/store/repos/`, one module per family: name, document type,
 * indexes, queries).
 */
export interface Store extends HasDb, DocLocks {
  commandEvents: StoreCommandEvents;
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
  const h: HasDb = { [STORE_DB]: client.db(opts.dbName) };
  return {
    commandEvents: client,
    [STORE_DB]: h[STORE_DB],
    channels: channelsCollection(h),
    events: eventsCollection(h),
    posts: postsCollection(h),
    media: mediaRefsCollection(h),
    cursors: cursorsCollection(h),
    runs: runsCollection(h),
    sources: sourcesCollection(h),
    mediaItems: mediaItemsCollection(h),
    clusters: clustersCollection(h),
    sightings: sightingsCollection(h),
    hashLists: hashListsCollection(h),
    textSigs: textSigsCollection(h),
    handles: handlesCollection(h),
    textBands: textBandsCollection(h),
    channelSummaries: channelSummariesCollection(h),
    pointers: pointersCollection(h),
    lineage: lineageCollection(h),
    meta: metaCollection(h),
    close: () => client.close(),
  };
}

/** Every collection hydrawatch writes (created up front, so that back-end indexes can be added to all of them). */
export const COLLECTIONS = [
  CHANNELS,
  CHANNEL_EVENTS,
  POSTS,
  MEDIA_REFS,
  CRAWL_CURSORS,
  CRAWL_RUNS,
  SOURCES,
  MEDIA_ITEMS,
  MEDIA_CLUSTERS,
  SIGHTINGS,
  HASH_LIST_ENTRIES,
  TEXT_SIGNATURES,
  CHANNEL_HANDLES,
  TEXT_BANDS,
  CHANNEL_SUMMARIES,
  HANDLE_POINTERS,
  COMEBACK_FORMS,
  LINEAGE,
  META,
  ALERTS,
  AUTO_SOURCES,
  SUCCESSOR_CANDIDATES,
  CONFIG_CHANGES,
  PROBE_CACHE,
  FOLLOWED_HANDLES,
  POST_DAY_CHANNELS,
  POST_ROLLUPS,
  POST_CHANNEL_ROLLUPS,
  SIGHTING_ROLLUPS,
  ROLLUP_LOCKS,
  POST_TAKEDOWNS,
  POST_VIEWS,
  REPORT_CASES,
  REPORT_TARGETS,
  STIX_IDS,
  WEBHOOK_DELIVERIES,
] as const;

export async function ensureCollections(store: Store): Promise<void> {
  const db = storeDb(store);
  const have = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of COLLECTIONS) {
    if (have.has(name)) continue;
    await db.createCollection(name).catch((err: unknown) => {
      if ((err as { code?: number }).code !== 48) throw err; // NamespaceExists: another process was first
    });
  }
}

/** Unique indexes (natural keys) and a few query helpers, each family's own. Idempotent; runs at every start. */
export async function ensureIndexes(store: Store): Promise<void> {
  await ensureCollections(store);
  await ensurePostIndexes(store);
  await ensureChannelIndexes(store);
  await ensureCrawlStateIndexes(store);
  await ensureMediaIndexes(store);
  await ensureTextIndexes(store);
  await ensurePostCheckIndexes(store);
  await ensureReportIndexes(store);
}

/** The store answers (readiness): one `ping` command. */
export async function pingStore(store: Store): Promise<void> {
  await storeDb(store).command({ ping: 1 });
}
