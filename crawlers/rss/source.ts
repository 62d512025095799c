import { z } from 'zod';
import { baseSourceShape, httpUrlSchema } from '../../src/core/sources';

/** An RSS 2.0 or Atom feed. */
export const rssSourceSchema = z
  .object({ ...baseSourceShape, platform: z.literal('rss'), url: httpUrlSchema, options: z.object({}).strict().default({}) })
  .strict();
export type RssSource = z.infer<typeof rssSourceSchema>;
