import { z } from 'zod';
import { netSettingsSchema } from '../net/egress/policy';
import { LOG_LEVELS } from '../ops/log-types';
import { unsafeRegexReason } from '../core/regex-safety';
import { rateLimitSchema } from '../core/sources';
import { PLATFORM_MODULES, PLATFORMS, type SourceOf } from '../../crawlers/registry';
import { reportingSettingsSchema } from './reporting-schema';
import { telegramApiSettingsSchema } from './telegram-api-schema';
import { webhookDeliverySchema, webhooksSchema } from './webhooks-schema';

// The keys every source has live in the core (src/core/sources.ts), each platform's in its module
// (crawlers/<platform>/source.ts), the list of platforms in crawlers/registry.ts; re-exported here for the config
// loaders and the stages.
export * from '../core/sources';
export { PLATFORMS, type Platform, type Source, type SourceOf } from '../../crawlers/registry';
export type TelegramSource = SourceOf<'telegram'>;
export type BrowserSource = SourceOf<'browser'>;

/** The platforms' names as a zod enum (API query parameters). */
export const platformSchema = z.enum(PLATFORMS);

/** A source of `config/sources.yaml`: one of the registry's source schemas, by `platform`. */
export const sourceSchema = z.discriminatedUnion('platform', sourceSchemas());

function sourceSchemas(): readonly [SourceSchemaOf, ...SourceSchemaOf[]] {
  const [first, ...rest] = PLATFORM_MODULES.map((m) => m.sourceSchema);
  if (!first) throw new Error('crawlers/registry.ts lists no platform');
  return [first, ...rest];
}
type SourceSchemaOf = (typeof PLATFORM_MODULES)[number]['sourceSchema'];

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

/**
 * Fitted on the generated labelled set (bench/resurface-fit.ts; see docs/detection.md "Resurfacing model"): logistic weights,
 * bias and the probability threshold.
 */
export const FITTED_RESURFACE_MODEL = {
  weights: { handle: 1.12, title: 1.96, avatar: 1.89, description: 1.07, sharedMedia: 2.48, sharedText: 3.02, network: 0, timing: 0.47 },
  bias: -5.31,
  threshold: 0.5,
} as const;
/** Threshold of the weighted average (settings that set `weights` without `bias`). */
export const LEGACY_RESURFACE_THRESHOLD = 0.55;

/**
 * Settings that set `weights` without a `bias` keep the weighted average and its threshold (0.55); otherwise the
 * fitted model's weights, bias and threshold are the defaults.
 */
function resurfaceModelDefaults(raw: unknown): unknown {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const r = raw as Record<string, unknown>;
  if (r.weights !== undefined && r.bias === undefined) return { ...r, threshold: r.threshold ?? LEGACY_RESURFACE_THRESHOLD };
  const f = FITTED_RESURFACE_MODEL;
  return { ...r, weights: r.weights ?? { ...f.weights }, bias: r.bias ?? f.bias, threshold: r.threshold ?? f.threshold };
}

