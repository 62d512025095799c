import { z } from 'zod';
import {
  channelTimeline,
  eventsPer,
  hydraIndex,
  mediaSpread,
  postsPer,
  resurfacingDelay,
  timeToTakedown,
  topClusters,
  TREND_EVENT_TYPES,
} from '../../research/trends';
import { csvList, enumList, timelineFilterFields } from '../../research/query-filter';
import type { EventDoc } from '../../store/repos/channels';
import { crossPlatformSpread, takedownsByPlatform, viewVelocity } from '../../research/video-trends';
import { PLATFORMS } from '../../config/schema';
import { CHANNEL_EVENT_TYPES } from '../../core/channel-transitions';
import type { Api, ApiDeps } from '../types';
import { distributionSchema, errors, keyParam, filterOf, isoTimeOut, periodField, withIsoDates } from '../schemas';

const f = timelineFilterFields;
const csv = csvList;
const EVENT_TYPES = CHANNEL_EVENT_TYPES;

const clusterStats = z.object({
  clusterId: z.string(),
  kind: z.string().optional(),
  originChannelKey: z.string().optional(),
  channels: z.number(),
  sightings: z.number(),
  afterTakedown: z.number(),
  firstSeen: isoTimeOut,
  lastSeen: isoTimeOut,
});

const RESEARCHER = { config: { role: 'researcher' as const } };
const distQuery = z.object({ from: f.from, to: f.to, tag: f.tag, source: f.source, channel: f.channel }).strict();

/** GET /api/v1/trends/*: counts per period, distributions, the hydra index and media spread. */
export function registerTrendRoutes(app: Api, deps: ApiDeps): void {
  registerPostTrendRoute(app, deps);
  registerEventTrendRoute(app, deps);
  registerDistributionRoutes(app, deps);
  registerMediaSpreadRoute(app, deps);
  registerTopClustersRoute(app, deps);
  registerViewVelocityRoute(app, deps);
  registerTakedownsByPlatformRoute(app, deps);
  registerCrossPlatformRoute(app, deps);
  registerChannelTimelineRoute(app, deps);
}

/** GET /api/v1/trends/posts: posts per day or week, by channel, tag or language. */
function registerPostTrendRoute(app: Api, deps: ApiDeps): void {
  const postsQuery = z.object({ ...f, period: periodField, by: z.enum(['channel', 'tag', 'lang', 'total']).default('total').describe('split by') }).strict();
  app.get(
    '/api/v1/trends/posts',
    {
      ...RESEARCHER,
      schema: {
        tags: ['trends'],
        summary: 'Posts per day or ISO week, by channel, tag or language',
        querystring: postsQuery,
        response: {
          200: z.object({ period: z.string(), by: z.string(), rows: z.array(z.object({ period: z.string(), key: z.string(), posts: z.number() })) }),
          ...errors,
        },
      },
    },
    async (req) => ({ period: req.query.period, by: req.query.by, rows: await postsPer(deps.store, req.query.period, req.query.by, filterOf(req.query)) }),
  );
}

/** GET /api/v1/trends/events: new channels, takedowns and resurfacings per period. */
function registerEventTrendRoute(app: Api, deps: ApiDeps): void {
  const evQuery = z
    .object({
      from: f.from,
      to: f.to,
      tag: f.tag,
      source: f.source,
      channel: f.channel,
      period: z.enum(['day', 'week']).default('week'),
      types: enumList(EVENT_TYPES)
        .optional()
        .describe(`comma-separated, default ${TREND_EVENT_TYPES.join(',')}`),
    })
    .strict();
  app.get(
    '/api/v1/trends/events',
    {
      ...RESEARCHER,
      schema: {
        tags: ['trends'],
        summary: 'New channels (first_seen), takedowns (removed) and resurfacings per week or day',
        querystring: evQuery,
        response: { 200: z.object({ period: z.string(), rows: z.array(z.object({ period: z.string(), type: z.string(), count: z.number() })) }), ...errors },
      },
    },
    async (req) => {
      const types = req.query.types ?? TREND_EVENT_TYPES;
      return { period: req.query.period, rows: await eventsPer(deps.store, req.query.period, filterOf(req.query), types as EventDoc['type'][]) };
    },
  );
}

