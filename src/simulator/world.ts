import type {
  Scenario,
  SimChannelInput,
  SimPostInput,
  SimFeed,
  SimForum,
  SimIaItemInput,
  SimYtChannelInput,
  SimYtVideoInput,
  TimelineAction,
} from './scenario';

/** The parts of a post input that are not common to every post (other kinds, service messages). */
export type SimPostExtras = Pick<SimPostInput, 'gif' | 'roundVideo' | 'voiceSeconds' | 'audio' | 'document' | 'sticker' | 'poll' | 'location'>;
export type SimService = NonNullable<SimPostInput['service']> | { renamedTo: string };
import { generateText } from './text-generator';
import { simChannelSchema } from './scenario';

export interface SimPost {
  id: number;
  text: string;
  date: Date;
  photos: Array<number | string>;
  video?: string;
  forwardFrom?: string;
  links: string[];
  views: number;
  extras: SimPostExtras;
  service?: SimService;
}

export interface SimChannel {
  handle: string;
  channelId: string;
  title: string;
  description: string;
  subscribers: number;
  avatarSeed: number;
  state: 'active' | 'removed' | 'private';
  kind: 'channel' | 'group' | 'user' | 'bot';
  posts: SimPost[];
}

export type SimYtVideo = SimYtVideoInput & { channelId: string; published: string };
export type SimYtChannel = Omit<SimYtChannelInput, 'videos'> & { videos: SimYtVideo[] };
export type SimIaItem = SimIaItemInput & { publicdate: string };

/** Mutable state of the simulated platforms. Handles are case-insensitive. */
export class SimWorld {
  readonly channels = new Map<string, SimChannel>();
  readonly feeds = new Map<string, SimFeed>();
  readonly forums = new Map<string, SimForum>();
  readonly ytChannels = new Map<string, SimYtChannel>();
  readonly ytVideos = new Map<string, SimYtVideo>();
  readonly ytPlaylists = new Map<string, { title: string; videos: string[] }>();
  readonly iaItems = new Map<string, SimIaItem>();
  step = 0;
  /** Moves on at every change of the world (a rendered page of an older version is stale). */
  version = 0;

  constructor(
    readonly scenario: Scenario,
    private readonly clock: () => Date,
  ) {
    for (const c of scenario.channels) this.addChannel(c);
    for (const f of scenario.feeds) this.feeds.set(f.name, structuredClone(f));
    for (const f of scenario.forums) this.forums.set(f.name, structuredClone(f));
    for (const c of scenario.youtube.channels) {
      this.ytChannels.set(c.channelId, { channelId: c.channelId, title: c.title, description: c.description, state: c.state, videos: [] });
      for (const v of c.videos) this.addYtVideo(c.channelId, v);
    }
    for (const p of scenario.youtube.playlists) this.ytPlaylists.set(p.playlistId, { title: p.title, videos: [...p.videos] });
    for (const i of scenario.archive.items) this.addIaItem(i);
  }

  addYtVideo(channelId: string, v: SimYtVideoInput): SimYtVideo {
    const ch = this.ytChannels.get(channelId);
    if (!ch) throw new Error(`simulator: no YouTube channel "${channelId}"`);
    if (this.ytVideos.has(v.id)) throw new Error(`simulator: YouTube video "${v.id}" exists already`);
    const video: SimYtVideo = { ...structuredClone(v), channelId, published: v.published ?? this.clock().toISOString() };
    ch.videos.unshift(video); // feeds list the newest first
    this.ytVideos.set(v.id, video);
    return video;
  }

  addIaItem(i: SimIaItemInput): SimIaItem {
    if (this.iaItems.has(i.identifier)) throw new Error(`simulator: archive item "${i.identifier}" exists already`);
    const item: SimIaItem = { ...structuredClone(i), publicdate: i.publicdate ?? this.clock().toISOString() };
    this.iaItems.set(i.identifier, item);
    return item;
  }

  private mustVideo(id: string): SimYtVideo {
    const v = this.ytVideos.get(id);
    if (!v) throw new Error(`simulator: no YouTube video "${id}"`);
    return v;
  }

  private mustItem(id: string): SimIaItem {
    const i = this.iaItems.get(id);
    if (!i) throw new Error(`simulator: no archive item "${id}"`);
    return i;
  }

  channel(handle: string): SimChannel | undefined {
    return this.channels.get(handle.toLowerCase());
  }

  private mustChannel(handle: string): SimChannel {
    const c = this.channel(handle);
    if (!c) throw new Error(`simulator: no channel "${handle}"`);
    return c;
  }

