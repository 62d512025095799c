import { z } from 'zod';
import { validate as validateCron } from 'node-cron';

// The watch list's model (`config/sources.yaml`): the platforms and one zod schema per source kind. Part of the core
// (it imports nothing of the project), so that the crawlers and the core model can name sources; the settings schema
// (src/config/schema.ts, which re-exports these) and the loaders are in src/config/.

/** Platforms with a crawler module under `crawlers/`. */
export const PLATFORMS = ['telegram', 'rss', 'html', 'browser', 'youtube', 'archive'] as const;
export const platformSchema = z.enum(PLATFORMS);
export type Platform = z.infer<typeof platformSchema>;

export const cronSchema = z.string().refine((v) => validateCron(v), { message: 'not a valid cron expression (5 or 6 fields, e.g. "*/5 * * * *")' });

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

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, "_" or "-", at most 64 characters');

const baseSource = {
  id: idSchema,
  schedule: cronSchema,
  tags: z.array(z.string().min(1)).default([]),
  /** Expected language, ISO 639-3 as franc reports it (e.g. "arb", "eng"), or "und". */
  language: z
    .string()
    .regex(/^[a-z]{3}$/, 'an ISO 639-3 code such as "arb" or "eng"')
    .default('und'),
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

export const rssSourceSchema = z.object({ ...baseSource, platform: z.literal('rss'), url: httpUrlSchema, options: z.object({}).strict().default({}) }).strict();

export const htmlSourceSchema = z.object({ ...baseSource, platform: z.literal('html'), url: httpUrlSchema, options: htmlOptionsSchema }).strict();

export const browserSourceSchema = z.object({ ...baseSource, platform: z.literal('browser'), url: httpUrlSchema, options: browserOptionsSchema }).strict();

export const youtubeOptionsSchema = z
  .object({
    /** Where feeds, watch pages and channel pages are read; the simulator in tests. */
    baseUrl: httpUrlSchema.default('https://www.youtube.com'),
    /** Where thumbnails (`/vi/<id>/hqdefault.jpg`) are read. */
    thumbBaseUrl: httpUrlSchema.default('https://i.ytimg.com'),
    /** Videos whose watch page is re-read at every check (views, duration, availability), newest first. */
    maxTracked: z.number().int().min(0).max(500).default(50),
  })
  .strict();

export const youtubeSourceSchema = z
  .object({
    ...baseSource,
    platform: z.literal('youtube'),
    /** A channel (`UC` + 22 characters): its feed and its channel page are watched. */
    channelId: z
      .string()
      .regex(/^UC[A-Za-z0-9_-]{22}$/, 'a YouTube channel id: "UC" and 22 letters, digits, "-" or "_"')
      .optional(),
    /** Or a playlist: its feed is watched. */
    playlistId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{10,64}$/, 'a YouTube playlist id: 10 to 64 letters, digits, "-" or "_"')
      .optional(),
    options: youtubeOptionsSchema.prefault({}),
  })
  .strict()
  .refine((s) => (s.channelId === undefined) !== (s.playlistId === undefined), {
    message: 'a youtube source needs exactly one of channelId and playlistId',
    path: ['channelId'],
  });

export const archiveOptionsSchema = z
  .object({
    baseUrl: httpUrlSchema.default('https://archive.org'),
    /** Search results read per check (newest first). */
    rows: z.number().int().min(1).max(500).default(50),
    /** Items whose metadata is re-read at every check (downloads, availability), newest first. */
    maxTracked: z.number().int().min(0).max(1000).default(100),
    /** Hand an item's smallest video file to the media stage (frame bags); media.maxBytes still applies. */
    downloadVideo: z.boolean().default(false),
    /** Video files larger than this (by the size the metadata states) are not handed on. */
    maxVideoBytes: z
      .number()
      .int()
      .min(1024)
      .default(50 * 1024 * 1024),
  })
  .strict();

/** Lucene-safe: an identifier-like name, used inside quotes. */
const archiveName = z.string().regex(/^[A-Za-z0-9@._+-]{1,100}$/, 'letters, digits and "@._+-" only (an identifier, collection or uploader e-mail)');

export const archiveSourceSchema = z
  .object({
    ...baseSource,
    platform: z.literal('archive'),
    /** Free Lucene query of the advanced search (e.g. `title:(synthetic) AND mediatype:movies`). */
    query: z.string().min(1).max(500).optional(),
    collection: archiveName.optional(),
    uploader: archiveName.optional(),
    options: archiveOptionsSchema.prefault({}),
  })
  .strict()
  .refine((s) => s.query !== undefined || s.collection !== undefined || s.uploader !== undefined, {
    message: 'an archive source needs a query, a collection or an uploader',
    path: ['query'],
  });

export const sourceSchema = z.discriminatedUnion('platform', [
  telegramSourceSchema,
  rssSourceSchema,
  htmlSourceSchema,
  browserSourceSchema,
  youtubeSourceSchema,
  archiveSourceSchema,
]);
export type Source = z.infer<typeof sourceSchema>;
export type TelegramSource = z.infer<typeof telegramSourceSchema>;
export type RssSource = z.infer<typeof rssSourceSchema>;
export type HtmlSource = z.infer<typeof htmlSourceSchema>;
export type BrowserSource = z.infer<typeof browserSourceSchema>;
export type YoutubeSource = z.infer<typeof youtubeSourceSchema>;
export type ArchiveSource = z.infer<typeof archiveSourceSchema>;
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