/** GET /api/v1/trends/time-to-takedown, resurfacing-delay and hydra: the takedown and resurfacing distributions. */
function registerDistributionRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/api/v1/trends/time-to-takedown',
    {
      ...RESEARCHER,
      schema: {
        tags: ['trends'],
        summary: 'Distribution of time-to-takedown (first seen → removed), hours; percentiles nearest-rank',
        querystring: distQuery,
        response: { 200: z.object({ unit: z.literal('hours'), distribution: distributionSchema }), ...errors },
      },
    },
    async (req) => ({ unit: 'hours' as const, distribution: await timeToTakedown(deps.store, filterOf(req.query)) }),
  );

  app.get(
    '/api/v1/trends/resurfacing-delay',
    {
      ...RESEARCHER,
      schema: {
        tags: ['trends'],
        summary: "Distribution of the resurfacing delay (removed → successor's first post), hours",
        querystring: distQuery,
        response: { 200: z.object({ unit: z.literal('hours'), distribution: distributionSchema }), ...errors },
      },
    },
    async (req) => ({ unit: 'hours' as const, distribution: await resurfacingDelay(deps.store, filterOf(req.query)) }),
  );

  app.get(
    '/api/v1/trends/hydra',
    {
      ...RESEARCHER,
      schema: {
        tags: ['trends'],
        summary: 'The hydra index: successors per takedown, and lineage chain lengths (A → A2 → A3 is 3)',
        querystring: distQuery,
        response: {
          200: z.object({
            takedowns: z.number(),
            successors: z.number(),
            successorsPerTakedown: z.number(),
            resurfacedTakedowns: z.number(),
            chainLengths: distributionSchema,
          }),
          ...errors,
        },
      },
    },
    async (req) => hydraIndex(deps.store, filterOf(req.query)),
  );
}

