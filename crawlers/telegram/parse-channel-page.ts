import { Parser } from 'htmlparser2';
import type { ChannelSnapshot, GeoLocation, LinkPreview, MediaRef, ParsedPost, Poll } from '../types';
import { BLOCK_TAGS, TextBuilder } from './plain-text';
import { decodeDataView, extractBackgroundUrl, linkUrl, parseCount, parseDuration, parseMapLink, parseTelegramLink } from './parse-helpers';
import { classifyServiceText } from './service-message';
import { DEFAULT_MAX_HTML_DEPTH, tooDeepError } from '../nesting-depth';

export { plainText } from './plain-text';

export interface ChannelPage {
  channel: ChannelSnapshot;
  posts: ParsedPost[];
  /** `data-before` of the "more" link: the next older page is `?before=<this>`. */
  olderBefore?: string;
  /** True when the page has the channel header or the message history section. */
  hasPostList: boolean;
  /** The header's counters as printed ("subscribers" → "11.3M", "photos" → "101", …). */
  counters: Record<string, string>;
}

type Attrs = Record<string, string>;
type OnClose = () => void;

/** One open element: what to do when it closes. */
interface Frame {
  block: boolean;
  end: OnClose | undefined;
}

/** Text of one element, with the links, hashtags and mentions written as anchors in it. */
interface Capture {
  tb: TextBuilder;
  anchors?: Array<{ href: string; label: string }>;
}

interface MediaDraft {
  kind: 'video' | 'round_video' | 'voice';
  gif: boolean;
  url?: string;
  thumbUrl?: string;
  duration?: Capture;
}

interface DocDraft {
  audio: boolean;
  title?: Capture;
  extra?: Capture;
}

interface MessageDraft {
  postId?: string;
  channelId?: string;
  service: boolean;
  text?: Capture;
  media: MediaRef[];
  video?: MediaDraft;
  doc?: DocDraft;
  sticker?: { url?: string };
  views?: Capture;
  url?: string;
  inDate: boolean;
  dateAttr?: string;
  lastTimeAttr?: string;
  forward?: { all: Capture; name?: Capture; href?: string; anchorSeen: boolean };
  reply?: { href?: string };
  inReply: number;
  preview?: { href?: string; siteName?: Capture; title?: Capture; description?: Capture; imageUrl?: string };
  inPreview: number;
  poll?: { question?: Capture; type?: Capture; options: Capture[] };
  location?: { href?: string; title?: Capture; address?: Capture };
  done: boolean;
}

const NO_CLASSES: readonly string[] = [];

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v.replace(/^%23/i, '#');
  }
}

/**
 * Streaming parser for one `t.me/s/<handle>` page: htmlparser2's callback interface, no DOM. Every element is seen
 * once, in document order; the message being read is a small draft that is finished when its element closes.
 * Iterative (a stack of open elements), so deep or unclosed nesting costs memory, not the call stack; nesting deeper
 * than `maxDepth` stops the parse with a ParseError (the work per element grows with the open captures).
 */
class ChannelPageReader {
  private readonly frames: Frame[] = [];
  private readonly captures: Capture[] = [];
  private anchor: { href: string; label: string; into: Capture } | undefined;
  private skip = 0;

  hasInfo = false;
  hasHistory = false;
  private inInfo = 0;
  private inAvatar = 0;
  title?: Capture;
  username?: Capture;
  description?: Capture;
  avatarUrl?: string;
  ogTitle?: string;
  olderBefore?: string;
  readonly counters: Record<string, string> = {};
  private counter?: { value?: Capture; type?: Capture };

  private msg: MessageDraft | undefined;
  readonly posts: ParsedPost[] = [];
  platformId?: string;

  constructor(
    private readonly baseUrl: string,
    private readonly maxDepth: number,
    private readonly pageUrl?: string,
  ) {}

