import { z } from 'zod';
import { baseSourceShape, httpUrlSchema } from '../../src/core/sources';
import { htmlSelectorsSchema } from '../html/source';

export const browserOptionsSchema = z
  .object({
    selectors: htmlSelectorsSchema,
    /** Selector to wait for before reading the page. Default: the post selector. */
    waitFor: z.string().min(1).optional(),
    navigationTimeoutMs: z.number().int().positive().default(30000),
  })
  .strict();

/** A page that needs JavaScript, rendered in the browser pool and read with CSS selectors. */
export const browserSourceSchema = z.object({ ...baseSourceShape, platform: z.literal('browser'), url: httpUrlSchema, options: browserOptionsSchema }).strict();
export type BrowserSource = z.infer<typeof browserSourceSchema>;
