import { z } from 'zod';
import { validate as validateCron } from 'node-cron';

// What every source of the watch list (`config/sources.yaml`) has, whatever its platform: the shared keys and the
// zod pieces the platforms' own source schemas (crawlers/<platform>/source.ts) are built from. Part of the core (it
// imports nothing of the project), so that the crawlers can use it; the registry (crawlers/registry.ts) lists the
// platforms, and the settings schema (src/config/schema.ts) builds the source union from it.

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

export const idSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, "_" or "-", at most 64 characters');

/** The keys every source has (each platform's schema spreads them into its own object). */
export const baseSourceShape = {
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
