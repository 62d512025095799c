import { z } from 'zod';
import { baseSourceShape, httpUrlSchema } from '../../src/core/sources';

/** What a post, its text, date and media are on a page (the browser platform uses them too). */
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

/** A generic page, read with the CSS selectors of its options. */
export const htmlSourceSchema = z.object({ ...baseSourceShape, platform: z.literal('html'), url: httpUrlSchema, options: htmlOptionsSchema }).strict();
export type HtmlSource = z.infer<typeof htmlSourceSchema>;