const variantRuleSchema = z
  .object({
    /** JavaScript regular expression, applied to the lowercase handle (every match replaced). */
    pattern: z
      .string()
      .min(1)
      .max(200)
      .refine((p) => {
        try {
          new RegExp(p, 'g');
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .superRefine((p, ctx) => {
        const why = unsafeRegexReason(p);
        if (why)
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `may take exponential time (${why}); see the variant rules in docs/config-reference.md` });
      }),
    /** Replacement ($1… for groups). */
    replace: z.string().max(64),
    /** Prior likelihood (0–1) that orders its variants among the built-in families (default 0.2, as `affix`). */
    prior: z.number().min(0).max(1).optional(),
  })
  .strict();

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
    /** Ports of the embedded local stack (only used when redisUrl / mongoUrl are unset). */
    stack: z
      .object({
        redisPort: z.number().int().min(1).max(65535).default(6479),
        mongoPort: z.number().int().min(1).max(65535).default(27117),
        /** PostgreSQL behind the embedded FerretDB; unset: 5479, or mongoPort + 1 when mongoPort is not the default. */
        pgPort: z.number().int().min(1).max(65535).optional(),
      })
      .strict()
      .prefault({}),
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
        /** Budget of one crawl (fetches, parses, the browser), from the host lease on; past it the crawl is aborted. */
        crawlTimeoutMs: z.number().int().min(1000).max(3_600_000).default(60000),
        /**
         * A check that finds nothing new writes its channel's `lastCheckedAt` only when the last write is at least
         * this old (0: at every check), so that idle checks cost no store write; the exact time of every check is in
         * the crawl queue's completed jobs and the metrics.
         */
        checkTimeResolutionSeconds: z.number().int().min(0).max(86_400).default(300),
        /** How long a source's cursor stays cached in Redis (idle checks read it there, not in the store). */
        cursorCacheSeconds: z.number().int().min(10).max(86_400).default(900),
      })
      .strict()
      .default({
        concurrency: 4,
        mediaConcurrency: 2,
        discoveryConcurrency: 2,
        hostConcurrency: 2,
        lockDurationMs: 60000,
        stalledIntervalMs: 30000,
        crawlTimeoutMs: 60000,
        checkTimeResolutionSeconds: 300,
        cursorCacheSeconds: 900,
      }),
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
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .default(5 * 1024 * 1024),
        maxRedirects: z.number().int().min(0).max(20).default(5),
        userAgent: z.string().min(1).default('hydrawatch/0.1 (+https://github.com/hydrawatch/hydrawatch)'),
      })
      .strict()
      .default({ timeoutMs: 20000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5, userAgent: 'hydrawatch/0.1 (+https://github.com/hydrawatch/hydrawatch)' }),
    /** Bounds on parsing fetched pages (docs/config-reference.md#limits). */
    limits: z
      .object({
        /** One page parse (in a parse thread) may take this long; past it the parse fails for good and its thread is replaced. */
        parseTimeoutMs: z.number().int().min(50).max(600_000).default(10_000),
        /** Elements nested deeper than this fail the parse of that page (Telegram, HTML, RSS/Atom, browser pages). */
        maxHtmlDepth: z.number().int().min(16).max(100_000).default(256),
        /** Parse threads per worker process (reused; a thread over budget is terminated and replaced). */
        parseThreads: z.number().int().min(1).max(64).default(2),
        /** V8 heap cap of each parse thread, in MB; a parse that needs more fails for good. */
        parseMemoryMb: z.number().int().min(32).max(16_384).default(512),
      })
      .strict()
      .prefault({}),
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
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .default(50 * 1024 * 1024),
        timeoutMs: z.number().int().min(100).default(60000),
        /** Decompression-bomb guard: images with more pixels are rejected. */
        maxPixels: z.number().int().min(1).default(60_000_000),
        /** Frames sampled per second of video (ffmpeg); dense enough that a copy played 1.25–1.5x faster still has a frame near each kept one. */
        videoFps: z.number().positive().max(30).default(2),
        maxVideoSeconds: z.number().positive().default(600),
        /** Frames kept in a video's frame bag at most (sampling stops there). */
        maxFrames: z.number().int().min(1).default(600),
        /** Store 2 strip windows (the top 70% and the bottom 70%) of every kept video frame: a caption band drawn over the frames still matches. */
        videoFrameWindows: z.boolean().default(true),
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
        /** Store crop windows of every picture (50: centre, corners, side middles, top/bottom and left/right strips). */
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
      .preprocess(
        resurfaceModelDefaults,
        z
          .object({
            /** Look for successors of a removed channel for this long after the removal. */
            searchWindowHours: z.number().positive().default(72),
            /** Handle variants probed per removed channel (bounded, rate-limited with the source's limit), most likely first. */
            maxVariants: z.number().int().min(0).max(500).default(60),
            /** Analysts' variant rules: a regex replacement on the lowercase handle, with an optional prior (0–1) that places it among the built-in families. */
            variantRules: z.array(variantRuleSchema).max(100).default([]),
            /** Extra suffixes / prefixes put on the handle's stem (family `rule`). */
            variantSuffixes: z
              .array(z.string().regex(/^[A-Za-z0-9_]{1,16}$/, 'letters, digits and _ (1–16)'))
              .max(50)
              .default([]),
            variantPrefixes: z
              .array(z.string().regex(/^[A-Za-z0-9_]{1,16}$/, 'letters, digits and _ (1–16)'))
              .max(50)
              .default([]),
            /** A removed channel's own page is re-checked at most this often (restorations are still seen). */
            removedRecheckMinutes: z.number().min(0).default(15),
            /**
             * A candidate not found is looked at again after an interval that grows as its prior falls (square-root
             * rule, src/resurface/probe-plan.ts): `hotReprobeSeconds` for the most likely (handles the channel named, those
             * its network points at, the first counters), up to `reprobeMinutes` for the least likely. In a wave of
             * takedowns the due candidates go by urgency (prior^urgencyExponent × time since the last look).
             */
            reprobeMinutes: z.number().positive().default(2),
            hotReprobeSeconds: z.number().positive().default(30),
            /** The intervals grow by 1× per this many hours since the takedown (a day-old search looks less often); 0: never. */
            reprobeStretchHours: z.number().min(0).default(12),
            /**
             * When more candidates are due than the probe budget allows (a wave of takedowns), the due ones go by
             * prior^urgencyExponent × time since their last look: 1 (a candidate waits in inverse proportion to its
             * prior) favours the likely handles; 0.5 spreads the looks wider; 0 looks at all in turn.
             */
            urgencyExponent: z.number().min(0).max(4).default(1),
            /**
             * Requests per host the successor search may make (probes of candidate handles, their avatars and pictures),
             * shared by every worker through Redis and separate from the sources' crawl `rateLimit`.
             */
            probeBudget: rateLimitSchema.default({ requests: 5, perSeconds: 1 }),
            /** A probed handle's page is reused by every removed channel's search for this long (about one check interval). */
            probeCacheSeconds: z.number().min(0).max(86400).default(30),
            /** Network probes per discovery job; the rest of the candidates wait for the channel's next job (queued at once). */
            probesPerJob: z.number().int().min(1).max(1000).default(5),
            /** Minimum score for a `resurfaced` event: a probability with the fitted logistic model, a weighted average without `bias`. */
            threshold: z.number().min(0).max(1),
            /** A successor's first post this soon after the removal gets the full timing signal. */
            timingWindowHours: z.number().positive().default(48),
            weights: z
              .object({
                handle: z.number(),
                title: z.number(),
                avatar: z.number(),
                description: z.number(),
                sharedMedia: z.number(),
                sharedText: z.number(),
                network: z.number(),
                timing: z.number(),
              })
              .strict(),
            /** Intercept of the logistic model. Unset while `weights` is set: the weighted average of older settings. */
            bias: z.number().optional(),
            /** Add successors above the threshold to the watch list (collection auto_sources, merged by schedulers) with the predecessor's tags. */
            autoWatch: z.boolean().default(false),
          })
          .strict()
          .superRefine((r, ctx) => {
            if (r.bias === undefined && Object.values(r.weights).some((w) => w < 0))
              ctx.addIssue({ code: 'custom', path: ['weights'], message: 'weights of the weighted average (no bias) must be ≥ 0' });
          }),
      )
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
                /** Alert kinds: resurfaced, removed, hashlist_match, reupload_after_takedown, crawl_failing, report_overdue. */
                kinds: z.array(z.enum(['resurfaced', 'removed', 'hashlist_match', 'reupload_after_takedown', 'crawl_failing', 'report_overdue'])).min(1),
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
    /** Report cases, packs and sending (docs/reporting.md); schema in ./reporting-schema.ts. */
    reporting: reportingSettingsSchema,
    /** Signed webhook subscriptions (Standard Webhooks), delivered through the `webhook_deliveries` outbox. */
    webhooks: webhooksSchema,
    webhookDelivery: webhookDeliverySchema,
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
        /** Hard limit on one browser-rendered page, everything included; enforced by closing its context. */
        pageWallClockMs: z.number().int().min(1000).max(600_000).default(60_000),
      })
      .strict()
      .prefault({}),
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
    /** The optional Telegram API collector (platform `telegram-api`); unset: off. See src/config/telegram-api-schema.ts. */
    telegramApi: telegramApiSettingsSchema.optional(),
    share: z
      .object({
        /** TLP 2.0 level marked on every object of a STIX export and of the TAXII collections (docs/sharing.md). */
        tlp: z.enum(['clear', 'green', 'amber', 'amber+strict', 'red']).default('amber'),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;
