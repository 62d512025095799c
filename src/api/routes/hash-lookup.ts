import { z } from 'zod';
import { HashLookup, SIGNAL_TYPES } from '../../share/hash-lookup';
import type { Api, ApiDeps } from '../types';
import { errors } from '../schemas';

const match = z.object({
  bank_content_id: z.string(),
  distance: z.string(),
  label: z.string().optional(),
  cluster: z
    .object({
      id: z.string(),
      kind: z.string(),
      firstSeenAt: z.string(),
      originChannelKey: z.string(),
      originPostKey: z.string(),
      channels: z.array(z.string()),
    })
    .optional(),
  sightings: z
    .object({
      total: z.number(),
      latest: z.array(z.object({ channelKey: z.string(), postKey: z.string(), at: z.string(), matchedVia: z.string(), distance: z.number() })),
    })
    .optional(),
});

/** GET /api/v1/hashes/lookup: HMA-style lookup of a PDQ hash (or a video's frame PDQs) in the media index. */
export function registerHashLookupRoutes(app: Api, deps: ApiDeps): void {
  let lookup: HashLookup | undefined;
  app.get(
    '/api/v1/hashes/lookup',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['sharing'],
        summary:
          "Look a hash up in the media index, in the shape of HMA's GET /m/lookup with signal_type: an object keyed by bank (a media cluster mc:…, or an imported hash list list:<name>), each a list of { bank_content_id, distance } with the cluster and its latest 20 sightings; at most 50 matches",
        querystring: z
          .object({
            signal_type: z.enum(SIGNAL_TYPES).describe('pdq: PDQ hashes of pictures; video_frames: the PDQ hashes of one video frame bag'),
            signal: z
              .string()
              .regex(/^[0-9a-fA-F]{64}(,[0-9a-fA-F]{64}){0,63}$/, 'PDQ hashes: 64 hex digits each, comma-separated, at most 64')
              .describe('one PDQ hash (64 hex digits), or up to 64 comma-separated (any of them; for video_frames, the frames of one video)'),
          })
          .strict(),
        response: { 200: z.record(z.string(), z.array(match)), ...errors },
      },
    },
    async (req, reply) => {
      if (!deps.redis)
        return reply
          .code(503)
          .send({ error: 'index_unavailable', message: 'the hash index follows the fingerprint feed in Redis, which this API has not got' });
      lookup ??= new HashLookup(deps.store, deps.redis, deps.settings);
      return lookup.lookup(req.query.signal_type, req.query.signal);
    },
  );
}
