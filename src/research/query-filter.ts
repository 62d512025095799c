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
  .max(4000)
  .regex(NO_CONTROL_CHARS, 'no control characters')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

/**
 * A comma-separated list of known values (`a,b`): unknown values are a 400, and the OpenAPI document gives the
 * values as a pattern (query parameters cannot be arrays of enums in a plain `a,b` string).
 */
export function enumList(values: readonly string[]) {
  const one = `(${values.join('|')})`;
  return csvList
    .refine((items) => items.every((i) => values.includes(i)), { message: `unknown value; known: ${values.join(', ')}` })
    .meta({ pattern: `^${one}(,${one})*$` });
}

export const timelineFilterFields = {
  /** Inclusive start: a date (00:00 UTC) or an ISO time. */
  from: isoTime.optional().describe('start, inclusive: 2026-11-01 (00:00 UTC) or an ISO time with zone'),
  /** A date means the whole day (up to 24:00 UTC); an ISO time is exclusive. */
  to: isoTime.optional().describe('end: 2026-11-30 includes that whole day (UTC); an ISO time is exclusive'),
  tag: csvList.optional().describe('source tags, comma-separated (any of them)'),
  lang: csvList.optional().describe('detected languages (franc ISO 639-3: arb, eng, und…), comma-separated'),
  source: csvList.optional().describe('source ids from the watch list, comma-separated'),
  channel: csvList.optional().describe('channel keys (tg:123…) or @handles, comma-separated'),
};

export const pageFields = {
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('page size, 1–1000'),
  cursor: z.string().max(500).regex(NO_CONTROL_CHARS, 'no control characters').optional().describe('nextCursor of the previous page'),
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
  if (f.from && f.to && f.from.getTime() >= f.to.getTime()) throw new QueryInputError(`from (${raw.from}) must be before to (${raw.to})`);
  if (raw.tag?.length) f.tags = raw.tag;
  if (raw.lang?.length) f.langs = raw.lang;
  if (raw.source?.length) f.sourceIds = raw.source;
  if (raw.channel?.length) f.channels = raw.channel;
  return f;
}

/** Keyset cursor: the sort time and `_id` of the last item of a page (opaque base64url JSON). */
export function encodeCursor(at: Date | string, id: string): string {
  return Buffer.from(JSON.stringify([at instanceof Date ? at.toISOString() : at, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date | string; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
      const at = /^\d{4}-\d{2}-\d{2}T/.test(v[0]) ? new Date(v[0]) : v[0];
      if (at instanceof Date && Number.isNaN(at.getTime())) throw new Error('bad time');
      return { at, id: v[1] };
    }
  } catch {
    /* fall through */
  }
  throw new QueryInputError(`cursor: not a cursor returned by this API: "${cursor.slice(0, 40)}"`);
}
