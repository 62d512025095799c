import type { Document } from 'mongodb';
import type { Store } from '../store/store';
import { autoSourceTags } from '../store/repos/auto-sources';
import { QueryInputError, type TimelineFilter } from './query-filter';

/** What a collection can be filtered by. */
export interface FilterCaps {
  /** Date field the time range and the order apply to. */
  timeField: string;
  /** The documents carry `tags` themselves; otherwise tags are resolved to source ids. */
  tagsField?: string;
  langField?: string;
  sourceField?: string;
  channelField?: string;
}

/** Tags → the ids of the sources (watch list and auto-watched successors) that carry one of them. */
export async function sourceIdsForTags(store: Store, tags: string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const s of await store.sources.find({ tags: { $in: tags } }, { projection: { _id: 1 } }).toArray()) ids.add(s._id);
  const autos = await autoSourceTags(store);
  for (const a of autos) if (a.source?.tags?.some((t) => tags.includes(t))) ids.add(a._id);
  return [...ids];
}

/** `tg:123` stays; `@handle` becomes the key of the channel that used that handle (any of its handles). */
export async function resolveChannels(store: Store, channels: string[]): Promise<string[]> {
  const out: string[] = [];
  let all: Array<{ _id: string; handles: string[] }> | undefined;
  for (const c of channels) {
    if (!c.startsWith('@')) {
      out.push(c);
      continue;
    }
    const h = c.slice(1).toLowerCase();
    // Few channels per deployment; FerretDB scans for anything but _id anyway.
    all ??= await store.channels.find({}, { projection: { _id: 1, handles: 1 } }).toArray();
    const keys = all.filter((d) => d._id.toLowerCase() === `tg:@${h}` || (d.handles ?? []).some((x) => x.toLowerCase() === h)).map((d) => d._id);
    if (!keys.length) throw new QueryInputError(`channel: no channel has used the handle ${c}`);
    out.push(...keys);
  }
  return out;
}

/** All of these conditions (empty ones dropped): `{}`, the one condition, or `$and`. */
export function allOf(...parts: Document[]): Document {
  const p = parts.filter((d) => Object.keys(d).length);
  return p.length === 0 ? {} : p.length === 1 ? (p[0] as Document) : { $and: p };
}

/** A parsed filter → a portable MongoDB filter ($in, ranges, $and/$or only). */
export async function buildMongoFilter(store: Store, f: TimelineFilter, caps: FilterCaps, what: string): Promise<Document> {
  const and: Document[] = [];
  if (f.from || f.to) and.push({ [caps.timeField]: { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) } });
  if (f.langs?.length) {
    if (!caps.langField) throw new QueryInputError(`lang: ${what} have no language; the lang filter applies to posts`);
    and.push({ [caps.langField]: { $in: f.langs } });
  }
  let sourceIds = f.sourceIds;
  if (f.sourceIds?.length && !caps.sourceField) throw new QueryInputError(`source: ${what} cannot be filtered by source`);
  if (f.tags?.length) {
    if (caps.tagsField) and.push({ [caps.tagsField]: { $in: f.tags } });
    else {
      if (!caps.sourceField) throw new QueryInputError(`tag: ${what} cannot be filtered by tag`);
      const byTag = await sourceIdsForTags(store, f.tags);
      sourceIds = sourceIds ? sourceIds.filter((s) => byTag.includes(s)) : byTag;
    }
  }
  if (sourceIds && caps.sourceField) and.push({ [caps.sourceField]: { $in: sourceIds } });
  if (f.channels?.length) {
    if (!caps.channelField) throw new QueryInputError(`channel: ${what} cannot be filtered by channel`);
    and.push({ [caps.channelField]: { $in: await resolveChannels(store, f.channels) } });
  }
  return allOf(...and);
}

/** Adds the keyset condition after (time, _id) in the given order. */
export function afterCursor(filter: Document, timeField: string, at: Date | string, id: string, order: 'asc' | 'desc'): Document {
  const op = order === 'asc' ? '$gt' : '$lt';
  return allOf(filter, { $or: [{ [timeField]: { [op]: at } }, { [timeField]: at, _id: { [op]: id } }] });
}
