import { z } from 'zod';

/**
 * Settings `telegramApi`: the optional Telegram API collector (platform `telegram-api`, docs/platforms.md). Unset, and
 * without `HYDRAWATCH_TG_API_ID` / `HYDRAWATCH_TG_API_HASH` in the environment, the platform is off: its sources fail
 * with an error naming these settings, and the other platforms crawl as before.
 */
export const telegramApiSettingsSchema = z
  .object({
    /** The analyst's `api_id` (my.telegram.org → API development tools). Env HYDRAWATCH_TG_API_ID wins. */
    apiId: z.number().int().positive().optional(),
    /** The analyst's `api_hash`: 32 hexadecimal digits. Env HYDRAWATCH_TG_API_HASH wins (keep it out of files). */
    apiHash: z
      .string()
      .regex(/^[0-9a-f]{32}$/i, 'an api_hash is 32 hexadecimal digits (my.telegram.org → API development tools)')
      .optional(),
    /**
     * The login's session, encrypted (AES-256-GCM) with the key in env HYDRAWATCH_TG_SESSION_KEY; written by
     * `hydrawatch telegram login`. Unset: `<dataDir>/telegram-api/session.enc`. Env HYDRAWATCH_TG_SESSION (a session
     * string in clear, for containers and the live test) is used instead when set.
     */
    sessionFile: z.string().min(1).optional(),
    /** Name of the account in the Redis keys of its guards (lease, flood wait, budget, backoff). */
    account: z
      .string()
      .regex(/^[a-z0-9_-]{1,32}$/, 'lowercase letters, digits, "_" or "-"')
      .default('default'),
    /** Requests the account may make per hour, across all workers; past it, crawls wait for the next hour. */
    requestsPerHour: z.number().int().min(1).max(100_000).default(1000),
    /** Time limit of one request (named timeouts `telegram-api.<request>`). */
    requestTimeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
    /** A wait (flood wait, budget, backoff) up to this long is waited out in the crawl; a longer one retries the job after it. */
    maxInlineWaitMs: z.number().int().min(0).max(600_000).default(10_000),
    /** The lease that lets one worker at a time use the login; keep it above `worker.crawlTimeoutMs`. */
    leaseMs: z.number().int().min(5_000).max(3_600_000).default(120_000),
    /** Backoff after errors other than flood waits: `backoffBaseMs` doubled with each error in a row, at most `backoffMaxMs`. */
    backoffBaseMs: z.number().int().min(100).max(3_600_000).default(5_000),
    backoffMaxMs: z.number().int().min(1000).max(86_400_000).default(900_000),
  })
  .strict();
export type TelegramApiSettings = z.infer<typeof telegramApiSettingsSchema>;
