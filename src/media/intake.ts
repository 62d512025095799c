import { sourceLabel } from '../../crawlers/registry';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { Settings, Source } from '../config/schema';
import { timeBuckets } from '../core/time-buckets';
import { AccountWaitError, CrawlError } from '../core/errors';
import type { Fetcher } from '../core/fetcher';
import type { TelegramApiAccess } from '../core/telegram-api';
import { downloadApiMedia, parseApiMediaUrl } from '../../crawlers/telegram-api';
import type { Store } from '../store/store';
import { appendEvents, type EventDoc } from '../store/repos/channels';
import type { MediaDoc } from '../store/repos/posts';
import { addToCappedSet } from '../store/capped-set';
import { crashPoint } from '../util/crash-point';
import { raiseAlert } from '../alerts/outbox';
import { decodeImage, ImageDecodeError } from './decode-image';
import type { MediaMatcher } from './media-matcher';
import { pdqDihedral } from './pdq-hash';
import { isImage, isVideo, sniff, type SniffedType } from './sniff';
import type { HashListEntryDoc, MatchedVia, MediaItemDoc, SightingDoc, StoredView } from './types';
import { bestPerItem, matchPicture } from './view-match';
import { frameBagThreshold } from './signals/frame-bag';
import { imageViews, viewOptionsFromSettings, type HashView } from './views';
import { VideoDecodeError, videoFingerprint, videoPrintOptions } from './video-frames';
import { parseWindows } from './video-print';
import { recordSightingRollups } from '../store/sighting-rollups';

/** The cluster an item starts when it matches nothing stored. */
function ownClusterId(sha256: string): string {
  return `mc:${sha256.slice(0, 24)}`;
}

/** Distinct media clusters remembered per channel, and channels per cluster (summary documents stay bounded). */
export const CHANNEL_MEDIA_CLUSTER_CAP = 2000;
export const CLUSTER_CHANNEL_CAP = 1000;

export class MediaIntakeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MediaIntakeError';
  }
}

export interface IntakeDeps {
  store: Store;
  fetcher: Fetcher;
  matcher: MediaMatcher;
  settings: Settings;
  /** The Telegram API account: `tg-api://` references (platform telegram-api) are downloaded through it. */
  telegramApi?: TelegramApiAccess;
  now?: () => Date;
}

const MEDIA_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/avif',
  'video/mp4',
  'video/webm',
  'video/quicktime',
  'application/octet-stream',
  'binary/octet-stream',
] as const;

interface Fingerprint {
  kind: 'image' | 'video';
  width?: number;
  height?: number;
  pdq?: string;
  quality?: number;
  dihedral?: string[];
  frames?: string[];
  /** Issue 23: each bag frame's strip windows (`t70:<hex>,b70:<hex>`), aligned with `frames`. */
  frameWindows?: string[];
  /** Issue 12: views looked up for this picture (base, trimmed, caption-stripped, rotated)… */
  queryViews?: HashView[];
  /** …and kept with it (base or trimmed, caption-stripped, crop windows). */
  storedViews?: StoredView[];
}

async function fingerprint(bytes: Buffer, contentType: SniffedType, settings: Settings): Promise<Fingerprint> {
  const m = settings.media;
  if (isImage(contentType)) {
    const img = await decodeImage(bytes, { maxPixels: m.maxPixels });
    const variants = pdqDihedral(img.pixels, img.width, img.height, img.channels);
    const main = variants[0] as { hash: string; quality: number };
    const views = imageViews(img.pixels, img.width, img.height, img.channels, viewOptionsFromSettings(m));
    const storedViews = views.stored.map((v): StoredView => ({ hash: v.hash, how: v.how }));
    return {
      kind: 'image',
      width: img.width,
      height: img.height,
      pdq: main.hash,
      quality: main.quality,
      dihedral: variants.map((v) => v.hash),
      queryViews: views.query,
      storedViews,
    };
  }
  const v = await videoFingerprint(bytes, videoPrintOptions(m));
  return {
    kind: 'video',
    frames: v.frames,
    ...(v.windows.some(Boolean) ? { frameWindows: v.windows } : {}),
    quality: v.frames.length ? 100 : 0,
  };
}

interface MatchResult {
  mediaId: string;
  distance: number;
  via: MatchedVia;
}

