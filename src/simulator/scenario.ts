import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * Simulator scenario (YAML). Only synthetic content. Shape:
 *   name: demo
 *   channels:                      # Telegram-like channels served at /s/<handle> and /<handle>
 *     - handle: sim_alpha
 *       channelId: "1700000001"    # numeric id, kept across renames
 *       title, description, subscribers, avatarSeed
 *       state: active | removed | private
 *       generate: { count: 45, language: eng|arb|fra, seed: 1, startAt: ISO, everyMinutes: 90 }
 *       kind: channel | group | user | bot   # not a channel: /s/ redirects, /<handle> says what it is
 *       posts: [ { text, date?, photos?: [seed], forwardFrom?: "handle/12", links?: [url],
 *                  video?, gif?, roundVideo?: "seed,seed", voiceSeconds?, audio?: {title, performer},
 *                  document?: {fileName, size}, sticker?: seed, poll?: {question, options}, location?: {latitude,
 *                  longitude, title?, address?}, service?: channel_created|photo_changed|photo_removed|pinned } ]
 *   feeds:   [ { name, title, format: rss|atom, items: [ { title, text, date, link? } ] } ]   → /feeds/<name>.xml|.atom
 *   forums:  [ { name, title, encoding: windows-1256, posts: [ { author, text, date } ] } ]   → /forum/<name>
 *            selectors: post "div.post", text ".body", date "time" (datetime attr), media "img.media", id attr "data-id"
 *   jsPages: [ { name, title, posts: [...] } ]  → /js/<name>, posts built by JavaScript after load (same selectors)
 *   youtube:                       # /feeds/videos.xml?channel_id=|playlist_id=, /watch?v=, /channel/<id>, /vi/<id>/hqdefault.jpg
 *     channels: [ { channelId: UC…(22), title, description, state: active|terminated,
 *                   videos: [ { id (11), title, description, published, lengthSeconds, views, thumb: seed,
 *                               state: available|tos|terminated|private|deleted } ] } ]
 *     playlists: [ { playlistId, title, videos: [videoId] } ]
 *   archive:                       # /advancedsearch.php, /metadata/<id>, /services/img/<id>, /download/<id>/<file>
 *     items: [ { identifier, title, description, uploader, collections, mediatype, publicdate, downloads, image: seed,
 *                video?: "11-12", state: public|dark|missing } ]
 *   timeline:                      # applied in order by advance()
 *     - { step: 1, action: post, channel: sim_alpha, text: "...", photos: [7] }
 *     - { step: 2, action: remove, channel: sim_alpha }            # ToS banner from now on
 *     - { step: 3, action: create, channel: { handle: ..., channelId: ..., ... } }
 *     - { step: 4, action: rename, channel: sim_beta, to: sim_beta_new }
 *     - { step: 4, action: retitle, channel: sim_beta, to: "Beta Weather" }   # + a rename service message
 *     - { step: 5, action: restore, channel: sim_alpha }
 *     - { step: 6, action: make_private, channel: sim_gamma }
 *     - { step: 7, action: feed_item, feed: weather, text: "..." }
 *     - { step: 8, action: youtube_views, video: SynthVid001, views: 13000 }
 *     - { step: 9, action: youtube_video_state, video: SynthVid001, state: tos }
 *     - { step: 9, action: youtube_channel_state, channel: UC…, state: terminated }
 *     - { step: 9, action: archive_item_state, identifier: …, state: dark }   # also youtube_video, archive_item, archive_downloads
 */
const handle = z.string().regex(/^[A-Za-z0-9_]{3,64}$/);
const simPost = z
  .object({
    text: z.string(),
    date: z.string().datetime({ offset: true }).optional(),
    /** Generated images by seed; "seed:t1:t2" applies re-upload transforms (jpeg, resize, crop, caption, mirror). */
    photos: z
      .array(
        z.union([z.number().int(), z.string().regex(/^\d+(:(jpeg|resize|crop|caption|mirror))*$/, 'a seed, optionally with transforms like "7:jpeg:mirror"')]),
      )
      .default([]),
    /** A generated slideshow video from these image seeds (re-encoded with ":reencode"). */
    video: z
      .string()
      .regex(/^\d+(,\d+)*(:reencode)?$/)
      .optional(),
    forwardFrom: z
      .string()
      .regex(/^[A-Za-z0-9_]{3,64}\/\d+$/)
      .optional(),
    links: z.array(z.string().url()).default([]),
    views: z.number().int().min(0).optional(),
    /** Other post kinds, rendered in Telegram's markup for them. */
    gif: z
      .string()
      .regex(/^\d+(,\d+)*$/)
      .optional(),
    roundVideo: z
      .string()
      .regex(/^\d+(,\d+)*$/)
      .optional(),
    voiceSeconds: z.number().int().min(1).max(3600).optional(),
    audio: z
      .object({ title: z.string().min(1), performer: z.string().optional() })
      .strict()
      .optional(),
    document: z
      .object({ fileName: z.string().min(1), size: z.string().optional() })
      .strict()
      .optional(),
    sticker: z.number().int().optional(),
    poll: z
      .object({ question: z.string().min(1), options: z.array(z.string().min(1)).min(2).max(10) })
      .strict()
      .optional(),
    location: z
      .object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), title: z.string().optional(), address: z.string().optional() })
      .strict()
      .optional(),
    /** A service message instead of a post ("Channel created", "Channel photo updated", a pin); renames: the retitle action. */
    service: z.enum(['channel_created', 'photo_changed', 'photo_removed', 'pinned']).optional(),
  })
  .strict();
