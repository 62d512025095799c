import { Readable } from 'node:stream';
import { z } from 'zod';
import { enumList, timelineFilterFields } from '../../research/query-filter';
import { stixBundleChunks } from '../../share/stix/bundle';
import { sourceFilter } from '../../share/stix/read';
import { sourcesOf, STIX_KINDS, type StixKind } from '../../share/stix/sources';
import type { Api, ApiDeps } from '../types';
import { errors, filterOf } from '../schemas';

/** The media type of a STIX 2.1 bundle. */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

const { lang: _lang, ...filterFields } = timelineFilterFields;

export const stixKindField = enumList(STIX_KINDS)
  .optional()
  .describe(`what to export, comma-separated: ${STIX_KINDS.join(', ')} (default: all)`);

/** GET /api/v1/export/stix: a STIX 2.1 bundle of the matching records (streamed). */
export function registerStixRoutes(app: Api, deps: ApiDeps): void {
  const query = z.object({ ...filterFields, kind: stixKindField }).strict();
  app.get(
    '/api/v1/export/stix',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['exports'],
        summary:
          'A STIX 2.1 bundle (docs/sharing.md): channels as user-accounts, posts as urls, media as files (hashes only), resurfacings as relationships, takedowns as observed-data; every object TLP-marked (share.tlp)',
        querystring: query,
        response: { 200: z.string().describe(STIX_MEDIA_TYPE), ...errors },
      },
    },
    async (req, reply) => {
      const q = req.query as Record<string, unknown> & z.output<typeof query>;
      const f = filterOf(q);
      const kinds = (q.kind ?? STIX_KINDS) as StixKind[];
      // a bad filter (an unknown @handle) fails here, before the stream starts
      for (const spec of sourcesOf(kinds)) await sourceFilter(deps.store, spec, f);
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '');
      return reply
        .type(STIX_MEDIA_TYPE)
        .header('content-disposition', `attachment; filename="hydrawatch-stix-${stamp}.json"`)
        .send(Readable.from(stixBundleChunks(deps.store, kinds, f, { tlp: deps.settings.share.tlp })) as unknown as string); // streamed
    },
  );
}
