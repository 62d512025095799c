import { z } from 'zod';
import { resurfacingView } from '../../research/resurfacing-view';
import type { Api, ApiDeps } from '../types';
import { errors, keyParam } from '../schemas';

const view = z.object({
  id: z.string(),
  at: z.string(),
  score: z.number(),
  foundVia: z.array(z.string()),
  predecessor: z.object({ key: z.string(), handle: z.string(), title: z.string().optional(), status: z.string().optional(), removedAt: z.string().optional() }),
  successor: z.object({ key: z.string(), handle: z.string(), title: z.string().optional(), status: z.string().optional(), firstPostAt: z.string().optional() }),
  signals: z.record(z.string(), z.number()),
  delayMs: z.number().nullable(),
  lineage: z.array(z.string()),
  sharedMedia: z.array(
    z.object({
      clusterId: z.string(),
      items: z.array(
        z.object({ sha256: z.string(), md5: z.string().optional(), pdq: z.string().optional(), quality: z.number().optional(), kind: z.string() }),
      ),
    }),
  ),
});

/** GET /api/v1/resurfacings/{id}: the evidence of one resurfacing, what the alert email's "Details" link opens. */
export function registerResurfacingRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/api/v1/resurfacings/:id',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['channels'],
        summary:
          "One resurfacing (a `resurfaced` event id): predecessor, successor, score, each signal's value, how it was found, and the shared media as cluster ids and hashes (never the media)",
        params: z.object({ id: keyParam(300) }),
        response: { 200: z.object({ resurfacing: view }), ...errors },
      },
    },
    async (req, reply) => {
      const r = await resurfacingView(deps.store, req.params.id);
      if (!r) return reply.code(404).send({ error: 'not_found', message: `no resurfacing "${req.params.id}"` });
      return { resurfacing: r };
    },
  );
}
