import { z } from 'zod';
import { baseSourceShape } from '../../src/core/sources';

export const telegramApiOptionsSchema = z
  .object({
    /** Messages read on the first crawl of a source (newest first), the backfill bound. */
    backfillMessages: z.number().int().min(0).max(10_000).default(300),
    /** Upper bound on messages read in one incremental check. */
    maxMessagesPerCheck: z.number().int().min(1).max(5_000).default(500),
    /** Messages asked for per `messages.getHistory` request (Telegram returns at most 100). */
    pageSize: z.number().int().min(1).max(100).default(100),
  })
  .strict();

/**
 * A public group or channel read through Telegram's API (MTProto, GramJS), logged in with an analyst's account
 * (settings `telegramApi`). `read: messages` reads the chat's own messages; `read: comments` reads the comments under
 * a channel's posts (its linked discussion group).
 */
export const telegramApiSourceSchema = z
  .object({
    ...baseSourceShape,
    platform: z.literal('telegram-api'),
    handle: z.string().regex(/^[A-Za-z0-9_]{3,64}$/, 'a Telegram handle: letters, digits and "_", without "@"'),
    read: z.enum(['messages', 'comments']).default('messages'),
    options: telegramApiOptionsSchema.prefault({}),
  })
  .strict()
  .refine((s) => s.proxy === undefined, {
    path: ['proxy'],
    message: 'telegram-api sources connect to Telegram over MTProto, not HTTP: an HTTP proxy is not supported',
  });
export type TelegramApiSource = z.infer<typeof telegramApiSourceSchema>;
