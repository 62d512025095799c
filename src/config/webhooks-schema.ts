import { z } from 'zod';

/** What a webhook subscription may ask for: every alert kind, and report-case changes. */
export const WEBHOOK_KINDS = ['resurfaced', 'removed', 'hashlist_match', 'reupload_after_takedown', 'crawl_failing', 'report_overdue', 'report_case'] as const;

/** A Standard Webhooks secret: `whsec_` then the base64 of 24 to 64 random bytes. */
const secretSchema = z
  .string()
  .regex(
    /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/,
    'a Standard Webhooks secret: "whsec_" then base64 of 24–64 random bytes (`hydrawatch webhooks secret` makes one)',
  );

/** `webhooks`: signed HTTP deliveries of alerts (docs/sharing.md#webhooks). */
export const webhooksSchema = z
  .array(
    z
      .object({
        name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "-" and "_" (at most 64)'),
        url: z.string().url(),
        secret: secretSchema,
        kinds: z.array(z.enum(WEBHOOK_KINDS)).min(1),
        /** Only for sources with one of these tags (empty: all). */
        tags: z.array(z.string()).default([]),
        sources: z.array(z.string()).default([]),
      })
      .strict(),
  )
  .default([])
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((w, i) => {
      if (seen.has(w.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `webhook "${w.name}" is named twice` });
      seen.add(w.name);
    });
  });

/** `webhookDelivery`: how the worker delivers them. */
export const webhookDeliverySchema = z
  .object({
    /** How often workers deliver due webhooks. */
    sendIntervalMs: z.number().int().min(100).default(2000),
    /** Time limit of one request (connect, send, answer): over it, the attempt fails with WEBHOOK_TIMEOUT. */
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    retryBaseMs: z.number().int().min(100).default(5000),
    retryMaxMs: z.number().int().min(1000).default(3_600_000),
    /** After this many failed attempts a delivery is dead-lettered (`GET /api/v1/webhooks/dead-letters`). */
    maxAttempts: z.number().int().min(1).max(100).default(12),
  })
  .strict()
  .prefault({});