/**
 * Earliest matching stored item (first seen, then id), from the matcher's index of each signal type: PDQ over the
 * dihedral variants and the re-upload views (view-match.ts), or the video frame bag (same / contains / contained in).
 */
function bestMatch(fp: Fingerprint, selfId: string, matcher: MediaMatcher, settings: Settings): MatchResult | undefined {
  const m = settings.media;
  const found: MatchResult[] = [];
  if (fp.kind === 'image' && fp.dihedral) {
    const dihedral = (fp.quality ?? 0) >= m.minQuality ? fp.dihedral : [];
    const hits = matchPicture(
      { dihedral, views: fp.queryViews ?? [] },
      { images: matcher.index('pdq'), views: matcher.index('pdq-view') },
      { radius: m.matchRadius, extraProbe: m.fastExtraProbe ? 'exact-chunks' : 'full', views: true },
    );
    for (const h of bestPerItem(hits)) if (h.mediaId !== selfId) found.push(h);
  }
  if (fp.kind === 'video' && fp.frames?.length) {
    const query = fp.frameWindows ? { frames: fp.frames, windows: fp.frameWindows.map(parseWindows) } : fp.frames;
    for (const h of matcher.index('video-frame-bag').query(query, frameBagThreshold(m))) {
      if (h.id !== selfId) found.push({ mediaId: h.id, distance: h.distance, via: h.via });
    }
  }
  const info = (id: string) => matcher.items.get(id);
  found.sort(
    (a, b) => (info(a.mediaId)?.firstSeenAt ?? 0) - (info(b.mediaId)?.firstSeenAt ?? 0) || a.mediaId.localeCompare(b.mediaId) || a.distance - b.distance,
  );
  return found[0];
}

function intakeError(err: unknown): { code: string; message: string } {
  if (err instanceof MediaIntakeError) return { code: err.code, message: err.message };
  if (err instanceof ImageDecodeError) return { code: `IMAGE_${err.reason.toUpperCase()}`, message: err.message };
  if (err instanceof VideoDecodeError) return { code: 'VIDEO_DECODE', message: err.message };
  if (err instanceof CrawlError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: (err as Error).message };
}

export interface IntakeOutcome {
  ref: string;
  mediaId?: string;
  clusterId?: string;
  via?: MatchedVia;
  error?: { code: string; message: string };
}

/** The item this reference resolved to, how it matched its cluster and at what distance. */
interface Placed {
  item: MediaItemDoc;
  via: MatchedVia;
  distance: number;
}

/**
 * One media reference: download (byte cap, timeout, magic bytes), SHA-256 dedup, fingerprint (PDQ + dihedral
 * variants, or a video frame bag), cluster assignment, sighting, known-hash-list check. Errors stay on the
 * reference; the post is stored regardless.
 */
export async function ingestMediaRef(deps: IntakeDeps, source: Source, ref: MediaDoc, postAt: Date): Promise<IntakeOutcome> {
  const now = deps.now ?? (() => new Date());
  const { store } = deps;
  try {
    const { bytes, type } = await downloadMedia(deps, source, ref);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const mediaId = `sha256:${sha256}`;
    const known = await store.mediaItems.findOne({ _id: mediaId });
    const placed = known ? await resumeKnownItem(deps, ref, known, sha256) : await indexNewItem(deps, source, ref, { bytes, type, sha256 }, postAt, now);
    const { item, via, distance } = placed;
    crashPoint('media:after-item');
    const sighting = await recordSighting(store, source, ref, item, postAt, via, distance);
    if (sighting.afterOriginRemoved) await alertReuploadAfterTakedown(deps, source, ref, sighting, via, distance, now);
    await checkHashLists(deps, source, ref, item);
    await store.media.updateOne({ _id: ref._id }, { $set: { ingestedAt: now(), mediaId }, $unset: { error: '' } });
    return { ref: ref._id, mediaId, clusterId: item.clusterId, via };
  } catch (err) {
    if (err instanceof AccountWaitError) throw err; // the Telegram API account must wait: the job is retried after it
    const error = intakeError(err);
    await store.media.updateOne({ _id: ref._id }, { $set: { ingestedAt: now(), error } });
    return { ref: ref._id, error };
  }
}

