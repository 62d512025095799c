import { z } from 'zod';

/**
 * The researcher filters shared by the REST API, the CLI and the exports. Pure: parsing and validation only; the
 * store adapters turn a parsed filter into a portable MongoDB filter (research/filter-to-mongo.ts).
 */

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** RFC 3339 date-time (any fraction of a second, either case of T and Z), seconds optional. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/** `2026-11-01` (UTC day) or a full ISO time with zone. The OpenAPI document says so: format date or date-time. */
const isoTime = z
  .string()
  .trim()
  .refine((s) => (DATE_ONLY.test(s) || DATE_TIME.test(s)) && !Number.isNaN(Date.parse(s)), {
    message: 'must be a date (2026-11-01) or an ISO time with zone (2026-11-01T12:00:00Z)',
  })
  .meta({ anyOf: [{ format: 'date-time' }, { format: 'date' }], example: '2026-11-01T00:00:00Z' });

/**
 * Printable text: NUL and other control characters are in no stored key, tag or handle, and PostgreSQL under
 * FerretDB refuses some of them in a query (a 503 otherwise). They are a 400.
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;

/** `a,b,c` → ['a','b','c'] (empty items dropped). */
export const csvList = z
  .string()
  .max(2000)
  .regex(NO_CONTROL_CHARS, 'no control characters')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

/**
 * A comma-separated list of known values (`a,b`), no more items than there are values: exactly what the pattern the OpenAPI document
 * gives says (query parameters cannot be arrays of enums in a plain `a,b` string), so anything else (an unknown
 * value, a space, an empty item, more items than there are values) is a 400 naming the known values.
 */
export function enumList(values: readonly string[]) {
  const one = `(${values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
  return z
    .string()
    .regex(new RegExp(`^${one}(,${one}){0,${values.length - 1}}$`), `a comma-separated list of these values: ${values.join(', ')}`)
    .transform((s) => s.split(','));
}

export const timelineFilterFields = {
  /** Inclusive start: a date (00:00 UTC) or an ISO time. */
  from: isoTime.optional().describe('start, inclusive: 2026-11-01 (00:00 UTC) or an ISO time with zone'),
  /** A date means the whole day (up to 24:00 UTC); an ISO time is exclusive. */
  to: isoTime.optional().describe('end: 2026-11-30 includes that whole day (UTC); an ISO time is exclusive; a from at or after it is an empty range'),
  tag: csvList.optional().describe('source tags, comma-separated (any of them)'),
  lang: csvList.optional().describe('detected languages (franc ISO 639-3: arb, eng, und…), comma-separated'),
  source: csvList.optional().describe('source ids from the watch list, comma-separated'),
  channel: csvList.optional().describe('channel keys (tg:123…) or @handles, comma-separated'),
};

/**
 * Keyset cursor: the sort time (milliseconds since 1970, or nothing when the listing sorts by `_id` alone) and the
 * `_id` of the last item of a page, as `<ms>.<id>`. The OpenAPI document gives its pattern, and every text that
 * matches it is a position a page can start after (a 400 otherwise).
 */
// eslint-disable-next-line no-control-regex -- a cursor is printable text
export const CURSOR_PATTERN = /^(-?[0-9]{1,15})?\.[^\u0000-\u001f\u007f]*$/;

export const pageFields = {
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('page size, 1–1000'),
  cursor: z.string().max(500).regex(CURSOR_PATTERN, 'a nextCursor returned by this API').optional().describe('nextCursor of the previous page'),
  order: z.enum(['asc', 'desc']).default('desc').describe('by time'),
};

/** The parsed form every query function takes. */
export interface TimelineFilter {
  from?: Date;
  /** Exclusive. */
  to?: Date;
  tags?: string[];
  langs?: string[];
  sourceIds?: string[];
  /** Channel keys or @handles (resolved to keys against the store). */
  channels?: string[];
}

export interface PageRequest {
  limit: number;
  cursor?: string;
  order: 'asc' | 'desc';
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class QueryInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryInputError';
  }
}

/** `to` as an exclusive bound: a bare date covers that whole UTC day. */
export function parseBound(s: string, which: 'from' | 'to'): Date {
  const d = new Date(DATE_ONLY.test(s) ? `${s}T00:00:00Z` : s);
  if (Number.isNaN(d.getTime())) throw new QueryInputError(`${which}: not a date: "${s}"`);
  if (which === 'to' && DATE_ONLY.test(s)) return new Date(d.getTime() + 86400_000);
  return d;
}

export function toTimelineFilter(raw: {
  from?: string | undefined;
  to?: string | undefined;
  tag?: string[] | undefined;
  lang?: string[] | undefined;
  source?: string[] | undefined;
  channel?: string[] | undefined;
}): TimelineFilter {
  const f: TimelineFilter = {};
  if (raw.from) f.from = parseBound(raw.from, 'from');
  if (raw.to) f.to = parseBound(raw.to, 'to');
  // from at or after to is an empty range ([from, to) holds no instant), not an error: every pair of valid times is
  // a valid query, as the OpenAPI document says
  if (raw.tag?.length) f.tags = raw.tag;
  if (raw.lang?.length) f.langs = raw.lang;
  if (raw.source?.length) f.sourceIds = raw.source;
  if (raw.channel?.length) f.channels = raw.channel;
  return f;
}

export function encodeCursor(at: Date | '', id: string): string {
  return `${at instanceof Date ? at.getTime() : ''}.${id}`;
}

export function decodeCursor(cursor: string): { at: Date | ''; id: string } {
  const m = CURSOR_PATTERN.exec(cursor);
  if (!m) throw new QueryInputError(`cursor: not a cursor returned by this API: "${cursor.slice(0, 40)}"`);
  return { at: m[1] === undefined ? '' : new Date(Number(m[1])), id: cursor.slice(cursor.indexOf('.') + 1) };
}
