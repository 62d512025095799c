import type { Collection, Document } from 'mongodb';
import type { Store } from '../store/store';
import { alertsCollection } from '../store/repos/alerts';
import { afterCursor, allOf, buildMongoFilter, type FilterCaps } from './filter-to-mongo';
import { decodeCursor, encodeCursor, type Page, type PageRequest, type TimelineFilter } from './query-filter';

/** The timelines researchers list and export. */
export const LISTABLE = ['posts', 'events', 'sightings', 'alerts'] as const;
export type Listable = (typeof LISTABLE)[number];

/** Filters that only some timelines have. */
export interface ExtraFilter {
  /** events: event types; alerts: alert kinds. */
  types?: string[];
  /** sightings: media cluster ids. */
  clusters?: string[];
  /** sightings: only re-uploads after the origin channel was removed. */
  afterTakedown?: boolean;
  /** alerts: pending / sent / unconfirmed. */
  status?: string;
}

interface ListSpec {
  collection(store: Store): Collection<Document>;
  caps: FilterCaps;
  what: string;
  projection?: Document;
  extra(x: ExtraFilter): Document[];
}

const SPECS: Record<Listable, ListSpec> = {
  posts: {
    collection: (s) => s.posts as unknown as Collection<Document>,
    caps: { timeField: 'at', tagsField: 'tags', langField: 'lang', sourceField: 'sourceId', channelField: 'channelKey' },
    what: 'posts',
    extra: () => [],
  },
  events: {
    collection: (s) => s.events as unknown as Collection<Document>,
    caps: { timeField: 'at', sourceField: 'sourceId', channelField: 'channelKey' },
    what: 'channel events',
    extra: (x) => (x.types?.length ? [{ type: { $in: x.types } }] : []),
  },
  sightings: {
    collection: (s) => s.sightings as unknown as Collection<Document>,
    caps: { timeField: 'at', sourceField: 'sourceId', channelField: 'channelKey' },
    what: 'sightings',
    extra: (x) => [...(x.clusters?.length ? [{ clusterId: { $in: x.clusters } }] : []), ...(x.afterTakedown ? [{ afterOriginRemoved: true }] : [])],
  },
  alerts: {
    collection: (s) => alertsCollection(s) as unknown as Collection<Document>,
    caps: { timeField: 'createdAt', tagsField: 'tags', sourceField: 'sourceId', channelField: 'channels' },
    what: 'alerts',
    // the rendered bodies are in the alert detail, not in lists
    projection: { html: 0, lockedUntil: 0 },
    extra: (x) => [...(x.types?.length ? [{ kind: { $in: x.types } }] : []), ...(x.status ? [{ status: x.status }] : [])],
  },
};

async function baseFilter(store: Store, kind: Listable, f: TimelineFilter, x: ExtraFilter): Promise<Document> {
  const spec = SPECS[kind];
  return allOf(await buildMongoFilter(store, f, spec.caps, spec.what), ...spec.extra(x));
}

/** One page, newest first by default, with a keyset cursor (stable under concurrent inserts). */
export async function listPage(store: Store, kind: Listable, f: TimelineFilter, x: ExtraFilter, page: PageRequest): Promise<Page<Document>> {
  const spec = SPECS[kind];
  const tf = spec.caps.timeField;
  let filter = await baseFilter(store, kind, f, x);
  if (page.cursor) {
    const c = decodeCursor(page.cursor);
    filter = afterCursor(filter, tf, c.at, c.id, page.order);
  }
  const dir = page.order === 'asc' ? 1 : -1;
  const rows = await spec
    .collection(store)
    .find(filter, spec.projection ? { projection: spec.projection } : {})
    .sort({ [tf]: dir, _id: dir })
    .limit(page.limit + 1)
    .toArray();
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > page.limit && last ? encodeCursor(last[tf] as Date, String(last._id)) : null;
  return { items, nextCursor };
}

/** How many match (for export progress). */
export async function countMatching(store: Store, kind: Listable, f: TimelineFilter, x: ExtraFilter): Promise<number> {
  return SPECS[kind].collection(store).countDocuments(await baseFilter(store, kind, f, x));
}

/** Every matching document, oldest first, fetched in keyset batches (no long-lived server cursor). */
export async function* streamAll(store: Store, kind: Listable, f: TimelineFilter, x: ExtraFilter, batch = 500): AsyncGenerator<Document> {
  let cursor: string | undefined;
  for (;;) {
    const page = await listPage(store, kind, f, x, { limit: batch, order: 'asc', ...(cursor ? { cursor } : {}) });
    for (const item of page.items) yield item;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

export interface ChannelListFilter {
  tags?: string[];
  sourceIds?: string[];
  status?: string;
  platform?: string;
}

/** Channels with their current state (watch list size: one page is enough, sorted by key). */
export async function listChannels(store: Store, f: ChannelListFilter, page: { limit: number; cursor?: string }): Promise<Page<Document>> {
  // tags resolve to sources through the same path as the timelines; a channel lists every source that watches it
  const bySource = await buildMongoFilter(
    store,
    { ...(f.tags ? { tags: f.tags } : {}), ...(f.sourceIds ? { sourceIds: f.sourceIds } : {}) },
    { timeField: 'firstSeenAt', sourceField: 'sourceIds' },
    'channels',
  );
  const filter = allOf(
    f.status ? { status: f.status } : {},
    f.platform ? { platform: f.platform } : {},
    bySource,
    page.cursor ? { _id: { $gt: decodeCursor(page.cursor).id } } : {},
  );
  const rows = await (store.channels as unknown as Collection<Document>)
    .find(filter, { projection: { pendingEvents: 0 } })
    .sort({ _id: 1 })
    .limit(page.limit + 1)
    .toArray();
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor('', String(last._id)) : null };
}