/** The reference's bytes (byte cap, timeout) and their sniffed type; throws for kinds not fingerprinted and bad magic. */
async function downloadMedia(deps: IntakeDeps, source: Source, ref: MediaDoc): Promise<{ bytes: Buffer; type: SniffedType }> {
  const { settings } = deps;
  if (!ref.url) throw new MediaIntakeError('NO_URL', 'the page gives no URL for this media');
  if (ref.kind === 'document' || ref.kind === 'audio' || ref.kind === 'voice')
    throw new MediaIntakeError('SKIPPED_KIND', `${ref.kind} media are referenced, not fingerprinted`);
  if (parseApiMediaUrl(ref.url)) return downloadThroughApi(deps, ref.url);
  const res = await deps.fetcher.fetchBytes({
    url: ref.url,
    timeoutName: 'media.download',
    timeoutMs: settings.media.timeoutMs,
    maxBytes: settings.media.maxBytes,
    accept: MEDIA_TYPES,
    userAgent: source.userAgent,
    proxy: source.proxy,
  });
  const type = sniff(res.bytes);
  if (!isImage(type) && !isVideo(type))
    throw new MediaIntakeError('BAD_MAGIC', `content is not an image or video (magic bytes say ${type}, server said ${res.contentType})`);
  return { bytes: res.bytes, type };
}

/** A `tg-api://` reference: the message read again and its media downloaded through the Telegram API account. */
async function downloadThroughApi(deps: IntakeDeps, url: string): Promise<{ bytes: Buffer; type: SniffedType }> {
  const api = deps.telegramApi;
  if (!api)
    throw new MediaIntakeError(
      'NO_API_ACCOUNT',
      'telegram-api media are downloaded through the Telegram API account (settings telegramApi), which this worker does not have',
    );
  const { maxBytes, timeoutMs } = deps.settings.media;
  const got = await api.session(undefined, (caller) => downloadApiMedia(caller, url, maxBytes, timeoutMs));
  if ('gone' in got) throw new MediaIntakeError('GONE', got.gone);
  const type = sniff(got.bytes);
  if (!isImage(type) && !isVideo(type)) throw new MediaIntakeError('BAD_MAGIC', `content is not an image or video (magic bytes say ${type})`);
  return { bytes: got.bytes, type };
}

/** Bytes already stored: an exact match, or the completion of an earlier attempt's half-done work (then still new). */
async function resumeKnownItem(deps: IntakeDeps, ref: MediaDoc, item: MediaItemDoc, sha256: string): Promise<Placed> {
  const { store, matcher } = deps;
  const mediaId = item._id;
  let via: MatchedVia = 'exact';
  // A worker killed between storing the item and its cluster, or before its sighting, left this reference's
  // work half done: finish it as that attempt would have (the cluster, then the feed), and it is still new.
  const cluster = await store.clusters.findOne({ _id: item.clusterId }, { projection: { originPostKey: 1 } });
  if (!cluster && item.clusterId === ownClusterId(sha256)) {
    await store.clusters.updateOne(
      { _id: item.clusterId },
      {
        $setOnInsert: {
          kind: item.kind,
          firstMediaId: mediaId,
          originChannelKey: ref.channelKey,
          originPostKey: ref.postKey,
          firstSeenAt: item.firstSeenAt,
        },
      },
      { upsert: true },
    );
    via = 'new';
  } else if (cluster?.originPostKey === ref.postKey) via = 'new';
  if (!matcher.items.has(item._id)) await matcher.publish(item);
  return { item, via, distance: 0 };
}

/** Downloaded bytes with their type and SHA-256 (hex). */
interface Downloaded {
  bytes: Buffer;
  type: SniffedType;
  sha256: string;
}

/**
 * New bytes: fingerprint, match against the index, store the item (first writer wins) and its own cluster when
 * it matched none, publish it, then converge with a concurrent near-duplicate on the earliest cluster.
 */
