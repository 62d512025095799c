import type { Collection, Document } from 'mongodb';
import type { Store } from '../store/store';
import { stixIdsCollection, type StixIdDoc } from '../store/repos/stix-ids';
import { insertManyChunked } from '../store/bulk';
import type { TimelineFilter } from '../research/query-filter';
import { HYDRAWATCH_NAMESPACE, uuidV5 } from './stix/ids';
import type { BuildContext, StixObject } from './stix/objects';
import { fetchAfter, mergedPage, sourceFilter, staticRecords, type Position } from './stix/read';
import { buildRecords, SOURCE_NAMES, SOURCES, sourcesOf, STIX_KINDS, type StixRecord } from './stix/sources';
import { allOf } from '../research/filter-to-mongo';

/**
 * The read-only TAXII 2.1 server's model: collections (one per source tag and `all`), pages of objects and manifests
 * in the order objects were recorded (`date_added` = the record's own time), `next` tokens, and the index that finds
 * an object served before by its STIX id.
 */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_OBJECT_MEDIA_TYPE = 'application/stix+json;version=2.1';

export interface TaxiiCollection {
  id: string;
  title: string;
  description: string;
  /** The source tag it holds (unset: every record). */
  tag?: string;
}

export function collectionId(tag: string | undefined): string {
  return uuidV5(HYDRAWATCH_NAMESPACE, tag === undefined ? 'taxii-collection:*all*' : `taxii-collection:tag:${tag}`);
}

/** `all` and one per tag of the watch list's sources (a bounded read: the watch list). */
export async function listCollections(store: Store): Promise<TaxiiCollection[]> {
  const tags = new Set<string>();
  for (const s of await store.sources.find({}, { projection: { tags: 1 } }).toArray()) for (const t of s.tags ?? []) tags.add(t);
  return [
    { id: collectionId(undefined), title: 'all', description: 'Everything hydrawatch records: channels, posts, media, resurfacings, takedowns.' },
    ...[...tags].sort().map((tag) => ({ id: collectionId(tag), title: tag, description: `What the sources tagged "${tag}" recorded.`, tag })),
  ];
}

export async function findCollection(store: Store, id: string): Promise<TaxiiCollection | undefined> {
  return (await listCollections(store)).find((c) => c.id === id);
}

export function collectionFilter(c: TaxiiCollection): TimelineFilter {
  return c.tag === undefined ? {} : { tags: [c.tag] };
}

/**
 * `next`: the position of a page's last record as `<ms>.<source>.<_id>`. Every text that matches NEXT_PATTERN is a
 * position a page can start after (as the timelines' cursors), so the OpenAPI document's pattern says exactly what
 * is accepted.
 */
export const NEXT_PATTERN = new RegExp(`^(-?[0-9]{1,15})\\.(-1|[0-${SOURCE_NAMES.length - 1}])\\.([^\\u0000-\\u001f\\u007f]{0,1000})$`);

export function encodeNext(p: Position): string {
  return `${p.at.getTime()}.${p.source}.${p.id}`;
}

/** A `next` token back to its position; undefined when it does not match NEXT_PATTERN. */
export function decodeNext(token: string): Position | undefined {
  const m = NEXT_PATTERN.exec(token);
  if (!m) return undefined;
  return { at: new Date(Number(m[1])), source: Number(m[2]), id: m[3] ?? '' };
}

export interface TaxiiPage {
  more: boolean;
  next?: string;
  /** Each object with its date_added. */
  items: Array<{ object: StixObject; dateAdded: string }>;
}

/** The STIX-id index (src/store/repos/stix-ids.ts): an object served by a page can be read again alone (`…/objects/{id}/`). */
export function stixIds(store: Store): Collection<StixIdDoc> {
  return stixIdsCollection(store);
}

async function rememberIds(store: Store, records: StixRecord[]): Promise<void> {
  const docs = records.flatMap((r) => (r.source !== 'static' && r.objects[0] ? [{ _id: r.objects[0].id, source: r.source, key: r.key }] : []));
  if (!docs.length) return;
  const known = new Set(
    (
      await stixIds(store)
        .find({ _id: { $in: docs.map((d) => d._id) } }, { projection: { _id: 1 } })
        .toArray()
    ).map((d) => d._id),
  );
  const fresh = docs.filter((d) => !known.has(d._id));
  if (fresh.length) await insertManyChunked(stixIds(store), fresh); // a concurrent page's duplicates are ignored
}

/** One page of a collection's objects after `added_after` and the `next` token, oldest first. */
export async function taxiiPage(
  store: Store,
  c: TaxiiCollection,
  opts: { addedAfter?: Date; next?: Position; limit: number },
  ctx: BuildContext,
): Promise<TaxiiPage> {
  const page = await mergedPage(
    store,
    sourcesOf(STIX_KINDS),
    collectionFilter(c),
    { limit: opts.limit, ...(opts.addedAfter ? { addedAfter: opts.addedAfter } : {}), ...(opts.next ? { pos: opts.next } : {}) },
    ctx,
  );
  await rememberIds(store, page.records);
  const items = page.records.flatMap((r) => (r.objects[0] ? [{ object: r.objects[0], dateAdded: r.at.toISOString() }] : []));
  return { more: page.more, ...(page.more && page.last ? { next: encodeNext(page.last) } : {}), items };
}

/** One object of a collection by its STIX id (served before by a page, or one of the static objects). */
export async function taxiiObject(store: Store, c: TaxiiCollection, stixId: string, ctx: BuildContext): Promise<TaxiiPage['items'][number] | undefined> {
  const fixed = staticRecords(ctx).find((r) => r.key === stixId);
  if (fixed?.objects[0]) return { object: fixed.objects[0], dateAdded: fixed.at.toISOString() };
  const ref = await stixIds(store).findOne({ _id: stixId });
  const name = SOURCE_NAMES.find((n) => n === ref?.source);
  if (!ref || !name) return undefined;
  const spec = SOURCES[name];
  const base = allOf(await sourceFilter(store, spec, collectionFilter(c)), { _id: ref.key } as Document);
  const docs = await fetchAfter(store, spec, base, { limit: 1 });
  const [rec] = await buildRecords(store, spec, docs, ctx);
  const object = rec?.objects[0];
  return rec && object?.id === stixId ? { object, dateAdded: rec.at.toISOString() } : undefined;
}

/** A manifest entry: id, date_added, version (modified, else created, else date_added) and media type. */
export function manifestEntry(item: TaxiiPage['items'][number]): { id: string; date_added: string; version: string; media_type: string } {
  const o = item.object;
  const version = typeof o.modified === 'string' ? o.modified : typeof o.created === 'string' ? o.created : item.dateAdded;
  return { id: o.id, date_added: item.dateAdded, version, media_type: STIX_OBJECT_MEDIA_TYPE };
}
