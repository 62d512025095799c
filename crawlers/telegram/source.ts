import { z } from 'zod';
import { baseSourceShape, httpUrlSchema } from '../../src/core/sources';

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

/** A Telegram channel's public web preview (`t.me/s/<handle>`). */
export const telegramSourceSchema = z
  .object({
    ...baseSourceShape,
    platform: z.literal('telegram'),
    handle: z.string().regex(/^[A-Za-z0-9_]{3,64}$/, 'a Telegram handle: letters, digits and "_", without "@"'),
    options: telegramOptionsSchema.default(telegramOptionsSchema.parse({})),
  })
  .strict();
export type TelegramSource = z.infer<typeof telegramSourceSchema>;