async function indexNewItem(deps: IntakeDeps, source: Source, ref: MediaDoc, dl: Downloaded, postAt: Date, now: () => Date): Promise<Placed> {
  const { store, settings, matcher } = deps;
  const { bytes, type, sha256 } = dl;
  const mediaId = `sha256:${sha256}`;
  const fp = await fingerprint(bytes, type, settings);
  await matcher.refresh();
  const match = bestMatch(fp, mediaId, matcher, settings);
  const clusterId = match ? (matcher.items.get(match.mediaId)?.clusterId as string) : ownClusterId(sha256);
  const at = now();
  let filePath: string | undefined;
  if (source.retention === 'file') filePath = await keepFile(settings, sha256, bytes);
  const doc = mediaItemDoc(dl, fp, clusterId, postAt, at, filePath);
  // Another worker may insert the same bytes at the same moment: $setOnInsert keeps the first, we read it back.
  await store.mediaItems.updateOne({ _id: mediaId }, { $setOnInsert: doc }, { upsert: true });
  const item = (await store.mediaItems.findOne({ _id: mediaId })) as MediaItemDoc;
  if (!match) {
    // the cluster document exists before any other worker can match the item (it learns of it from the feed)
    await store.clusters.updateOne(
      { _id: item.clusterId },
      { $setOnInsert: { kind: item.kind, firstMediaId: mediaId, originChannelKey: ref.channelKey, originPostKey: ref.postKey, firstSeenAt: postAt } },
      { upsert: true },
    );
  }
  await matcher.publish(item);
  const placed: Placed = { item, via: match?.via ?? 'new', distance: match?.distance ?? 0 };
  return convergeOnEarliest(deps, fp, placed, now);
}

/** The media item document of new bytes (before the first writer's is read back). */
function mediaItemDoc(dl: Downloaded, fp: Fingerprint, clusterId: string, postAt: Date, at: Date, filePath: string | undefined): MediaItemDoc {
  return {
    _id: `sha256:${dl.sha256}`,
    sha256: dl.sha256,
    md5: createHash('md5').update(dl.bytes).digest('hex'),
    bytes: dl.bytes.length,
    contentType: dl.type,
    kind: fp.kind,
    clusterId,
    firstSeenAt: postAt,
    indexedAt: at,
    ...(fp.width ? { width: fp.width, height: fp.height } : {}),
    ...(fp.pdq ? { pdq: fp.pdq, quality: fp.quality } : {}),
    ...(fp.frames ? { frames: fp.frames } : {}),
    ...(fp.frameWindows ? { frameWindows: fp.frameWindows } : {}),
    ...(fp.storedViews?.length ? { views: fp.storedViews } : {}),
    ...(filePath ? { filePath } : {}),
  };
}

/** Concurrent near-duplicates seen by two workers at once: both re-check and converge on the earliest cluster. */
async function convergeOnEarliest(deps: IntakeDeps, fp: Fingerprint, placed: Placed, now: () => Date): Promise<Placed> {
  const { store, settings, matcher } = deps;
  const item = placed.item;
  const mediaId = item._id;
  await matcher.refresh();
  const again = bestMatch(fp, mediaId, matcher, settings);
  const earlier = again ? matcher.items.get(again.mediaId) : undefined;
  if (
    again &&
    earlier &&
    earlier.clusterId !== item.clusterId &&
    (earlier.firstSeenAt < item.firstSeenAt.getTime() || (earlier.firstSeenAt === item.firstSeenAt.getTime() && again.mediaId < mediaId))
  ) {
    await store.mediaItems.updateOne({ _id: mediaId }, { $set: { clusterId: earlier.clusterId, indexedAt: now() } });
    await store.sightings.updateMany({ mediaId }, { $set: { clusterId: earlier.clusterId } });
    const moved = { ...item, clusterId: earlier.clusterId };
    await matcher.publish(moved);
    return { item: moved, via: again.via, distance: again.distance };
  }
  return placed;
}

/** A re-upload sighted after its cluster's origin channel was removed: one alert per sighting. */
async function alertReuploadAfterTakedown(
  deps: IntakeDeps,
  source: Source,
  ref: MediaDoc,
  sighting: SightingDoc,
  via: MatchedVia,
  distance: number,
  now: () => Date,
): Promise<void> {
  const { store, settings } = deps;
  const origin = (await store.clusters.findOne({ _id: sighting.clusterId }))?.originChannelKey;
  await raiseAlert(store, settings, {
    kind: 'reupload_after_takedown',
    key: `reupload:${sighting._id}`,
    sourceId: source.id,
    tags: source.tags,
    at: now(),
    facts: { channelKey: ref.channelKey, postKey: ref.postKey, clusterId: sighting.clusterId, matchedVia: via, distance, originChannelKey: origin },
  });
}

