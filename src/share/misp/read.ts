import type { Store } from '../../store/store';
import type { ChannelDoc } from '../../store/repos/channels';
import type { MispChannel, MispExportInput, MispMedia } from './build';

export interface MispFilter {
  /** Sightings from (inclusive) … to (exclusive); a from at or after to is an empty range. */
  from?: Date;
  to?: Date;
  /** Channels of sources with this tag. */
  tag?: string;
  /** One channel (its key, e.g. `tg:1234`). */
  channel?: string;
}

/** The export's bounds: channels, sightings per channel, media items in all. */
export const MISP_LIMITS = { channels: 500, sightingsPerChannel: 200, media: 2000 } as const;

function describeFilter(f: MispFilter): string {
  const parts = [f.channel ? `channel ${f.channel}` : f.tag ? `tag ${f.tag}` : 'all channels'];
  if (f.from || f.to) parts.push(`${f.from?.toISOString() ?? '…'} to ${f.to?.toISOString() ?? '…'}`);
  return parts.join(', ');
}

/** The channels asked for: one by `_id`, a tag's sources' channels, or the first channels by key; all bounded. */
async function readChannels(store: Store, f: MispFilter): Promise<ChannelDoc[]> {
  if (f.channel) {
    const c = await store.channels.findOne({ _id: f.channel });
    return c ? [c] : [];
  }
  if (f.tag) {
    const sources = await store.sources
      .find({ tags: f.tag }, { projection: { _id: 1 } })
      .limit(MISP_LIMITS.channels)
      .toArray();
    if (!sources.length) return [];
    return store.channels
      .find({ sourceIds: { $in: sources.map((s) => s._id) } })
      .sort({ _id: 1 })
      .limit(MISP_LIMITS.channels)
      .toArray();
  }
  return store.channels.find({}).sort({ _id: 1 }).limit(MISP_LIMITS.channels).toArray();
}

function toMispChannel(c: ChannelDoc): MispChannel {
  return {
    key: c._id,
    platform: c.platform,
    handle: c.handle,
    status: c.status,
    firstSeenAt: c.firstSeenAt,
    ...(c.platformId ? { platformId: c.platformId } : {}),
    ...(c.title ? { title: c.title } : {}),
    ...(c.removedAt ? { removedAt: c.removedAt } : {}),
    ...(c.lastSeenActiveAt ? { lastSeenActiveAt: c.lastSeenActiveAt } : {}),
  };
}

/**
 * Sightings of the channels in the period. A sighting's `_id` is `<postKey>:m<i>` and a post key starts with its
 * channel key, so each channel's sightings are an `_id` range (the `_id` index), at most `sightingsPerChannel`.
 */
async function readSightings(store: Store, keys: string[], f: MispFilter) {
  const at = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) };
  const out = [];
  for (const key of keys) {
    const q = { _id: { $gt: `${key}:`, $lt: `${key}:\uffff` }, channelKey: key, ...(f.from || f.to ? { at } : {}) };
    out.push(...(await store.sightings.find(q).sort({ _id: 1 }).limit(MISP_LIMITS.sightingsPerChannel).toArray()));
  }
  return out;
}

/** Everything one export needs, read with bounded reads (by `_id`, `_id` ranges, or capped lists). */
export async function readMispInput(store: Store, f: MispFilter, now: Date = new Date()): Promise<MispExportInput> {
  const selected = await readChannels(store, f);
  const keys = selected.map((c) => c._id);
  const sightings = await readSightings(store, keys, f);
  const mediaIds = [...new Set(sightings.map((s) => s.mediaId))].slice(0, MISP_LIMITS.media);
  const items = mediaIds.length ? await store.mediaItems.find({ _id: { $in: mediaIds } }).toArray() : [];
  const clusterIds = [...new Set(items.map((i) => i.clusterId))];
  const clusters = clusterIds.length ? await store.clusters.find({ _id: { $in: clusterIds } }).toArray() : [];
  const firstOf = new Map(clusters.map((c) => [c._id, c.firstMediaId]));
  const have = new Set(items.map((i) => i._id));
  const missingOriginals = [...new Set(clusters.map((c) => c.firstMediaId))].filter((id) => !have.has(id)).slice(0, MISP_LIMITS.media);
  const originals = missingOriginals.length ? await store.mediaItems.find({ _id: { $in: missingOriginals } }).toArray() : [];
  const media: MispMedia[] = [...items, ...originals].map((m) => ({
    id: m._id,
    sha256: m.sha256,
    md5: m.md5,
    bytes: m.bytes,
    contentType: m.contentType,
    kind: m.kind,
    clusterId: m.clusterId,
    firstSeenAt: m.firstSeenAt,
    ...(m.pdq ? { pdq: m.pdq } : {}),
    ...(m.quality !== undefined ? { quality: m.quality } : {}),
    ...(m.frames?.length ? { frames: m.frames } : {}),
    ...(firstOf.get(m.clusterId) ? { originalId: firstOf.get(m.clusterId) } : {}),
    sightings: sightings.filter((s) => s.mediaId === m._id),
  }));
  const lineage = keys.length ? await store.lineage.find({ _id: { $in: keys.map((k) => `succ:${k}`) } }).toArray() : [];
  const successions = lineage.flatMap((l) => (l.predecessor ? [{ predecessor: l.predecessor, successor: l._id.slice('succ:'.length) }] : []));
  // a successor's predecessor outside the selection comes along (one read by _id each), so the link is kept
  const outside = [...new Set(successions.map((s) => s.predecessor))].filter((k) => !keys.includes(k));
  const predecessors = outside.length ? await store.channels.find({ _id: { $in: outside } }).toArray() : [];
  const channelDocs = [...selected, ...predecessors];
  const tags = f.tag ? [f.tag] : [];
  return { generatedAt: now, description: describeFilter(f), tags, channels: channelDocs.map(toMispChannel), media, successions };
}