/** GET /api/v1/trends/media-spread: per cluster and period, sightings and channels. */
function registerMediaSpreadRoute(app: Api, deps: ApiDeps): void {
  const spreadQuery = z
    .object({
      from: f.from,
      to: f.to,
      tag: f.tag,
      source: f.source,
      channel: f.channel,
      period: periodField,
      cluster: csv.optional().describe('cluster ids; default: the top clusters'),
      top: z.coerce.number().int().min(1).max(100).default(10),
    })
    .strict();
  app.get(
    '/api/v1/trends/media-spread',
    {
      ...RESEARCHER,
      schema: {
        tags: ['trends'],
        summary: 'Media spread: per cluster and period, sightings, new and cumulative channels, re-uploads after takedown',
        querystring: spreadQuery,
        response: {
          200: z.object({
            period: z.string(),
            clusters: z.array(
              clusterStats.extend({
                series: z.array(
                  z.object({ period: z.string(), sightings: z.number(), newChannels: z.number(), channels: z.number(), afterTakedown: z.number() }),
                ),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) =>
      withIsoDates({
        period: req.query.period,
        clusters: await mediaSpread(deps.store, req.query.period, filterOf(req.query), {
          ...(req.query.cluster ? { clusters: req.query.cluster } : {}),
          top: req.query.top,
        }),
      }) as never,
  );
}

/** GET /api/v1/trends/top-clusters: the media clusters seen in the most channels. */
function registerTopClustersRoute(app: Api, deps: ApiDeps): void {
  const topQuery = z
    .object({ from: f.from, to: f.to, tag: f.tag, source: f.source, channel: f.channel, limit: z.coerce.number().int().min(1).max(500).default(20) })
    .strict();
  app.get(
    '/api/v1/trends/top-clusters',
    {
      ...RESEARCHER,
      schema: {
        tags: ['trends'],
        summary: 'Top re-uploaded media clusters: seen in the most channels',
        querystring: topQuery,
        response: { 200: z.object({ clusters: z.array(clusterStats) }), ...errors },
      },
    },
    async (req) => withIsoDates({ clusters: await topClusters(deps.store, req.query.limit, filterOf(req.query)) }) as never,
  );
}

/** GET /api/v1/trends/view-velocity: views 1, 6 and 24 h after first seen. */
function registerViewVelocityRoute(app: Api, deps: ApiDeps): void {
  const velocityQuery = z
    .object({
      from: f.from,
      to: f.to,
      tag: f.tag,
      source: f.source,
      channel: f.channel,
      platform: z.enum(PLATFORMS).optional().describe('only this platform'),
      limit: z.coerce.number().int().min(1).max(5000).default(100).describe('posts listed (fastest first)'),
    })
    .strict();
  const velocityRow = { h1: z.number().optional(), h6: z.number().optional(), h24: z.number().optional() };
  app.get(
    '/api/v1/trends/view-velocity',
    {
      ...RESEARCHER,
      schema: {
        tags: ['trends'],
        summary:
          'View velocity: views 1, 6 and 24 h after first seen, per post (YouTube videos, Archive items) and per channel (medians); from/to bound the first sighting',
        querystring: velocityQuery,
        response: {
          200: z.object({
            hours: z.array(z.number()),
            posts: z.array(
              z.object({
                postKey: z.string(),
                channelKey: z.string(),
                platform: z.string(),
                firstSeenAt: isoTimeOut,
                latestViews: z.number(),
                latestAt: isoTimeOut,
                ...velocityRow,
              }),
            ),
            channels: z.array(
              z.object({
                channelKey: z.string(),
                platform: z.string(),
                posts: z.number(),
                reached24h: z.number(),
                max24h: z.number().optional(),
                ...velocityRow,
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const v = await viewVelocity(deps.store, filterOf(req.query), req.query.platform ? { platform: req.query.platform } : {});
      return withIsoDates({ hours: [1, 6, 24], posts: v.posts.slice(0, req.query.limit), channels: v.channels }) as never;
    },
  );
}

/** GET /api/v1/trends/takedowns-by-platform: time to takedown per platform. */
function registerTakedownsByPlatformRoute(app: Api, deps: ApiDeps): void {
  app.get(
    '/api/v1/trends/takedowns-by-platform',
    {
      ...RESEARCHER,
      schema: {
        tags: ['trends'],
        summary: "Time to takedown per platform (hours, first seen → removed): channels and posts (videos, items) apart, with the posts' takedown reasons",
        querystring: distQuery,
        response: {
          200: z.object({
            unit: z.literal('hours'),
            platforms: z.array(
              z.object({ platform: z.string(), channels: distributionSchema, posts: distributionSchema, reasons: z.record(z.string(), z.number()) }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => ({ unit: 'hours' as const, platforms: await takedownsByPlatform(deps.store, filterOf(req.query)) }),
  );
}

/** GET /api/v1/trends/cross-platform: first sighting of media clusters per platform. */
function registerCrossPlatformRoute(app: Api, deps: ApiDeps): void {
  const crossQuery = z
    .object({
      from: f.from,
      to: f.to,
      tag: f.tag,
      source: f.source,
      channel: f.channel,
      cluster: csv.optional().describe('cluster ids; default: the top clusters'),
      top: z.coerce.number().int().min(1).max(100).default(10),
    })
    .strict();
  app.get(
    '/api/v1/trends/cross-platform',
    {
      ...RESEARCHER,
      schema: {
        tags: ['trends'],
        summary: 'Cross-platform spread of media clusters: first sighting per platform, in order, and the delay after the first (hours)',
        querystring: crossQuery,
        response: {
          200: z.object({
            clusters: z.array(
              z.object({
                clusterId: z.string(),
                platforms: z.array(
                  z.object({ platform: z.string(), firstSeen: isoTimeOut, channels: z.number(), sightings: z.number(), delayHours: z.number() }),
                ),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const spread = await crossPlatformSpread(deps.store, filterOf(req.query), {
        ...(req.query.cluster ? { clusters: req.query.cluster } : {}),
        top: req.query.top,
      });
      return withIsoDates({
        clusters: spread.map((c) => ({
          clusterId: c.clusterId,
          platforms: c.platforms.map(({ delayMs, ...p }) => ({ ...p, delayHours: delayMs / 3600_000 })),
        })),
      }) as never;
    },
  );
}

/** GET /api/v1/channels/:key/timeline: one channel's posts per day with markers. */
function registerChannelTimelineRoute(app: Api, deps: ApiDeps): void {
  const tlQuery = z.object({ from: f.from, to: f.to }).strict();
  app.get(
    '/api/v1/channels/:key/timeline',
    {
      ...RESEARCHER,
      schema: {
        tags: ['channels'],
        summary: "One channel's posts per day with takedown and resurfacing markers",
        params: z.object({ key: keyParam(200) }),
        querystring: tlQuery,
        response: {
          200: z.object({
            channelKey: z.string(),
            postsPerDay: z.array(z.object({ day: z.string(), posts: z.number() })),
            markers: z.array(z.object({ at: isoTimeOut, type: z.string(), channelKey: z.string(), data: z.record(z.string(), z.unknown()) })),
          }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const ch = await deps.store.channels.findOne({ _id: req.params.key }, { projection: { _id: 1 } });
      if (!ch) return reply.code(404).send({ error: 'not_found', message: `no channel "${req.params.key}"` });
      return withIsoDates(await channelTimeline(deps.store, req.params.key, filterOf(req.query))) as never;
    },
  );
}
