import { Readable } from 'node:stream';
import { z } from 'zod';
import { CHANNEL_EVENT_TYPES } from '../../core/channel-transitions';
import { exportChunks } from '../../research/export';
import { countMatching, listPage, type ExtraFilter, type Listable } from '../../research/listings';
import { csvList, enumList, pageFields, timelineFilterFields } from '../../research/query-filter';
import { ALERT_KINDS, findAlert } from '../../store/repos/alerts';
import type { Api, ApiDeps } from '../types';
import { boolFlag, docSchema, errors, keyParam, filterOf, pageSchema } from '../schemas';

const csv = csvList;

const EXTRA = {
  posts: {},
  events: {
    type: enumList(CHANNEL_EVENT_TYPES)
      .optional()
      .describe(`event types, comma-separated: ${CHANNEL_EVENT_TYPES.join(', ')}`),
  },
  sightings: {
    cluster: csv.optional().describe('media cluster ids, comma-separated'),
    afterTakedown: boolFlag.optional().describe('only re-uploads after the origin channel was removed'),
  },
  alerts: {
    kind: enumList(ALERT_KINDS)
      .optional()
      .describe(`alert kinds, comma-separated: ${ALERT_KINDS.join(', ')}`),
    status: z.enum(['pending', 'sent', 'unconfirmed']).optional(),
  },
} as const;

const SUMMARY: Record<Listable, string> = {
  posts: 'Posts (newest first by default), filtered by time, tag, language, source and channel',
  events: 'Channel events: first seen, renamed, removed, restored, resurfaced…',
  sightings: 'Media sightings: which media cluster appeared in which channel and post, and when',
  alerts: 'Alerts raised, with their delivery status (bodies in /api/v1/alerts/{id})',
};

function extraOf(kind: Listable, q: Record<string, unknown>): ExtraFilter {
  const x: ExtraFilter = {};
  if (kind === 'events' && Array.isArray(q.type)) x.types = q.type as string[];
  if (kind === 'alerts' && Array.isArray(q.kind)) x.types = q.kind as string[];
  if (kind === 'alerts' && typeof q.status === 'string') x.status = q.status;
  if (kind === 'sightings' && Array.isArray(q.cluster)) x.clusters = q.cluster as string[];
  if (kind === 'sightings' && q.afterTakedown === true) x.afterTakedown = true;
  return x;
}

/** The filters a kind takes: only posts have a language, so `lang` is an unknown parameter (a 400) elsewhere. */
function filterFields(kind: Listable) {
  if (kind === 'posts') return timelineFilterFields;
  const { lang: _lang, ...rest } = timelineFilterFields;
  return rest;
}

/** GET /api/v1/{posts,events,sightings,alerts} (paged) and GET /api/v1/export/{kind} (CSV / NDJSON stream). */
export function registerTimelineRoutes(app: Api, deps: ApiDeps): void {
  for (const kind of ['posts', 'events', 'sightings', 'alerts'] as const) {
    const query = z.object({ ...filterFields(kind), ...pageFields, ...EXTRA[kind] }).strict();
    app.get(
      `/api/v1/${kind}`,
      {
        config: { role: 'researcher' },
        schema: { tags: ['timelines'], summary: SUMMARY[kind], querystring: query, response: { 200: pageSchema, ...errors } },
      },
      async (req) => {
        const q = req.query as Record<string, unknown> & z.output<typeof query>;
        const limit = Math.min(q.limit, deps.settings.api.maxPageSize);
        return listPage(deps.store, kind, filterOf(q), extraOf(kind, q), { limit, order: q.order, ...(q.cursor ? { cursor: q.cursor } : {}) });
      },
    );

    const exportQuery = z.object({ ...filterFields(kind), ...EXTRA[kind], format: z.enum(['csv', 'ndjson']).default('csv') }).strict();
    app.get(
      `/api/v1/export/${kind}`,
      {
        config: { role: 'researcher' },
        schema: {
          tags: ['exports'],
          summary: `Every matching ${kind === 'posts' ? 'post' : kind.slice(0, -1)} as CSV or NDJSON, oldest first (streamed)`,
          querystring: exportQuery,
          response: { 200: z.string().describe('text/csv or application/x-ndjson'), ...errors },
        },
      },
      async (req, reply) => {
        const q = req.query as Record<string, unknown> & z.output<typeof exportQuery>;
        const f = filterOf(q);
        const x = extraOf(kind, q);
        const total = await countMatching(deps.store, kind, f, x); // a bad filter fails here, before the stream starts
        const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '');
        return reply
          .type(q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
          .header('content-disposition', `attachment; filename="hydrawatch-${kind}-${stamp}.${q.format}"`)
          .header('x-total-count', String(total))
          .send(Readable.from(exportChunks(deps.store, kind, q.format, f, x)) as unknown as string); // streamed: not serialized
      },
    );
  }

  app.get(
    '/api/v1/alerts/:id',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['timelines'],
        summary: 'One alert with its email text and delivery status',
        params: z.object({ id: keyParam(300) }),
        response: { 200: docSchema, ...errors },
      },
    },
    async (req, reply) => {
      const doc = await findAlert(deps.store, req.params.id);
      if (!doc) return reply.code(404).send({ error: 'not_found', message: `no alert "${req.params.id}"` });
      return doc;
    },
  );
}
