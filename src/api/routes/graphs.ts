import { z } from 'zod';
import { channelNetwork, lineageGraph } from '../../research/graphs';
import { toGexf } from '../../research/export-formats';
import { timelineFilterFields } from '../../research/query-filter';
import type { Api, ApiDeps } from '../types';
import { errors, filterOf, graphSchema } from '../schemas';

const format = z.enum(['json', 'gexf']).default('json').describe('gexf: GEXF 1.3 for Gephi');

/** GET /api/v1/network and /api/v1/lineage, as JSON or GEXF. */
export function registerGraphRoutes(app: Api, deps: ApiDeps): void {
  const netQuery = z.object({ ...timelineFilterFields, format }).strict();
  app.get(
    '/api/v1/network',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['graphs'],
        summary: 'Forward, link and mention network between channels (edge weight: number of posts), from the posts matching the filter',
        querystring: netQuery,
        response: { 200: graphSchema, ...errors },
      },
    },
    async (req, reply) => {
      const g = await channelNetwork(deps.store, filterOf(req.query));
      if (req.query.format === 'gexf')
        return reply
          .type('application/gexf+xml; charset=utf-8')
          .header('content-disposition', 'attachment; filename="hydrawatch-network.gexf"')
          .serializer((p: unknown) => String(p))
          .send(toGexf(g, { title: 'hydrawatch channel network (forwards, links, mentions)' }) as never);
      return g;
    },
  );

  const f = timelineFilterFields;
  const linQuery = z.object({ from: f.from, to: f.to, tag: f.tag, source: f.source, format }).strict();
  app.get(
    '/api/v1/lineage',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['graphs'],
        summary: 'Lineage graph of resurfaced channels (predecessor → successor, weight: score) and the maximal chains A → A2 → A3',
        querystring: linQuery,
        response: { 200: graphSchema.extend({ chains: z.array(z.array(z.string())) }), ...errors },
      },
    },
    async (req, reply) => {
      const g = await lineageGraph(deps.store, filterOf(req.query));
      if (req.query.format === 'gexf')
        return reply
          .type('application/gexf+xml; charset=utf-8')
          .header('content-disposition', 'attachment; filename="hydrawatch-lineage.gexf"')
          .serializer((p: unknown) => String(p))
          .send(toGexf(g, { title: 'hydrawatch lineage (resurfaced channels)' }) as never);
      return g;
    },
  );
}
