import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { z } from 'zod';
import { clusterStats } from '../../media/cluster-stats';
import { keptFilePath } from '../../media/intake';
import { MATCHED_VIA_LABELS } from '../../media/types';
import type { Api, ApiDeps } from '../types';
import { docSchema, errors, withIsoDates } from '../schemas';

const THUMB_PX = 192;

/** GET /api/v1/clusters/{id} (hashes, metadata, sightings) and its thumbnails (only with `retention: file`, blurred unless asked). */
export function registerClusterRoutes(app: Api, deps: ApiDeps): void {
  const idParam = z.object({ id: z.string().regex(/^mc:[0-9a-f]{4,64}$/, 'a cluster id such as mc:1a2b3c…') });
  app.get(
    '/api/v1/clusters/:id',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['media'],
        summary:
          'One media cluster: figures, every item (SHA-256, MD5, PDQ and quality, size, number of stored views; never the bytes) and the latest 500 sightings (each with how it matched: matchedVia and matchedViaLabel)',
        params: idParam,
        response: { 200: z.object({ cluster: docSchema, stats: docSchema.nullable(), items: z.array(docSchema), sightings: z.array(docSchema) }), ...errors },
      },
    },
    async (req, reply) => {
      const cluster = await deps.store.clusters.findOne({ _id: req.params.id });
      if (!cluster) return reply.code(404).send({ error: 'not_found', message: `no media cluster "${req.params.id}"` });
      const items = await deps.store.mediaItems.find({ clusterId: req.params.id }).sort({ firstSeenAt: 1 }).limit(200).toArray();
      const sightings = await deps.store.sightings.find({ clusterId: req.params.id }).sort({ at: -1 }).limit(500).toArray();
      const stats = await clusterStats(deps.store, req.params.id);
      return {
        cluster,
        stats: stats ? (withIsoDates(stats) as Record<string, unknown>) : null,
        // the stored path and the bulky hashes stay server-side; `thumbnail` says whether /thumbnail can serve one
        items: items.map(({ filePath, frames, frameWindows, views, ...it }) => ({
          ...it,
          frameCount: frames?.length ?? 0,
          viewCount: views?.length ?? 0,
          thumbnail: Boolean(filePath) && it.kind === 'image',
        })),
        sightings: sightings.map((s) => ({ ...s, matchedViaLabel: MATCHED_VIA_LABELS[s.matchedVia] ?? s.matchedVia })),
      };
    },
  );

  app.get(
    '/api/v1/clusters/:id/items/:sha256/thumbnail',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['media'],
        summary: 'Thumbnail of a kept image (sources with `retention: file` only): JPEG, blurred unless reveal=true',
        params: idParam.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 hex digits') }),
        querystring: z.object({ reveal: z.enum(['true', 'false']).default('false') }).strict(),
        response: { 200: z.string().describe('image/jpeg'), ...errors },
      },
    },
    async (req, reply) => {
      const item = await deps.store.mediaItems.findOne({ _id: `sha256:${req.params.sha256}` });
      if (!item || item.clusterId !== req.params.id)
        return reply.code(404).send({ error: 'not_found', message: `no item ${req.params.sha256} in ${req.params.id}` });
      if (!item.filePath || item.kind !== 'image')
        return reply.code(404).send({ error: 'not_found', message: 'no thumbnail: this item was kept as hashes only (retention: hash-only) or is a video' });
      // the path is derived from the hash under the configured media dir, never taken from the database
      const bytes = await readFile(keptFilePath(deps.settings, item.sha256)).catch(() => undefined);
      if (!bytes) return reply.code(404).send({ error: 'not_found', message: 'the kept file is gone (removed by retention or another machine)' });
      let img = sharp(bytes, { limitInputPixels: deps.settings.media.maxPixels }).rotate().resize(THUMB_PX, THUMB_PX, { fit: 'inside' });
      if (req.query.reveal !== 'true') img = img.blur(12);
      const out = await img.jpeg({ quality: 70 }).toBuffer();
      return reply
        .type('image/jpeg')
        .header('cache-control', 'private, no-store')
        .send(out as never);
    },
  );
}