export type SimPostInput = z.infer<typeof simPost>;

const generate = z
  .object({
    count: z.number().int().min(0).max(5000),
    language: z.enum(['eng', 'arb', 'fra']).default('eng'),
    seed: z.number().int().default(1),
    startAt: z.string().datetime({ offset: true }).default('2026-11-01T00:00:00Z'),
    everyMinutes: z.number().positive().default(90),
    photoEvery: z.number().int().min(0).default(5),
  })
  .strict();

export const simChannelSchema = z
  .object({
    handle,
    channelId: z.string().regex(/^\d{5,15}$/),
    title: z.string().min(1),
    description: z.string().default(''),
    subscribers: z.number().int().min(0).default(1000),
    avatarSeed: z.number().int().default(1),
    state: z.enum(['active', 'removed', 'private']).default('active'),
    /** What the handle is: a channel (default), or a public group, a user or a bot (no t.me/s post list). */
    kind: z.enum(['channel', 'group', 'user', 'bot']).default('channel'),
    generate: generate.optional(),
    posts: z.array(simPost).default([]),
  })
  .strict();
export type SimChannelInput = z.infer<typeof simChannelSchema>;

const simItem = z
  .object({ title: z.string(), text: z.string(), date: z.string().datetime({ offset: true }).optional(), link: z.string().url().optional() })
  .strict();
const feed = z
  .object({ name: z.string().regex(/^[a-z0-9_-]+$/), title: z.string(), format: z.enum(['rss', 'atom']).default('rss'), items: z.array(simItem).default([]) })
  .strict();
const boardPost = z
  .object({ author: z.string().default('anon'), text: z.string(), date: z.string().datetime({ offset: true }).optional(), image: z.number().int().optional() })
  .strict();
const forum = z
  .object({
    name: z.string().regex(/^[a-z0-9_-]+$/),
    title: z.string(),
    encoding: z.string().default('utf-8'),
    lang: z.string().default('en'),
    posts: z.array(boardPost).default([]),
  })
  .strict();
const jsPage = z.object({ name: z.string().regex(/^[a-z0-9_-]+$/), title: z.string(), posts: z.array(boardPost).default([]) }).strict();

/** YouTube: channels with videos, served as feeds, watch pages and channel pages (src/simulator/youtube-markup.ts). */
/** `age_restricted`: public, behind the age gate (its watch page says LOGIN_REQUIRED with full details). */
export const YT_VIDEO_STATES = ['available', 'age_restricted', 'tos', 'terminated', 'private', 'deleted'] as const;
/** `age_restricted`: its channel page holds only a channelAgeGateRenderer; its feed and videos are still served. */
export const YT_CHANNEL_STATES = ['active', 'age_restricted', 'terminated'] as const;
const ytVideo = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{11}$/, 'an 11-character video id'),
    title: z.string().min(1),
    description: z.string().default(''),
    published: z.string().datetime({ offset: true }).optional(),
    lengthSeconds: z.number().int().min(0).default(60),
    views: z.number().int().min(0).default(0),
    /** The thumbnail is this generated picture (as a Telegram photo of the same seed). */
    thumb: z.number().int(),
    state: z.enum(YT_VIDEO_STATES).default('available'),
  })
  .strict();
const ytChannel = z
  .object({
    channelId: z.string().regex(/^UC[A-Za-z0-9_-]{22}$/),
    title: z.string().min(1),
    description: z.string().default(''),
    state: z.enum(YT_CHANNEL_STATES).default('active'),
    videos: z.array(ytVideo).default([]),
  })
  .strict();
const ytPlaylist = z
  .object({ playlistId: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/), title: z.string().min(1), videos: z.array(z.string()).default([]) })
  .strict();
