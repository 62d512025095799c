import type { Document } from 'mongodb';
import type { Store } from '../../store/store';
import { allOf, buildMongoFilter } from '../../research/filter-to-mongo';
import type { TimelineFilter } from '../../research/query-filter';
import { extensionDefinition, producerIdentity, EXTENSIONS, type BuildContext, type ExtensionName } from './objects';
import { tlpMarking } from './tlp';
import { buildRecords, SOURCE_NAMES, type SourceSpec, type StixRecord } from './sources';

/**
 * Bounded reads of the STIX records: each source in (time, _id) keyset pages, and TAXII pages merged over the
 * sources by (time, source, _id). No read grows with the store: a page reads at most `limit + 1` documents per source
 * and one `_id` batch per collection they refer to.
 */

/** A position in the merged order: time, source (its index in SOURCE_NAMES; -1 for the static objects) and `_id`. */
export interface Position {
  at: Date;
  source: number;
  id: string;
}

/** Time of the static objects (producer identity, TLP marking, extension definitions): before anything else. */
export const STATIC_AT = new Date(0);

/** The objects every bundle and collection holds whatever the data: producer, marking, extension definitions. */
export function staticRecords(ctx: BuildContext): StixRecord[] {
  const objs = [producerIdentity(ctx), tlpMarking(ctx.tlp), ...(Object.keys(EXTENSIONS) as ExtensionName[]).map((n) => extensionDefinition(n, ctx))];
  return objs.map((o) => ({ source: 'static' as const, key: o.id, at: STATIC_AT, objects: [o] })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function sourceIndex(spec: SourceSpec): number {
  return SOURCE_NAMES.indexOf(spec.name);
}

/** The filter of a source: the researcher filter on its fields and its own conditions. */
export async function sourceFilter(store: Store, spec: SourceSpec, f: TimelineFilter): Promise<Document> {
  return allOf(await buildMongoFilter(store, f, spec.caps, spec.name), spec.extra);
}

/** The documents of one source after a position (and after `addedAfter`), oldest first. */
export async function fetchAfter(
  store: Store,
  spec: SourceSpec,
  base: Document,
  opts: { pos?: Position; addedAfter?: Date; limit: number },
): Promise<Document[]> {
  const tf = spec.caps.timeField;
  const i = sourceIndex(spec);
  const conds: Document[] = [base];
  const p = opts.pos;
  if (p) {
    if (i < p.source) conds.push({ [tf]: { $gt: p.at } });
    else if (i > p.source) conds.push({ [tf]: { $gte: p.at } });
    else conds.push({ $or: [{ [tf]: { $gt: p.at } }, { [tf]: p.at, _id: { $gt: p.id } }] });
  }
  if (opts.addedAfter) conds.push({ [tf]: { $gt: opts.addedAfter } });
  return spec
    .collection(store)
    .find(allOf(...conds), spec.projection ? { projection: spec.projection } : {})
    .sort({ [tf]: 1, _id: 1 })
    .limit(opts.limit)
    .toArray();
}

/** Every record of one source, in keyset pages of `batch`. */
export async function* streamSource(store: Store, spec: SourceSpec, f: TimelineFilter, ctx: BuildContext, batch = 500): AsyncGenerator<StixRecord> {
  const base = await sourceFilter(store, spec, f);
  let pos: Position | undefined;
  for (;;) {
    const docs = await fetchAfter(store, spec, base, { ...(pos ? { pos } : {}), limit: batch });
    if (!docs.length) return;
    for (const r of await buildRecords(store, spec, docs, ctx)) yield r;
    const last = docs[docs.length - 1] as Document;
    pos = { at: last[spec.caps.timeField] as Date, source: sourceIndex(spec), id: String(last._id) };
    if (docs.length < batch) return;
  }
}

export function comparePositions(a: Position, b: Position): number {
  return a.at.getTime() - b.at.getTime() || a.source - b.source || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export interface MergedPage {
  records: StixRecord[];
  more: boolean;
  /** Where the next page starts (after this). */
  last?: Position;
}

interface Candidate {
  pos: Position;
  spec?: SourceSpec;
  doc?: Document;
  record?: StixRecord;
}

/** One TAXII page: the next `limit` records of the sources after `pos`, merged by (time, source, _id). */
export async function mergedPage(
  store: Store,
  specs: SourceSpec[],
  f: TimelineFilter,
  opts: { pos?: Position; addedAfter?: Date; limit: number },
  ctx: BuildContext,
): Promise<MergedPage> {
  const after = (c: Position): boolean => (!opts.pos || comparePositions(c, opts.pos) > 0) && (!opts.addedAfter || c.at > opts.addedAfter);
  const cands: Candidate[] = staticRecords(ctx)
    .map((r) => ({ pos: { at: r.at, source: -1, id: r.key }, record: r }))
    .filter((c) => after(c.pos));
  for (const spec of specs) {
    const docs = await fetchAfter(store, spec, await sourceFilter(store, spec, f), { ...opts, limit: opts.limit + 1 });
    for (const d of docs) cands.push({ pos: { at: d[spec.caps.timeField] as Date, source: sourceIndex(spec), id: String(d._id) }, spec, doc: d });
  }
  cands.sort((a, b) => comparePositions(a.pos, b.pos));
  const page = cands.slice(0, opts.limit);
  const records: StixRecord[] = [];
  for (const c of page) if (c.record) records.push(c.record);
  for (const spec of specs) {
    const docs = page.filter((c) => c.spec === spec && c.doc).map((c) => c.doc as Document);
    if (docs.length) records.push(...(await buildRecords(store, spec, docs, ctx)));
  }
  const order = new Map(page.map((c, i) => [`${c.pos.source}:${c.pos.id}`, i]));
  const idx = (r: StixRecord): number => order.get(`${r.source === 'static' ? -1 : SOURCE_NAMES.indexOf(r.source)}:${r.key}`) ?? 0;
  records.sort((a, b) => idx(a) - idx(b));
  const last = page[page.length - 1]?.pos;
  return { records, more: cands.length > opts.limit, ...(last ? { last } : {}) };
}