  run(html: string): void {
    const parser = new Parser(
      {
        onopentag: (name, attrs) => this.open(name, attrs),
        onclosetag: () => this.close(),
        ontext: (t) => this.text(t),
      },
      { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
    );
    parser.write(html);
    parser.end();
    while (this.frames.length) this.close();
    if (this.msg) this.finishMessage(this.msg);
  }

  private capture(withAnchors = false): Capture {
    const c: Capture = withAnchors ? { tb: new TextBuilder(), anchors: [] } : { tb: new TextBuilder() };
    this.captures.push(c);
    return c;
  }

  private release(c: Capture): void {
    const i = this.captures.lastIndexOf(c);
    if (i >= 0) this.captures.splice(i, 1);
  }

  /** Captures the text of the element being opened; `done` runs when it closes. */
  private captureElement(withAnchors = false, done?: (c: Capture) => void): { capture: Capture; end: OnClose } {
    const c = this.capture(withAnchors);
    return {
      capture: c,
      end: () => {
        this.release(c);
        done?.(c);
      },
    };
  }

  private text(t: string): void {
    if (this.skip || this.captures.length === 0) return;
    for (const c of this.captures) c.tb.text(t);
    if (this.anchor) this.anchor.label += t;
  }

  private close(): void {
    const f = this.frames.pop();
    if (!f) return;
    if (f.block) for (const c of this.captures) c.tb.block();
    f.end?.();
  }

  private open(name: string, attrs: Attrs): void {
    if (this.frames.length >= this.maxDepth) throw tooDeepError('Telegram preview page', this.maxDepth, this.pageUrl);
    const block = BLOCK_TAGS.has(name);
    if (block) for (const c of this.captures) c.tb.block();
    const end = this.handle(name, attrs);
    this.frames.push({ block, end });
  }

  /** Chains two close actions. */
  private static both(a: OnClose | undefined, b: OnClose | undefined): OnClose | undefined {
    if (!a) return b;
    if (!b) return a;
    return () => {
      a();
      b();
    };
  }

  private handle(name: string, attrs: Attrs): OnClose | undefined {
    if (name === 'script' || name === 'style' || name === 'template') {
      this.skip++;
      return () => {
        this.skip--;
      };
    }
    if (name === 'br') {
      for (const c of this.captures) c.tb.br();
      return undefined;
    }
    const cls = attrs.class;
    const classes = cls ? cls.split(/\s+/) : NO_CLASSES;
    const msg = this.msg;

    if (msg && !msg.done) {
      if (name === 'div' && classes.includes('tgme_widget_message') && attrs['data-post'] !== undefined) {
        // A message opened inside another (broken markup): the outer one ends here.
        this.finishMessage(msg);
        return this.startMessage(attrs, classes);
      }
      return this.handleInMessage(msg, name, attrs, classes);
    }
    if (name === 'div' && classes.includes('tgme_widget_message') && attrs['data-post'] !== undefined) return this.startMessage(attrs, classes);
    return this.handlePage(name, attrs, classes);
  }

  private handlePage(name: string, attrs: Attrs, classes: readonly string[]): OnClose | undefined {
    if (name === 'meta') {
      if (attrs.property === 'og:title' && this.ogTitle === undefined) this.ogTitle = (attrs.content ?? '').trim();
      return undefined;
    }
    if (classes.length === 0) {
      if (name === 'img' && this.inAvatar && this.avatarUrl === undefined) this.avatarUrl = linkUrl(attrs.src, this.baseUrl);
      return undefined;
    }
    if (classes.includes('tme_messages_more')) {
      if (this.olderBefore === undefined && attrs['data-before'] !== undefined) this.olderBefore = attrs['data-before'];
      return undefined;
    }
    if (classes.includes('tgme_channel_history') || classes.includes('js-message_history')) {
      this.hasHistory = true;
      return undefined;
    }
    if (classes.includes('tgme_channel_info')) {
      this.hasInfo = true;
      this.inInfo++;
      return () => {
        this.inInfo--;
      };
    }
    if (!this.inInfo) return undefined;
    if (classes.includes('tgme_page_photo_image')) {
      this.inAvatar++;
      return () => {
        this.inAvatar--;
      };
    }
    if (classes.includes('tgme_channel_info_header_title') && !this.title) return this.captureElement(false, (c) => (this.title = c)).end;
    if (classes.includes('tgme_channel_info_header_username') && !this.username) return this.captureElement(false, (c) => (this.username = c)).end;
    if (classes.includes('tgme_channel_info_description') && !this.description) return this.captureElement(false, (c) => (this.description = c)).end;
    if (classes.includes('tgme_channel_info_counter')) {
      const counter: { value?: Capture; type?: Capture } = {};
      this.counter = counter;
      return () => {
        this.counter = undefined;
        const type = counter.type?.tb.oneLine().toLowerCase();
        const value = counter.value?.tb.oneLine();
        if (type && value && this.counters[type] === undefined) this.counters[type] = value;
      };
    }
    if (this.counter && classes.includes('counter_value')) {
      const counter = this.counter;
      return this.captureElement(false, (c) => (counter.value = c)).end;
    }
    if (this.counter && classes.includes('counter_type')) {
      const counter = this.counter;
      return this.captureElement(false, (c) => (counter.type = c)).end;
    }
    return undefined;
  }

  private startMessage(attrs: Attrs, classes: readonly string[]): OnClose {
    const m = /^([A-Za-z0-9_]+)\/(\d+)$/.exec((attrs['data-post'] ?? '').trim());
    const draft: MessageDraft = {
      service: classes.includes('service_message'),
      media: [],
      inDate: false,
      inReply: 0,
      inPreview: 0,
      done: false,
      ...(m ? { postId: m[2] as string } : {}),
    };
    const id = decodeDataView(attrs['data-view']).channelId;
    if (id) draft.channelId = id;
    this.msg = draft;
    return () => this.finishMessage(draft);
  }

  private handleInMessage(msg: MessageDraft, name: string, attrs: Attrs, classes: readonly string[]): OnClose | undefined {
    // Anchors inside the message text: links, #hashtags, @mentions.
    if (name === 'a' && msg.text && this.captures.includes(msg.text) && !this.anchor) {
      const into = msg.text;
      const a = { href: attrs.href ?? '', label: '', into };
      this.anchor = a;
      return () => {
        this.anchor = undefined;
        into.anchors?.push({ href: a.href, label: a.label });
      };
    }
    if (name === 'time') {
      const dt = attrs.datetime;
      if (dt !== undefined) {
        msg.lastTimeAttr = dt;
        if (msg.inDate && msg.dateAttr === undefined) msg.dateAttr = dt;
      }
      if (msg.video && classes.includes('message_video_duration') && !msg.video.duration) return this.captureDuration(msg.video);
      if (
        msg.video &&
        (classes.includes('tgme_widget_message_roundvideo_duration') || classes.includes('tgme_widget_message_voice_duration')) &&
        !msg.video.duration
      )
        return this.captureDuration(msg.video);
      return undefined;
    }
    if (name === 'video' || name === 'audio' || name === 'source' || name === 'img') return this.mediaSource(msg, name, attrs, classes);
    if (msg.forward && name === 'a' && !msg.forward.anchorSeen && this.captures.includes(msg.forward.all)) {
      const fwd = msg.forward;
      fwd.anchorSeen = true;
      if (attrs.href !== undefined) fwd.href = attrs.href;
      const { capture, end } = this.captureElement();
      fwd.name = capture;
      return end;
    }
    if (classes.length === 0) return undefined;

    if (msg.inPreview && msg.preview) return this.handleInPreview(msg.preview, attrs, classes);
    if (msg.inReply) return undefined;

    if (classes.includes('tgme_widget_message_text')) {
      if (msg.text) return undefined;
      const { capture, end } = this.captureElement(true);
      msg.text = capture;
      return end;
    }
    if (classes.includes('tgme_widget_message_reply')) {
      msg.reply ??= attrs.href !== undefined ? { href: attrs.href } : {};
      msg.inReply++;
      return () => {
        msg.inReply--;
      };
    }
    if (classes.includes('tgme_widget_message_link_preview')) {
      if (msg.preview) return undefined;
      msg.preview = attrs.href !== undefined ? { href: attrs.href } : {};
      msg.inPreview++;
      return () => {
        msg.inPreview--;
      };
    }
    if (classes.includes('tgme_widget_message_forwarded_from') && !msg.forward) {
      const { capture, end } = this.captureElement();
      msg.forward = { all: capture, anchorSeen: false };
      return end;
    }
    if (classes.includes('tgme_widget_message_photo_wrap')) {
      const url = linkUrl(extractBackgroundUrl(attrs.style), this.baseUrl);
      msg.media.push({ kind: 'photo', ...(url ? { url } : {}) });
      return undefined;
    }
    if (classes.includes('tgme_widget_message_video_player') && !msg.video) {
      return this.startPlayer(msg, { kind: 'video', gif: classes.includes('tgme_widget_message_gif') || classes.includes('js-message_gif') });
    }
    if (classes.includes('tgme_widget_message_roundvideo_player') && !msg.video) return this.startPlayer(msg, { kind: 'round_video', gif: false });
    if (classes.includes('tgme_widget_message_voice_player') && !msg.video) return this.startPlayer(msg, { kind: 'voice', gif: false });
    if (msg.video) {
      const v = msg.video;
      if (classes.includes('tgme_widget_message_gif') || classes.includes('tgme_widget_message_document_icon_gif')) v.gif = true;
      if (classes.includes('tgme_widget_message_video_thumb') || classes.includes('tgme_widget_message_roundvideo_thumb')) {
        const thumb = linkUrl(extractBackgroundUrl(attrs.style), this.baseUrl);
        if (thumb && !v.thumbUrl) v.thumbUrl = thumb;
      }
      if (
        !v.duration &&
        (classes.includes('message_video_duration') ||
          classes.includes('tgme_widget_message_roundvideo_duration') ||
          classes.includes('tgme_widget_message_voice_duration'))
      ) {
        return this.captureDuration(v);
      }
      return undefined;
    }
    if ((classes.includes('tgme_widget_message_document_wrap') || classes.includes('tgme_widget_message_document')) && !msg.doc) {
      const doc: DocDraft = { audio: false };
      msg.doc = doc;
      return () => {
        msg.doc = undefined;
        msg.media.push(documentRef(doc));
      };
    }
    if (msg.doc) {
      const doc = msg.doc;
      if (classes.includes('tgme_widget_message_document_icon') && classes.includes('audio')) doc.audio = true;
      if (classes.includes('tgme_widget_message_document_title') && !doc.title) return this.captureElement(false, (c) => (doc.title = c)).end;
      if (classes.includes('tgme_widget_message_document_extra') && !doc.extra) return this.captureElement(false, (c) => (doc.extra = c)).end;
      return undefined;
    }
    if (classes.includes('tgme_widget_message_sticker_wrap') && !msg.sticker) {
      const sticker: { url?: string } = {};
      msg.sticker = sticker;
      return () => {
        msg.sticker = undefined;
        msg.media.push({ kind: 'sticker', ...(sticker.url ? { url: sticker.url } : {}) });
      };
    }
    if (
      classes.includes('tgme_widget_message_sticker') ||
      classes.includes('tgme_widget_message_tgsticker') ||
      classes.includes('tgme_widget_message_videosticker')
    ) {
      const url = linkUrl(extractBackgroundUrl(attrs.style) ?? attrs['data-webp'], this.baseUrl);
      if (msg.sticker) {
        if (url && !msg.sticker.url) msg.sticker.url = url;
      } else if (classes.includes('tgme_widget_message_sticker')) {
        msg.media.push({ kind: 'sticker', ...(url ? { url } : {}) });
      }
      return undefined;
    }
    if (classes.includes('tgme_widget_message_poll') && !msg.poll) {
      msg.poll = { options: [] };
      return undefined;
    }
    if (msg.poll) {
      const poll = msg.poll;
      if (classes.includes('tgme_widget_message_poll_question') && !poll.question) return this.captureElement(false, (c) => (poll.question = c)).end;
      if (classes.includes('tgme_widget_message_poll_type') && !poll.type) return this.captureElement(false, (c) => (poll.type = c)).end;
      if (classes.includes('tgme_widget_message_poll_option_text')) return this.captureElement(false, (c) => poll.options.push(c)).end;
    }
    if (classes.includes('tgme_widget_message_location_wrap') && !msg.location) {
      msg.location = attrs.href !== undefined ? { href: attrs.href } : {};
      return undefined;
    }
    if (msg.location) {
      const loc = msg.location;
      if ((classes.includes('tgme_widget_message_location_title') || classes.includes('tgme_widget_message_venue_title')) && !loc.title)
        return this.captureElement(false, (c) => (loc.title = c)).end;
      if ((classes.includes('tgme_widget_message_location_address') || classes.includes('tgme_widget_message_venue_address')) && !loc.address)
        return this.captureElement(false, (c) => (loc.address = c)).end;
    }
    if (classes.includes('tgme_widget_message_views') && !msg.views) return this.captureElement(false, (c) => (msg.views = c)).end;
    if (classes.includes('tgme_widget_message_date')) {
      if (msg.url === undefined && attrs.href !== undefined) msg.url = attrs.href;
      msg.inDate = true;
      return () => {
        msg.inDate = false;
      };
    }
    return undefined;
  }

  private captureDuration(v: MediaDraft): OnClose {
    return this.captureElement(false, (c) => (v.duration = c)).end;
  }

  private startPlayer(msg: MessageDraft, v: MediaDraft): OnClose {
    msg.video = v;
    return () => {
      msg.video = undefined;
      msg.media.push(playerRef(v));
    };
  }

  private mediaSource(msg: MessageDraft, name: string, attrs: Attrs, classes: readonly string[]): OnClose | undefined {
    const v = msg.video;
    if (v && (name === 'video' || name === 'audio')) {
      const url = linkUrl(attrs.src, this.baseUrl);
      if (url && !v.url) v.url = url;
      return undefined;
    }
    if (name === 'audio' && classes.includes('tgme_widget_message_voice')) {
      // A voice message outside its usual player wrapper.
      const url = linkUrl(attrs.src, this.baseUrl);
      msg.media.push({ kind: 'voice', ...(url ? { url } : {}) });
      return undefined;
    }
    if (name === 'video' && classes.includes('tgme_widget_message_roundvideo')) {
      const url = linkUrl(attrs.src, this.baseUrl);
      msg.media.push({ kind: 'round_video', ...(url ? { url } : {}) });
      return undefined;
    }
    if (msg.sticker && !msg.sticker.url) {
      const src = name === 'source' ? attrs.srcset : attrs.src;
      const url = linkUrl(src, this.baseUrl);
      if (url) msg.sticker.url = url;
    }
    return undefined;
  }

  private handleInPreview(p: NonNullable<MessageDraft['preview']>, attrs: Attrs, classes: readonly string[]): OnClose | undefined {
    if (!p.imageUrl && attrs.style && attrs.style.includes('background-image')) {
      const url = linkUrl(extractBackgroundUrl(attrs.style), this.baseUrl);
      if (url) p.imageUrl = url;
    }
    if (classes.includes('link_preview_site_name') && !p.siteName) return this.captureElement(false, (c) => (p.siteName = c)).end;
    if (classes.includes('link_preview_title') && !p.title) return this.captureElement(false, (c) => (p.title = c)).end;
    if (classes.includes('link_preview_description') && !p.description) return this.captureElement(false, (c) => (p.description = c)).end;
    return undefined;
  }

  private finishMessage(d: MessageDraft): void {
    if (d.done) return;
    d.done = true;
    if (this.msg === d) this.msg = undefined;
    if (!this.platformId && d.channelId) this.platformId = d.channelId;
    if (d.postId === undefined) return;
    this.posts.push(buildPost(d, this.baseUrl));
  }
}

function documentRef(doc: DocDraft): MediaRef {
  const title = doc.title?.tb.oneLine();
  const extra = doc.extra?.tb.oneLine();
  if (doc.audio) return { kind: 'audio', ...(title ? { fileName: title } : {}), ...(extra ? { performer: extra } : {}) };
  return { kind: 'document', ...(title ? { fileName: title } : {}), ...(extra ? { sizeText: extra } : {}) };
}

function playerRef(v: MediaDraft): MediaRef {
  const durationSec = parseDuration(v.duration?.tb.oneLine());
  const kind = v.kind === 'video' && v.gif ? 'gif' : v.kind;
  return {
    kind,
    ...(v.url ? { url: v.url } : {}),
    ...(v.thumbUrl ? { thumbUrl: v.thumbUrl } : {}),
    ...(durationSec !== undefined && kind !== 'gif' ? { durationSec } : {}),
  };
}

function buildPost(d: MessageDraft, baseUrl: string): ParsedPost {
  const links: string[] = [];
  const hashtags = new Set<string>();
  const mentions = new Set<string>();
  let pinnedPostId: string | undefined;
  for (const a of d.text?.anchors ?? []) {
    const label = a.label.trim();
    if (a.href.startsWith('?q=')) {
      const tag = safeDecode(a.href.slice(3)).replace(/^#/, '').trim();
      if (tag) hashtags.add(tag);
      continue;
    }
    if (label.startsWith('@')) {
      const handle = label.slice(1).trim();
      if (handle) mentions.add(handle);
      continue;
    }
    const abs = linkUrl(a.href, baseUrl);
    if (!abs) continue;
    if (!links.includes(abs)) links.push(abs);
    if (d.service && !pinnedPostId) pinnedPostId = parseTelegramLink(abs, baseUrl).postId;
  }
  let text = d.text?.tb.result() ?? '';
  for (const h of text.matchAll(/(?:^|\s)#([\p{L}\p{N}_]{1,100})/gu)) hashtags.add(h[1] as string);
  for (const h of text.matchAll(/(?:^|[\s(])@([A-Za-z0-9_]{3,64})\b/g)) mentions.add(h[1] as string);

  const published = d.dateAttr ?? d.lastTimeAttr;
  const publishedAt = published ? new Date(published) : undefined;
  const views = parseCount(d.views?.tb.oneLine());
  const url = linkUrl(d.url, baseUrl);

  let poll: Poll | undefined;
  if (d.poll) {
    const question = d.poll.question?.tb.result() ?? '';
    const options = d.poll.options.map((o) => o.tb.oneLine()).filter(Boolean);
    const type = d.poll.type?.tb.oneLine();
    poll = { question, options, ...(type ? { type } : {}) };
    if (!text) text = [question, ...options].filter(Boolean).join('\n');
  }

  const post: ParsedPost = {
    postId: d.postId as string,
    text,
    links,
    hashtags: [...hashtags],
    mentions: [...mentions],
    media: d.media,
    ...(url ? { url } : {}),
    ...(publishedAt && !Number.isNaN(publishedAt.getTime()) ? { publishedAt } : {}),
    ...(views !== undefined ? { views } : {}),
    ...(poll ? { poll } : {}),
  };
  if (d.service) post.service = classifyServiceText(text, pinnedPostId);
  if (d.forward) {
    const href = d.forward.href;
    const name = (d.forward.name ? d.forward.name.tb.oneLine() : d.forward.all.tb.oneLine().replace(/^\s*Forwarded from\s*/i, '')).trim();
    const link = href ? parseTelegramLink(href, baseUrl) : {};
    const fwdUrl = linkUrl(href, baseUrl);
    post.forwardedFrom = {
      ...(name ? { name } : {}),
      ...(link.handle ? { handle: link.handle } : {}),
      ...(fwdUrl ? { url: fwdUrl } : {}),
      ...(link.postId ? { postId: link.postId } : {}),
    };
  }
  if (d.reply) {
    const href = d.reply.href;
    const link = href ? parseTelegramLink(href, baseUrl) : {};
    const replyUrl = linkUrl(href, baseUrl);
    post.replyTo = { ...(link.postId ? { postId: link.postId } : {}), ...(replyUrl ? { url: replyUrl } : {}) };
  }
  const lpUrl = linkUrl(d.preview?.href, baseUrl);
  if (d.preview && lpUrl) {
    const p = d.preview;
    const siteName = p.siteName?.tb.oneLine();
    const title = p.title?.tb.oneLine();
    const description = p.description?.tb.oneLine();
    const lp: LinkPreview = {
      url: lpUrl,
      ...(siteName ? { siteName } : {}),
      ...(title ? { title } : {}),
      ...(description ? { description } : {}),
      ...(p.imageUrl ? { imageUrl: p.imageUrl } : {}),
    };
    post.linkPreview = lp;
  }
  if (d.location) {
    const l = d.location;
    const mapUrl = linkUrl(l.href, baseUrl);
    const title = l.title?.tb.oneLine();
    const address = l.address?.tb.oneLine();
    const loc: GeoLocation = { ...parseMapLink(l.href), ...(title ? { title } : {}), ...(address ? { address } : {}), ...(mapUrl ? { url: mapUrl } : {}) };
    post.location = loc;
  }
  return post;
}

export interface ChannelPageOptions {
  baseUrl: string;
  handle: string;
  /** Named in errors. */
  pageUrl?: string;
  /** Elements nested deeper than this: ParseError (`limits.maxHtmlDepth`). */
  maxDepth?: number;
}

/** Parses one `t.me/s/<handle>` page (pure). Markup nested deeper than `maxDepth` throws ParseError. */
export function parseChannelPage(html: string, opts: ChannelPageOptions): ChannelPage {
  const r = new ChannelPageReader(opts.baseUrl, opts.maxDepth ?? DEFAULT_MAX_HTML_DEPTH, opts.pageUrl);
  r.run(html);
  const usernameText = (r.username?.tb.oneLine() ?? '').replace(/^@/, '');
  const handle = /^[A-Za-z0-9_]{3,64}$/.test(usernameText) ? usernameText : opts.handle;
  const title = r.title?.tb.oneLine() || r.ogTitle || undefined;
  const description = r.description?.tb.result() || undefined;
  const subscriberKey = Object.keys(r.counters).find((k) => /subscriber|member/.test(k));
  const subscribers = subscriberKey ? parseCount(r.counters[subscriberKey]) : undefined;

  const seen = new Set<string>();
  const posts: ParsedPost[] = [];
  for (const p of r.posts) {
    if (seen.has(p.postId)) continue;
    seen.add(p.postId);
    posts.push(p);
  }
  posts.sort((a, b) => Number(a.postId) - Number(b.postId));

  const channel: ChannelSnapshot = {
    platform: 'telegram',
    handle,
    status: 'active',
    kind: 'channel',
    ...(r.platformId ? { platformId: r.platformId } : {}),
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(r.avatarUrl ? { avatarUrl: r.avatarUrl } : {}),
    ...(subscribers !== undefined ? { subscribers } : {}),
  };
  const before = r.olderBefore;
  return {
    channel,
    posts,
    hasPostList: r.hasInfo || r.hasHistory,
    counters: r.counters,
    ...(before && /^\d+$/.test(before) ? { olderBefore: before } : {}),
  };
}