/** The Internet Archive: items found by the advanced search and described by the metadata API (src/simulator/archive-json.ts). */
const iaItem = z
  .object({
    identifier: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/),
    title: z.string().min(1),
    description: z.string().default(''),
    uploader: z.string().default('synthetic.uploader@example.org'),
    collections: z.array(z.string()).default([]),
    mediatype: z.enum(['movies', 'texts', 'image', 'audio']).default('movies'),
    publicdate: z.string().datetime({ offset: true }).optional(),
    downloads: z.number().int().min(0).default(0),
    /** The item image (`/services/img/<id>`) is this generated picture. */
    image: z.number().int(),
    /** A generated slideshow video file from these seeds ("11-12-13"). */
    video: z
      .string()
      .regex(/^\d+(-\d+)*$/)
      .optional(),
    state: z.enum(['public', 'dark', 'missing']).default('public'),
  })
  .strict();
export type SimYtVideoInput = z.infer<typeof ytVideo>;
export type SimYtChannelInput = z.infer<typeof ytChannel>;
export type SimIaItemInput = z.infer<typeof iaItem>;

export const timelineActionSchema = z.discriminatedUnion('action', [
  z.object({ step: z.number().int().min(1), action: z.literal('post'), channel: handle, post: simPost }).strict(),
  z.object({ step: z.number().int().min(1), action: z.literal('remove'), channel: handle }).strict(),
  z.object({ step: z.number().int().min(1), action: z.literal('restore'), channel: handle }).strict(),
  z.object({ step: z.number().int().min(1), action: z.literal('make_private'), channel: handle }).strict(),
  z.object({ step: z.number().int().min(1), action: z.literal('rename'), channel: handle, to: handle }).strict(),
  /** A new title: the channel's header changes and a "Channel name was changed to «…»" service message is posted. */
  z.object({ step: z.number().int().min(1), action: z.literal('retitle'), channel: handle, to: z.string().min(1) }).strict(),
  z.object({ step: z.number().int().min(1), action: z.literal('create'), channel: simChannelSchema }).strict(),
  z.object({ step: z.number().int().min(1), action: z.literal('feed_item'), feed: z.string(), item: simItem }).strict(),
  z.object({ step: z.number().int().min(1), action: z.literal('forum_post'), forum: z.string(), post: boardPost }).strict(),
  z.object({ step: z.number().int().min(1), action: z.literal('youtube_video'), channel: z.string(), video: ytVideo }).strict(),
  /** A video's watch page from now on: available, or gone for one of YouTube's reasons. */
  z.object({ step: z.number().int().min(1), action: z.literal('youtube_video_state'), video: z.string(), state: z.enum(YT_VIDEO_STATES) }).strict(),
  z.object({ step: z.number().int().min(1), action: z.literal('youtube_views'), video: z.string(), views: z.number().int().min(0) }).strict(),
  /** A terminated channel: its feed answers 404, its page an error alert, its videos "account … terminated". */
  z.object({ step: z.number().int().min(1), action: z.literal('youtube_channel_state'), channel: z.string(), state: z.enum(YT_CHANNEL_STATES) }).strict(),
  z.object({ step: z.number().int().min(1), action: z.literal('archive_item'), item: iaItem }).strict(),
  z
    .object({ step: z.number().int().min(1), action: z.literal('archive_item_state'), identifier: z.string(), state: z.enum(['public', 'dark', 'missing']) })
    .strict(),
  z.object({ step: z.number().int().min(1), action: z.literal('archive_downloads'), identifier: z.string(), downloads: z.number().int().min(0) }).strict(),
]);
export type TimelineAction = z.infer<typeof timelineActionSchema>;

export const scenarioSchema = z
  .object({
    name: z.string(),
    channels: z.array(simChannelSchema).default([]),
    feeds: z.array(feed).default([]),
    forums: z.array(forum).default([]),
    jsPages: z.array(jsPage).default([]),
    youtube: z
      .object({ channels: z.array(ytChannel).default([]), playlists: z.array(ytPlaylist).default([]) })
      .strict()
      .prefault({}),
    archive: z
      .object({ items: z.array(iaItem).default([]) })
      .strict()
      .prefault({}),
    timeline: z.array(timelineActionSchema).default([]),
  })
  .strict();
export type Scenario = z.infer<typeof scenarioSchema>;
export type SimFeed = z.infer<typeof feed>;
export type SimForum = z.infer<typeof forum>;
export type SimBoardPost = z.infer<typeof boardPost>;

export function parseScenario(obj: unknown, name: string): Scenario {
  const r = scenarioSchema.safeParse(obj);
  if (r.success) return r.data;
  const lines = r.error.issues.map(
    (i) =>
      `  ${name}: ${i.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '')}: ${i.message}`,
  );
  throw new Error(`invalid simulator scenario:\n${lines.join('\n')}`);
}

export function loadScenario(path: string): Scenario {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read scenario ${path}: ${(err as Error).message}`);
  }
  return parseScenario(raw, path);
}
