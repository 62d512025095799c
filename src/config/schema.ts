import { z } from 'zod';
import { validate as validateCron } from 'node-cron';
import { netSettingsSchema } from '../net/egress/policy';
import { LOG_LEVELS } from '../ops/log-types';

/** Platforms with a crawler module under `crawlers/`. */
export const PLATFORMS = ['telegram', 'rss', 'html', 'browser'] as const;
export const platformSchema = z.enum(PLATFORMS);
export type Platform = z.infer<typeof platformSchema>;

export const cronSchema = z
  .string()
  .refine((v) => validateCron(v), { message: 'not a valid cron expression (5 or 6 fields, e.g. "*/5 * * * *")' });

export const rateLimitSchema = z
  .object({
    /** Requests allowed to this source's host per `perSeconds`, across all workers. */
    requests: z.number().int().positive(),
    perSeconds: z.number().positive(),
  })
  .strict();
export type RateLimit = z.infer<typeof rateLimitSchema>;

/** A URL the crawlers may fetch: http or https only (file:, gopher:, ftp:… are refused here already). */
export const httpUrlSchema = z
  .string()
  .url()
  .refine((v) => /^https?:$/i.test(new URL(v).protocol), { message: 'only http:// and https:// URLs are allowed' });

const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, "_" or "-", at most 64 characters');

const baseSource = {
  id: idSchema,
  schedule: cronSchema,
  tags: z.array(z.string().min(1)).default([]),
  /** Expected language, ISO 639-3 as franc reports it (e.g. "arb", "eng"), or "und". */
  language: z.string().regex(/^[a-z]{3}$/, 'an ISO 639-3 code such as "arb" or "eng"').default('und'),
  rateLimit: rateLimitSchema.default({ requests: 1, perSeconds: 2 }),
  /** HTTP(S) proxy for this source's requests; it must itself pass the egress policy (net.allow). */
  proxy: httpUrlSchema.optional(),
  userAgent: z.string().min(1).optional(),
  enabled: z.boolean().default(true),
  /** What to keep of media: hashes and metadata only, or a content-addressed file copy too. */
  retention: z.enum(['hash-only', 'file']).default('hash-only'),
};

export const telegramOptionsSchema = z
  .object({
    /** Base URL of the web preview; a mirror or the simulator in tests. */
    baseUrl: httpUrlSchema.default('https://t.me'),
    /** Pages of `?before=` history to read on the first crawl of a channel. */
    backfillPages: z.number().int().min(0).max(1000).default(3),
    /** Upper bound on pages read in one incremental check. */
    maxPagesPerCheck: z.number().int().min(1).max(100).default(5),
  })
  .strict();

export const htmlSelectorsSchema = z
  .object({
    post: z.string().min(1),
    text: z.string().min(1),
    date: z.string().min(1).optional(),
    /** Attribute holding the date (default: `datetime`, then the element text). */
    dateAttr: z.string().min(1).optional(),
    media: z.string().min(1).optional(),
    /** Element whose `href` is the post permalink, used as its id. */
    link: z.string().min(1).optional(),
    /** Attribute on the post element holding a stable id. */
    idAttr: z.string().min(1).optional(),
    title: z.string().min(1).optional(),
  })
  .strict();

export const htmlOptionsSchema = z.object({ selectors: htmlSelectorsSchema }).strict();
export const browserOptionsSchema = z
  .object({
    selectors: htmlSelectorsSchema,
    /** Selector to wait for before reading the page. Default: the post selector. */
    waitFor: z.string().min(1).optional(),
    navigationTimeoutMs: z.number().int().positive().default(30000),
  })
  .strict();

export const telegramSourceSchema = z
  .object({
    ...baseSource,
    platform: z.literal('telegram'),
    handle: z.string().regex(/^[A-Za-z0-9_]{3,64}$/, 'a Telegram handle: letters, digits and "_", without "@"'),
    options: telegramOptionsSchema.default(telegramOptionsSchema.parse({})),
  })
  .strict();

export const rssSourceSchema = z
  .object({ ...baseSource, platform: z.literal('rss'), url: httpUrlSchema, options: z.object({}).strict().default({}) })
  .strict();

export const htmlSourceSchema = z
  .object({ ...baseSource, platform: z.literal('html'), url: httpUrlSchema, options: htmlOptionsSchema })
  .strict();

export const browserSourceSchema = z
  .object({ ...baseSource, platform: z.literal('browser'), url: httpUrlSchema, options: browserOptionsSchema })
  .strict();

