import { z } from 'zod';
import { baseSourceShape, httpUrlSchema } from '../../src/core/sources';

export const youtubeOptionsSchema = z
  .object({
    /** Where feeds, watch pages and channel pages are read; the simulator in tests. */
    baseUrl: httpUrlSchema.default('https://www.youtube.com'),
    /** Where thumbnails (`/vi/<id>/hqdefault.jpg`) are read. */
    thumbBaseUrl: httpUrlSchema.default('https://i.ytimg.com'),
    /** Videos whose watch page is re-read at every check (views, duration, availability), newest first. */
    maxTracked: z.number().int().min(0).max(500).default(50),
  })
  .strict();

/** A YouTube channel or playlist (its public feed, watch pages and channel page; no API key). */
export const youtubeSourceSchema = z
  .object({
    ...baseSourceShape,
    platform: z.literal('youtube'),
    /** A channel (`UC` + 22 characters): its feed and its channel page are watched. */
    channelId: z
      .string()
      .regex(/^UC[A-Za-z0-9_-]{22}$/, 'a YouTube channel id: "UC" and 22 letters, digits, "-" or "_"')
      .optional(),
    /** Or a playlist: its feed is watched. */
    playlistId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{10,64}$/, 'a YouTube playlist id: 10 to 64 letters, digits, "-" or "_"')
      .optional(),
    options: youtubeOptionsSchema.prefault({}),
  })
  .strict()
  .refine((s) => (s.channelId === undefined) !== (s.playlistId === undefined), {
    message: 'a youtube source needs exactly one of channelId and playlistId',
    path: ['channelId'],
  });
export type YoutubeSource = z.infer<typeof youtubeSourceSchema>;