  addChannel(raw: SimChannelInput): SimChannel {
    // a channel built in code (benches, tests) goes through the scenario's schema too: one without a kind would
    // render as an empty page, and no probe would ever see it
    const parsed = simChannelSchema.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `simulator: channel "${String((raw as { handle?: unknown }).handle)}": ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const input = parsed.data;
    this.version++;
    if (this.channel(input.handle)) throw new Error(`simulator: channel "${input.handle}" exists already`);
    const ch: SimChannel = {
      handle: input.handle,
      channelId: input.channelId,
      title: input.title,
      description: input.description,
      subscribers: input.subscribers,
      avatarSeed: input.avatarSeed,
      state: input.state,
      kind: input.kind,
      posts: [],
    };
    if (input.generate) {
      const g = input.generate;
      const start = Date.parse(g.startAt);
      for (let i = 0; i < g.count; i++) {
        this.pushPost(ch, {
          text: generateText(g.language, g.seed * 100003 + i),
          date: new Date(start + i * g.everyMinutes * 60000).toISOString(),
          photos: g.photoEvery > 0 && i % g.photoEvery === 0 ? [g.seed * 1000 + i] : [],
          links: [],
        });
      }
    }
    for (const p of input.posts) this.pushPost(ch, p);
    this.channels.set(ch.handle.toLowerCase(), ch);
    return ch;
  }

  pushPost(ch: SimChannel, p: Omit<SimPostInput, 'service'> & { service?: SimService }): SimPost {
    this.version++;
    const id = (ch.posts[ch.posts.length - 1]?.id ?? 0) + 1;
    const post: SimPost = {
      id,
      text: p.text,
      date: p.date ? new Date(p.date) : this.clock(),
      photos: p.photos,
      ...(p.video ? { video: p.video } : {}),
      links: p.links,
      views: p.views ?? 100 + ((id * 37) % 900),
      ...(p.forwardFrom ? { forwardFrom: p.forwardFrom } : {}),
      extras: {
        ...(p.gif ? { gif: p.gif } : {}),
        ...(p.roundVideo ? { roundVideo: p.roundVideo } : {}),
        ...(p.voiceSeconds !== undefined ? { voiceSeconds: p.voiceSeconds } : {}),
        ...(p.audio ? { audio: p.audio } : {}),
        ...(p.document ? { document: p.document } : {}),
        ...(p.sticker !== undefined ? { sticker: p.sticker } : {}),
        ...(p.poll ? { poll: p.poll } : {}),
        ...(p.location ? { location: p.location } : {}),
      },
      ...(p.service ? { service: p.service } : {}),
    };
    ch.posts.push(post);
    return post;
  }

  apply(action: TimelineAction): void {
    this.version++;
    switch (action.action) {
      case 'post':
        this.pushPost(this.mustChannel(action.channel), action.post);
        break;
      case 'remove':
        this.mustChannel(action.channel).state = 'removed';
        break;
      case 'restore':
        this.mustChannel(action.channel).state = 'active';
        break;
      case 'make_private':
        this.mustChannel(action.channel).state = 'private';
        break;
      case 'rename': {
        const ch = this.mustChannel(action.channel);
        if (this.channel(action.to)) throw new Error(`simulator: cannot rename to "${action.to}": taken`);
        this.channels.delete(ch.handle.toLowerCase());
        ch.handle = action.to;
        this.channels.set(ch.handle.toLowerCase(), ch);
        break;
      }
      case 'retitle': {
        const ch = this.mustChannel(action.channel);
        ch.title = action.to;
        this.pushPost(ch, { text: '', photos: [], links: [], service: { renamedTo: action.to } });
        break;
      }
      case 'create':
        this.addChannel(action.channel);
        break;
      case 'feed_item': {
        const f = this.feeds.get(action.feed);
        if (!f) throw new Error(`simulator: no feed "${action.feed}"`);
        f.items.push({ ...action.item, date: action.item.date ?? this.clock().toISOString() });
        break;
      }
      case 'youtube_video':
        this.addYtVideo(action.channel, action.video);
        break;
      case 'youtube_video_state':
        this.mustVideo(action.video).state = action.state;
        break;
      case 'youtube_views':
        this.mustVideo(action.video).views = action.views;
        break;
      case 'youtube_channel_state': {
        const ch = this.ytChannels.get(action.channel);
        if (!ch) throw new Error(`simulator: no YouTube channel "${action.channel}"`);
        ch.state = action.state;
        break;
      }
      case 'archive_item':
        this.addIaItem(action.item);
        break;
      case 'archive_item_state':
        this.mustItem(action.identifier).state = action.state;
        break;
      case 'archive_downloads':
        this.mustItem(action.identifier).downloads = action.downloads;
        break;
      case 'forum_post': {
        const f = this.forums.get(action.forum);
        if (!f) throw new Error(`simulator: no forum "${action.forum}"`);
        f.posts.push({ ...action.post, date: action.post.date ?? this.clock().toISOString() });
        break;
      }
    }
  }

  /** Applies every timeline action of the next step; returns them (undefined when the timeline is over). */
  advance(): TimelineAction[] | undefined {
    const next = this.step + 1;
    const maxStep = Math.max(0, ...this.scenario.timeline.map((a) => a.step));
    if (next > maxStep) return undefined;
    const actions = this.scenario.timeline.filter((a) => a.step === next);
    for (const a of actions) this.apply(a);
    this.step = next;
    return actions;
  }

  advanceTo(step: number): void {
    while (this.step < step && this.advance()) {
      /* keep going */
    }
  }
}
