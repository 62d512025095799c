import { z } from 'zod';
import { timelineFilterFields } from '../../research/query-filter';
import { mispFilterOf } from '../../share/misp/filter';
import { buildMispEvent } from '../../share/misp/build';
import { readMispInput } from '../../share/misp/read';
import type { Api, ApiDeps } from '../types';
import { errors, keyParam } from '../schemas';

/** GET /api/v1/export/misp: a MISP event (misp-objects templates) of channels, media and successions. */
export function registerMispRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/api/v1/export/misp',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['sharing'],
        summary:
          "A MISP event in MISP's JSON format: channels (telegram-account, youtube-channel, social-media-group), media items (file, with the PDQ as text) and references (shared-by, duplicate-of for re-uploads, successor-of for resurfaced channels); at most 500 channels, 200 sightings each, 2,000 media items",
        querystring: z
          .object({
            from: timelineFilterFields.from,
            to: timelineFilterFields.to,
            tag: keyParam(200).optional().describe('channels of the sources with this tag'),
            channel: keyParam(300).optional().describe('one channel key (tg:123…)'),
          })
          .strict(),
        response: { 200: z.object({ Event: z.record(z.string(), z.unknown()) }), ...errors },
      },
    },
    async (req, reply) => {
      const input = await readMispInput(deps.store, mispFilterOf(req.query));
      const day = input.generatedAt.toISOString().slice(0, 10);
      return reply.header('content-disposition', `attachment; filename="hydrawatch-misp-${day}.json"`).send(buildMispEvent(input));
    },
  );
}