/** Where `retention: file` keeps a copy: content-addressed under media.fileDir (under dataDir when relative). */
export function keptFilePath(settings: Settings, sha256: string): string {
  const base = isAbsolute(settings.media.fileDir) ? settings.media.fileDir : join(settings.dataDir, settings.media.fileDir);
  return join(base, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

async function keepFile(settings: Settings, sha256: string, bytes: Buffer): Promise<string> {
  const path = keptFilePath(settings, sha256);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes, { flag: 'w' });
  return path;
}

async function recordSighting(
  store: Store,
  source: Source,
  ref: MediaDoc,
  item: MediaItemDoc,
  at: Date,
  via: MatchedVia,
  distance: number,
): Promise<SightingDoc> {
  const cluster = await store.clusters.findOne({ _id: item.clusterId });
  let afterOriginRemoved = false;
  if (cluster && cluster.originChannelKey !== ref.channelKey) {
    const origin = await store.channels.findOne({ _id: cluster.originChannelKey });
    // t.me prints post times to the second: a copy posted in the second the removal was seen counts as after it
    afterOriginRemoved = !!origin?.removedAt && origin.status === 'removed' && Math.floor(origin.removedAt.getTime() / 1000) <= Math.floor(at.getTime() / 1000);
  }
  const doc: SightingDoc = {
    _id: ref._id,
    clusterId: item.clusterId,
    mediaId: item._id,
    channelKey: ref.channelKey,
    sourceId: source.id,
    postKey: ref.postKey,
    at,
    buckets: timeBuckets(at),
    matchedVia: via,
    distance,
    afterOriginRemoved,
  };
  await store.sightings.replaceOne({ _id: doc._id }, doc, { upsert: true });
  // bounded summaries for successor scoring: the channel's first clusters, the cluster's first channels
  await addToCappedSet(store, store.channelSummaries, ref.channelKey, 'mediaClusters', [item.clusterId], CHANNEL_MEDIA_CLUSTER_CAP);
  await addToCappedSet(store, store.clusters, item.clusterId, 'channels', [ref.channelKey], CLUSTER_CHANNEL_CAP);
  await recordSightingRollups(store, [doc]);
  return doc;
}

async function checkHashLists(deps: IntakeDeps, source: Source, ref: MediaDoc, item: MediaItemDoc): Promise<void> {
  const { matcher, store, settings } = deps;
  const hits: Array<{ entry: HashListEntryDoc; distance: number }> = [];
  for (const e of matcher.listEntries.values()) {
    if ((e.type === 'sha256' && e.value === item.sha256) || (e.type === 'md5' && e.value === item.md5)) hits.push({ entry: e, distance: 0 });
  }
  const pdqs = item.pdq && (item.quality ?? 0) >= settings.media.minQuality ? [item.pdq] : (item.frames ?? []);
  for (const h of pdqs) {
    for (const m of matcher.listIndex('pdq').query(h, settings.media.matchRadius)) {
      const entry = matcher.listEntries.get(m.id);
      if (entry && !hits.some((x) => x.entry._id === entry._id)) hits.push({ entry, distance: m.distance });
    }
  }
  if (!hits.length) return;
  const at = (deps.now ?? (() => new Date()))();
  const events: EventDoc[] = hits.map(({ entry, distance }) => ({
    _id: `${ref.channelKey}:hashlist_match:${ref._id}:${entry._id}`,
    channelKey: ref.channelKey,
    sourceId: source.id,
    platform: source.platform,
    type: 'hashlist_match',
    at,
    buckets: timeBuckets(at),
    handle: sourceLabel(source),
    data: {
      list: entry.list,
      label: entry.label,
      hashType: entry.type,
      distance,
      mediaId: item._id,
      postKey: ref.postKey,
      clusterId: item.clusterId,
      ...(entry.entity ? { entity: entry.entity } : {}),
      ...(entry.campaign ? { campaign: entry.campaign } : {}),
    },
  }));
  await appendEvents(store, events);
  for (const ev of events) {
    await raiseAlert(store, settings, {
      kind: 'hashlist_match',
      key: `hashlist:${ev._id}`,
      sourceId: source.id,
      tags: source.tags,
      at,
      facts: { ...ev.data, channelKey: ev.channelKey },
    });
  }
}