export const sourceSchema = z.discriminatedUnion('platform', [
  telegramSourceSchema,
  rssSourceSchema,
  htmlSourceSchema,
  browserSourceSchema,
]);
export type Source = z.infer<typeof sourceSchema>;
export type TelegramSource = z.infer<typeof telegramSourceSchema>;
export type RssSource = z.infer<typeof rssSourceSchema>;
export type HtmlSource = z.infer<typeof htmlSourceSchema>;
export type BrowserSource = z.infer<typeof browserSourceSchema>;
export type SourceOf<P extends Platform> = Extract<Source, { platform: P }>;

export const sourcesFileSchema = z
  .object({
    sources: z.array(sourceSchema).superRefine((sources, ctx) => {
      const seen = new Map<string, number>();
      sources.forEach((s, i) => {
        const prev = seen.get(s.id);
        if (prev !== undefined) {
          ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate source id "${s.id}" (also at sources[${prev}])` });
        }
        seen.set(s.id, i);
      });
    }),
  })
  .strict();
export type SourcesFile = z.infer<typeof sourcesFileSchema>;

/** Global settings (`config/settings.yaml`). Every key is documented in docs/config-reference.md. */
export const settingsSchema = z
  .object({
    /** Redis URL. Unset: the app starts a local redis-server under dataDir. Env REDIS_URL wins. */
    redisUrl: z.string().url().optional(),
    /** MongoDB URL. Unset: the app starts the embedded FerretDB under dataDir. Env MONGO_URL wins. */
    mongoUrl: z.string().url().optional(),
    mongoDb: z.string().min(1).default('hydrawatch'),
    /**
     * When MongoDB is FerretDB on PostgreSQL: that PostgreSQL (URL), so that hydrawatch can index _id look-ups
     * (src/store/pg-id-index.ts). The embedded stack sets it. Env HYDRAWATCH_PG_URL wins.
     */
    postgresUrl: z.string().url().optional(),
    dataDir: z.string().min(1).default('data'),
    queue: z
      .object({
        name: z.string().min(1).default('crawl'),
        prefix: z.string().min(1).default('hydrawatch'),
        attempts: z.number().int().min(1).max(50).default(5),
        backoffBaseMs: z.number().int().min(10).default(2000),
        backoffMaxMs: z.number().int().min(100).default(300000),
      })
      .strict()
      .default({ name: 'crawl', prefix: 'hydrawatch', attempts: 5, backoffBaseMs: 2000, backoffMaxMs: 300000 }),
    worker: z
      .object({
        concurrency: z.number().int().min(1).max(256).default(4),
        /** Media jobs (download, fingerprint, match) one worker process runs at once. */
        mediaConcurrency: z.number().int().min(1).max(256).default(2),
        /** Successor searches one worker process runs at once. */
        discoveryConcurrency: z.number().int().min(1).max(64).default(2),
        /** Crawls running at once against one host, across all workers. */
        hostConcurrency: z.number().int().min(1).max(64).default(2),
        lockDurationMs: z.number().int().min(1000).default(60000),
        stalledIntervalMs: z.number().int().min(1000).default(30000),
      })
      .strict()
      .default({ concurrency: 4, mediaConcurrency: 2, discoveryConcurrency: 2, hostConcurrency: 2, lockDurationMs: 60000, stalledIntervalMs: 30000 }),
    scheduler: z
      .object({
        /** Random delay added to each cron tick, per source. */
        jitterSeconds: z.number().min(0).default(20),
        /** After a (re)start, first checks are spread uniformly over this window. */
        startupSpreadSeconds: z.number().min(0).default(60),
        /** How often the sources file is re-read (besides file-watch events). */
        reloadPollSeconds: z.number().min(0.2).default(5),
      })
      .strict()
      .default({ jitterSeconds: 20, startupSpreadSeconds: 60, reloadPollSeconds: 5 }),
    fetch: z
      .object({
        timeoutMs: z.number().int().min(100).default(20000),
        maxBytes: z.number().int().min(1024).default(5 * 1024 * 1024),
        maxRedirects: z.number().int().min(0).max(20).default(5),
        userAgent: z.string().min(1).default('hydrawatch/0.1 (+https://github.com/hydrawatch/hydrawatch)'),
      })
      .strict()
      .default({ timeoutMs: 20000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5, userAgent: 'hydrawatch/0.1 (+https://github.com/hydrawatch/hydrawatch)' }),
    /** Egress policy: what the crawlers may connect to besides public addresses (docs/config-reference.md#net). */
    net: netSettingsSchema.prefault({}),
    language: z
      .object({
        /** Texts shorter than this (after normalisation) are "und". */
        minLength: z.number().int().min(1).default(20),
      })
      .strict()
      .default({ minLength: 20 }),
    media: z
      .object({
        /** Download and fingerprint the media that crawlers find. */
        enabled: z.boolean().default(true),
        maxBytes: z.number().int().min(1024).default(50 * 1024 * 1024),
        timeoutMs: z.number().int().min(100).default(60000),
        /** Decompression-bomb guard: images with more pixels are rejected. */
        maxPixels: z.number().int().min(1).default(60_000_000),
        /** Frames sampled per second of video (ffmpeg). */
        videoFps: z.number().positive().max(30).default(1),
        maxVideoSeconds: z.number().positive().default(600),
        maxFrames: z.number().int().min(1).default(600),
        /** PDQ match radius (Hamming distance). */
        matchRadius: z.number().int().min(0).max(31).default(31),
        /** Hashes with lower quality are kept but never used for matching. */
        minQuality: z.number().int().min(0).max(100).default(50),
        /** Video match: share of the stored video's unique frames that must match (X), and of the query's (Y). */
        videoStoredMatchPct: z.number().min(0).max(100).default(80),
        videoQueryMatchPct: z.number().min(0).max(100).default(80),
        /** Video "contains": the new video covers at least this share of a stored video's frames (a compilation). */
        videoContainsPct: z.number().min(0).max(100).default(80),
        /** Video "contained in": at least this share of the new video's frames are in a stored video (a clip of it). */
        videoContainedInPct: z.number().min(0).max(100).default(80),
        /** "contains" / "contained in" need at least this many matched frames (a one-frame video is in everything). */
        videoRelationMinFrames: z.number().int().min(1).default(3),
        /** Re-upload normalisation: trim uniform borders / letterboxing before hashing (pictures and video frames). */
        trimBorders: z.boolean().default(true),
        /** Re-upload normalisation: find caption bands at the top or bottom and hash without them too. */
        captionBands: z.boolean().default(true),
        /** Store crop windows (centre and corners at 80–90%, top and bottom strips) of every picture. */
        cropWindows: z.boolean().default(true),
        /** Undo small rotations (read off the fill corners) of a new picture up to this many degrees; 0 turns it off. */
        undoRotationMaxDegrees: z.number().min(0).max(20).default(10),
        /** Extra lookups (dihedral variants, views) probe the index by exact 16-bit chunks only: 17x fewer candidates, recall ~92% at distance 31, ~99% at 20. The plain hash always gets the full search. */
        fastExtraProbe: z.boolean().default(true),
        /** Consecutive frames closer than this are dropped from a video's frame bag. */
        frameDedupDistance: z.number().int().min(0).max(64).default(10),
        /** Where `retention: file` keeps content-addressed copies (under dataDir when relative). */
        fileDir: z.string().min(1).default('media'),
      })
      .strict()
      .prefault({}),
    text: z
      .object({
        /** Estimated Jaccard similarity (word 3-shingles) at or above which posts join one text cluster. */
        clusterJaccard: z.number().min(0).max(1).default(0.7),
        /** Texts with fewer words are not clustered. */
        minWords: z.number().int().min(1).default(8),
      })
      .strict()
      .prefault({}),
    resurface: z
      .object({
        /** Look for successors of a removed channel for this long after the removal. */
        searchWindowHours: z.number().positive().default(72),
        /** Handle variants probed per removed channel (bounded, rate-limited with the source's limit). */
        maxVariants: z.number().int().min(0).max(500).default(40),
        /** A removed channel's own page is re-checked at most this often (restorations are still seen). */
        removedRecheckMinutes: z.number().min(0).default(15),
        /** A candidate not found is probed again after this long. */
        reprobeMinutes: z.number().positive().default(2),
        /** Minimum weighted score for a `resurfaced` event. */
        threshold: z.number().min(0).max(1).default(0.55),
        /** A successor's first post this soon after the removal gets the full timing signal. */
        timingWindowHours: z.number().positive().default(48),
        weights: z
          .object({
            handle: z.number().min(0), title: z.number().min(0), avatar: z.number().min(0), description: z.number().min(0),
            sharedMedia: z.number().min(0), sharedText: z.number().min(0), network: z.number().min(0), timing: z.number().min(0),
          })
          .strict()
          .default({ handle: 0.15, title: 0.1, avatar: 0.15, description: 0.05, sharedMedia: 0.25, sharedText: 0.15, network: 0.1, timing: 0.05 }),
        /** Add successors above the threshold to the watch list (collection auto_sources, merged by schedulers) with the predecessor's tags. */
        autoWatch: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    alerts: z
      .object({
        /** SMTP server, e.g. smtp://127.0.0.1:1025 (a mail catcher locally). Env SMTP_URL wins. Unset: alerts are stored, not mailed. */
        smtpUrl: z.string().url().optional(),
        from: z.string().min(3).default('hydrawatch <alerts@hydrawatch.local>'),
        /** Base URL of the dashboard/API for links in emails. */
        dashboardUrl: z.string().url().default('http://127.0.0.1:8080'),
        rules: z
          .array(
            z
              .object({
                name: z.string().min(1),
                to: z.array(z.string().email()).min(1),
                /** Alert kinds: resurfaced, removed, hashlist_match, reupload_after_takedown, crawl_failing. */
                kinds: z.array(z.enum(['resurfaced', 'removed', 'hashlist_match', 'reupload_after_takedown', 'crawl_failing'])).min(1),
                /** Only for sources with one of these tags (empty: all). */
                tags: z.array(z.string()).default([]),
                sources: z.array(z.string()).default([]),
                /** Collect this rule's alerts into one digest email per `digestMinutes`. */
                digest: z.boolean().default(false),
              })
              .strict(),
          )
          .default([]),
        digestMinutes: z.number().positive().default(60),
        /** At most this many emails per recipient per hour; the rest wait (never dropped). */
        maxPerHourPerRecipient: z.number().int().min(1).default(30),
        /** crawl_failing fires after this many consecutive failed crawls. */
        crawlFailingAfter: z.number().int().min(1).default(3),
        sendIntervalMs: z.number().int().min(100).default(2000),
        smtpTimeoutMs: z.number().int().min(100).default(15000),
        retryBaseMs: z.number().int().min(100).default(5000),
        retryMaxMs: z.number().int().min(1000).default(600000),
      })
      .strict()
      .prefault({}),
    api: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /**
         * API tokens, stored as SHA-256 hex of the token (`hydrawatch api token` makes one). `analyst` may edit the
         * watch list and alert rules; `researcher` is read-only. No token: no access. Env HYDRAWATCH_API_TOKENS adds
         * tokens in clear as "role:name:token,role:name:token".
         */
        tokens: z
          .array(
            z
              .object({
                name: z.string().min(1),
                role: z.enum(['analyst', 'researcher']),
                sha256: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the token, 64 lowercase hex digits'),
              })
              .strict(),
          )
          .default([]),
        /** `/ready`: time limit of each check (Redis ping, store ping, SMTP verify). */
        readyTimeoutMs: z.number().int().min(100).max(60000).default(3000),
        /** Largest page a list route returns. */
        maxPageSize: z.number().int().min(1).max(1000).default(1000),
        /**
         * Wrong API tokens, per client address: `burst` may come at once, then `perMinute`; past that every token
         * attempt from that address gets 429 with Retry-After until the bucket refills.
         */
        authFailures: z
          .object({ burst: z.number().int().min(1).default(20), perMinute: z.number().positive().default(20) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    browser: z
      .object({
        executablePath: z.string().min(1).default('/usr/bin/chromium'),
      })
      .strict()
      .default({ executablePath: '/usr/bin/chromium' }),
    log: z
      .object({
        /** Least level written. Env HYDRAWATCH_LOG_LEVEL wins. */
        level: z.enum(LOG_LEVELS).default('info'),
        /** `json` (one JSON object a line), `pretty` (the readable console) or `auto`: pretty on a terminal, else JSON. Env HYDRAWATCH_LOG_FORMAT wins. */
        format: z.enum(['auto', 'json', 'pretty']).default('auto'),
      })
      .strict()
      .prefault({}),
    metrics: z
      .object({
        /** Worker, scheduler and `run` processes serve Prometheus metrics on this port (`/metrics`); unset: none. The API serves `/metrics` on its own port. Env HYDRAWATCH_METRICS_PORT wins. */
        port: z.number().int().min(0).max(65535).optional(),
        /** Address of that port. */
        host: z.string().min(1).default('127.0.0.1'),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;
