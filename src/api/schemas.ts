import { z } from 'zod';
import { NO_CONTROL_CHARS, toTimelineFilter, type TimelineFilter } from '../research/query-filter';

/** Route schema pieces shared by the API routes (zod → validation and the OpenAPI document). */

export const errorSchema = z.object({ error: z.string(), message: z.string(), issues: z.array(z.string()).optional() });
/** The error answers every route can give (the OpenAPI document lists them all): bad input, no or a wrong token,
 * a researcher token on an analyst route, not found, too many wrong tokens (429, with Retry-After), store down. */
export const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 429: errorSchema, 503: errorSchema };

export const docSchema = z.record(z.string(), z.unknown());

/**
 * A stored key or id in a path: printable text only. NUL and other control characters can be in no stored key, and
 * PostgreSQL under FerretDB refuses them in a query (a 503 otherwise): they are a 400 here.
 */
export function keyParam(max: number) {
  return z.string().min(1).max(max).regex(NO_CONTROL_CHARS, 'no control characters');
}
export const pageSchema = z.object({ items: z.array(docSchema), nextCursor: z.string().nullable() });

export function filterOf(q: Parameters<typeof toTimelineFilter>[0]): TimelineFilter {
  return toTimelineFilter(q);
}

export const periodField = z.enum(['day', 'week']).default('day').describe('time bucket');
export const distributionSchema = z.object({
  count: z.number(),
  min: z.number().optional(),
  p25: z.number().optional(),
  p50: z.number().optional(),
  p75: z.number().optional(),
  p90: z.number().optional(),
  max: z.number().optional(),
  mean: z.number().optional(),
});
export const graphSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      status: z.string(),
      watched: z.boolean(),
      tags: z.array(z.string()),
      firstSeenAt: z.string().optional(),
      removedAt: z.string().optional(),
    }),
  ),
  edges: z.array(
    z.object({
      id: z.string(),
      source: z.string(),
      target: z.string(),
      kind: z.string(),
      weight: z.number(),
      firstAt: z.string().optional(),
      lastAt: z.string().optional(),
      attrs: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  ),
});

/** "true"/"false"/"1"/"0" in a query string. */
export const boolFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Times in responses: ISO 8601 strings (JSON Schema has no Date). */
export const isoTimeOut = z.string().describe('ISO 8601 time');

/** Deep copy with every Date as its ISO string. */
export function withIsoDates<T>(v: T): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(withIsoDates);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withIsoDates(x)]));
  return v;
}
