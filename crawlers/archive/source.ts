import { z } from 'zod';
import { baseSourceShape, httpUrlSchema } from '../../src/core/sources';

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

/** An Internet Archive search (query, collection or uploader) through the advanced-search JSON API. */
export const archiveSourceSchema = z
  .object({
    ...baseSourceShape,
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
export type ArchiveSource = z.infer<typeof archiveSourceSchema>;

/** Pure: the advanced-search query of an archive source (its parts joined with AND). */
export function archiveQuery(s: ArchiveSource): string {
  const parts: string[] = [];
  if (s.query) parts.push(`(${s.query})`);
  if (s.collection) parts.push(`collection:"${s.collection}"`);
  if (s.uploader) parts.push(`uploader:"${s.uploader}"`);
  return parts.join(' AND ');
}
