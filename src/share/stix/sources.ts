import type { Collection, Document } from 'mongodb';
import type { Store } from '../../store/store';
import type { ChannelDoc, EventDoc } from '../../store/repos/channels';
import type { PostDoc } from '../../store/repos/posts';
import type { MediaItemDoc, SightingDoc } from '../../store/media-types';
import { postTakedowns, type PostTakedownDoc } from '../../store/repos/post-checks';
import type { FilterCaps } from '../../research/filter-to-mongo';
import {
  channelTakedownToObservedData,
  channelToUserAccount,
  mediaToFile,
  postTakedownToObservedData,
  postToUrl,
  resurfacingToRelationship,
  type BuildContext,
  type StixObject,
} from './objects';

/** What a STIX export or a TAXII collection may hold (`--kind`). */
export const STIX_KINDS = ['channels', 'posts', 'media', 'resurfacings', 'takedowns'] as const;
export type StixKind = (typeof STIX_KINDS)[number];

/** The store records STIX objects are made from, each read in (time, _id) keyset pages. */
export const SOURCE_NAMES = ['channels', 'posts', 'media', 'resurfacings', 'channel-takedowns', 'post-takedowns'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** One record's STIX objects: the first is its own, the rest are what it refers to (the channels' user-accounts). */
export interface StixRecord {
  /** `static`: the producer identity, the TLP marking and the extension definitions. */
  source: SourceName | 'static';
  key: string;
  at: Date;
  objects: StixObject[];
}

/** Documents other records are read with, by `_id`, one batch per page. */
interface Lookups {
  channels: Map<string, ChannelDoc>;
  posts: Map<string, PostDoc>;
  media: Map<string, MediaItemDoc>;
}

interface Needs {
  channels?: string[];
  posts?: string[];
  media?: string[];
}

export interface SourceSpec {
  name: SourceName;
  kind: StixKind;
  collection(store: Store): Collection<Document>;
  caps: FilterCaps;
  /** Conditions of its own (the event types). */
  extra: Document;
  projection?: Document;
  needs(d: Document): Needs;
  build(d: Document, l: Lookups, ctx: BuildContext): StixObject[];
}

const col = <T extends Document>(c: Collection<T>): Collection<Document> => c as unknown as Collection<Document>;

function withChannels(primary: StixObject | undefined, channels: Array<ChannelDoc | undefined>, ctx: BuildContext): StixObject[] {
  if (!primary) return [];
  return [primary, ...channels.filter((c): c is ChannelDoc => c !== undefined).map((c) => channelToUserAccount(c, ctx))];
}

export const SOURCES: Record<SourceName, SourceSpec> = {
  channels: {
    name: 'channels',
    kind: 'channels',
    collection: (s) => col(s.channels),
    caps: { timeField: 'firstSeenAt', sourceField: 'sourceIds', channelField: '_id' },
    extra: {},
    projection: { pendingEvents: 0 },
    needs: () => ({}),
    build: (d, _l, ctx) => [channelToUserAccount(d as ChannelDoc, ctx)],
  },
  posts: {
    name: 'posts',
    kind: 'posts',
    collection: (s) => col(s.posts),
    caps: { timeField: 'at', tagsField: 'tags', sourceField: 'sourceId', channelField: 'channelKey' },
    extra: {},
    projection: { url: 1, platform: 1, handle: 1, postId: 1, at: 1 },
    needs: () => ({}),
    build: (d, _l, ctx) => {
      const u = postToUrl(d as PostDoc, ctx);
      return u ? [u] : [];
    },
  },
  media: {
    name: 'media',
    kind: 'media',
    collection: (s) => col(s.sightings),
    caps: { timeField: 'at', sourceField: 'sourceId', channelField: 'channelKey' },
    extra: {},
    needs: (d) => ({ media: [(d as SightingDoc).mediaId] }),
    build: (d, l, ctx) => {
      const m = l.media.get((d as SightingDoc).mediaId);
      return m ? [mediaToFile(m, ctx)] : [];
    },
  },
  resurfacings: {
    name: 'resurfacings',
    kind: 'resurfacings',
    collection: (s) => col(s.events),
    caps: { timeField: 'at', sourceField: 'sourceId', channelField: 'channelKey' },
    extra: { type: 'resurfaced' },
    needs: (d) => ({ channels: [(d as EventDoc).channelKey, String((d as EventDoc).data.predecessor)] }),
    build: (d, l, ctx) => {
      const ev = d as EventDoc;
      const succ = l.channels.get(ev.channelKey);
      const pred = l.channels.get(String(ev.data.predecessor));
      return succ && pred ? withChannels(resurfacingToRelationship(ev, succ, pred, ctx), [succ, pred], ctx) : [];
    },
  },
  'channel-takedowns': {
    name: 'channel-takedowns',
    kind: 'takedowns',
    collection: (s) => col(s.events),
    caps: { timeField: 'at', sourceField: 'sourceId', channelField: 'channelKey' },
    extra: { type: 'removed' },
    needs: (d) => ({ channels: [(d as EventDoc).channelKey] }),
    build: (d, l, ctx) => {
      const ev = d as EventDoc;
      const ch = l.channels.get(ev.channelKey);
      return ch ? withChannels(channelTakedownToObservedData(ev, ch, ctx), [ch], ctx) : [];
    },
  },
  'post-takedowns': {
    name: 'post-takedowns',
    kind: 'takedowns',
    collection: (s) => col(postTakedowns(s)),
    caps: { timeField: 'removedAt', sourceField: 'sourceId', channelField: 'channelKey' },
    extra: {},
    needs: (d) => ({ posts: [(d as PostTakedownDoc).postKey] }),
    build: (d, l, ctx) => {
      const t = d as PostTakedownDoc;
      const post = l.posts.get(t.postKey);
      const url = post ? postToUrl(post, ctx) : undefined;
      return url ? [postTakedownToObservedData(t, url, ctx), url] : [];
    },
  },
};

/** The sources of the kinds asked for, in a fixed order. */
export function sourcesOf(kinds: readonly StixKind[]): SourceSpec[] {
  return SOURCE_NAMES.map((n) => SOURCES[n]).filter((s) => kinds.includes(s.kind));
}

async function byIds<T extends Document>(c: Collection<T>, ids: string[], projection?: Document): Promise<Map<string, T>> {
  const uniq = [...new Set(ids)];
  if (!uniq.length) return new Map();
  const rows = await (c as unknown as Collection<Document>).find({ _id: { $in: uniq } } as Document, projection ? { projection } : {}).toArray();
  return new Map(rows.map((r) => [String(r._id), r as unknown as T]));
}

/** A page of documents → their records, with one `_id` batch read per collection they refer to. */
export async function buildRecords(store: Store, spec: SourceSpec, docs: Document[], ctx: BuildContext): Promise<StixRecord[]> {
  const needs = docs.map((d) => spec.needs(d));
  const [channels, posts, media] = await Promise.all([
    byIds(
      store.channels,
      needs.flatMap((n) => n.channels ?? []),
      { pendingEvents: 0 },
    ),
    byIds(
      store.posts,
      needs.flatMap((n) => n.posts ?? []),
      { url: 1, platform: 1, handle: 1, postId: 1 },
    ),
    byIds(
      store.mediaItems,
      needs.flatMap((n) => n.media ?? []),
      { views: 0 },
    ),
  ]);
  const tf = spec.caps.timeField;
  return docs.map((d) => ({ source: spec.name, key: String(d._id), at: d[tf] as Date, objects: spec.build(d, { channels, posts, media }, ctx) }));
}
