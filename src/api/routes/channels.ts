import { z } from 'zod';
import { PLATFORMS } from '../../config/schema';
import { csvList, CURSOR_PATTERN } from '../../research/query-filter';
import { listChannels } from '../../research/listings';
import { lineageGraph } from '../../research/graphs';
import type { Api, ApiDeps } from '../types';
import { docSchema, errors, keyParam, pageSchema } from '../schemas';

const csv = csvList;

/** GET /api/v1/channels and /api/v1/channels/{key}: current state, handles, events and lineage. */
export function registerChannelRoutes(app: Api, deps: ApiDeps): void {
  const listQuery = z
    .object({
      tag: csv.optional().describe('source tags, comma-separated'),
      source: csv.optional().describe('source ids, comma-separated'),
      status: z.enum(['active', 'removed', 'not_found', 'private', 'not_channel']).optional(),
      platform: z.enum(PLATFORMS).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(500),
      cursor: z.string().max(500).regex(CURSOR_PATTERN, 'a nextCursor returned by this API').optional(),
    })
    .strict();
  app.get(
    '/api/v1/channels',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['channels'],
        summary: 'Channels with their current state, every handle they used, first seen and removed at',
        querystring: listQuery,
        response: { 200: pageSchema, ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      return listChannels(
        deps.store,
        {
          ...(q.tag ? { tags: q.tag } : {}),
          ...(q.source ? { sourceIds: q.source } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.platform ? { platform: q.platform } : {}),
        },
        { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) },
      );
    },
  );

  app.get(
    '/api/v1/channels/:key',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['channels'],
        summary: 'One channel: state, its 200 latest events, its successors/predecessors and the lineage chains it is part of',
        params: z.object({ key: keyParam(200) }),
        response: { 200: z.object({ channel: docSchema, events: z.array(docSchema), lineage: z.array(z.array(z.string())) }), ...errors },
      },
    },
    async (req, reply) => {
      const channel = await deps.store.channels.findOne({ _id: req.params.key }, { projection: { pendingEvents: 0 } });
      if (!channel) return reply.code(404).send({ error: 'not_found', message: `no channel "${req.params.key}"` });
      const events = await deps.store.events.find({ channelKey: req.params.key }).sort({ at: -1 }).limit(200).toArray();
      const lineage = (await lineageGraph(deps.store)).chains.filter((c) => c.includes(req.params.key));
      return { channel, events, lineage };
    },
  );
}
