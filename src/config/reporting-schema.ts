import { z } from 'zod';
import { rateLimitSchema } from '../core/sources';

// The `reporting` block of settings.yaml (issue 20: report cases, packs, approval, sending). Documented in
// docs/config-reference.md and docs/reporting.md. Addresses come only from here: with none set, nothing is sent.

/** Platforms a report can go to: the watched platforms, and platforms reported in-app only (no mail address). */
export const MAIL_REPORT_PLATFORMS = ['telegram', 'youtube', 'archive', 'rss', 'html', 'browser'] as const;
export const IN_APP_REPORT_PLATFORMS = ['x', 'facebook', 'instagram'] as const;

/** Alert kinds a reporting rule may turn into a draft case. */
export const REPORT_RULE_KINDS = ['resurfaced', 'reupload_after_takedown', 'hashlist_match'] as const;

const addresses = {
  /** Where the report mail goes (the platform's abuse or legal address). */
  to: z.array(z.string().email()).default([]),
  cc: z.array(z.string().email()).default([]),
};

const mailPlatformSchema = z
  .object({
    ...addresses,
    /** Per source id (rss, html, browser: each site has its own host): addresses that replace `to`/`cc` for that source's cases. */
    sources: z.record(z.string().min(1), z.object(addresses).strict()).default({}),
    /** One digest mail per recipient per `reporting.digestMinutes` instead of one mail per case. */
    digest: z.boolean().default(false),
  })
  .strict()
  .prefault({});

const inAppPlatformSchema = z.object({}).strict().prefault({});

export const reportingSettingsSchema = z
  .object({
    /** Who notifies (DSA Article 16 notices name them): a person or a desk, and an email address for replies. */
    notifier: z
      .object({ name: z.string().min(1).default('hydrawatch analyst desk'), email: z.string().email().optional() })
      .strict()
      .prefault({}),
    platforms: z
      .object({
        telegram: mailPlatformSchema,
        youtube: mailPlatformSchema,
        archive: mailPlatformSchema,
        rss: mailPlatformSchema,
        html: mailPlatformSchema,
        browser: mailPlatformSchema,
        x: inAppPlatformSchema,
        facebook: inAppPlatformSchema,
        instagram: inAppPlatformSchema,
      })
      .strict()
      .prefault({}),
    /** Alert kinds that open a draft case, like alert rules (empty tags/sources: every source). */
    rules: z
      .array(
        z
          .object({
            name: z.string().min(1),
            kinds: z.array(z.enum(REPORT_RULE_KINDS)).min(1),
            tags: z.array(z.string()).default([]),
            sources: z.array(z.string()).default([]),
          })
          .strict(),
      )
      .default([]),
    /** How long sent cases of a platform with `digest: true` wait to go out together in one mail. */
    digestMinutes: z.number().positive().default(60),
    /** A target reported within this many days is not reported again unless its case is re-approved. */
    reReportDays: z.number().positive().default(7),
    /** At most this many report mails go out per hour; the rest wait in the outbox (never dropped). */
    maxReportsPerHour: z.number().int().min(1).default(20),
    /** A report with no outcome after this long raises `report_overdue`. */
    overdueHours: z.number().positive().default(24),
    /** Reported targets are re-checked for this long after the report. */
    recheckMaxDays: z.number().positive().default(30),
    /** The first re-checks of a reported target not watched as a source: each delay after the one before, in minutes. */
    recheckMinutes: z.array(z.number().positive()).min(1).max(50).default([10, 30, 60, 180, 360]),
    /** After those, one re-check this often, in hours. */
    recheckEveryHours: z.number().positive().default(12),
    /**
     * Where re-checks read a platform, when not at the reported URL's own host: a mirror, or the demo's simulator
     * (`telegram: http://127.0.0.1:8730`). The reported URL's path and query are kept; the report names the public URL.
     */
    recheckBaseUrls: z
      .object({ telegram: z.string().url().optional(), youtube: z.string().url().optional(), archive: z.string().url().optional() })
      .strict()
      .prefault({}),
    /** Re-checks' request budget per host, shared by all workers (apart from the crawls' rate limits and the probes'). */
    recheckBudget: rateLimitSchema.default({ requests: 2, perSeconds: 1 }),
    /** Add the DSA Article 16 notice (exact URLs, explanation, notifier, good-faith statement) to every report mail. */
    dsa: z.boolean().default(false),
  })
  .strict()
  .prefault({});

export type ReportingSettings = z.infer<typeof reportingSettingsSchema>;
