import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { ChannelSnapshot, MediaRef, ParsedPost } from '../types';
import { absoluteUrl, decodeDataView, extractBackgroundUrl, parseCount, parseDuration, parseTelegramLink } from './parse-helpers';

export interface ChannelPage {
  channel: ChannelSnapshot;
  posts: ParsedPost[];
  /** `data-before` of the "more" link: the next older page is `?before=<this>`. */
  olderBefore?: string;
  /** True when the page has the channel header or the message history section. */
  hasPostList: boolean;
}

type $ = cheerio.CheerioAPI;

const BLOCK_TAGS = new Set(['p', 'div', 'li', 'blockquote', 'pre', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Plain text of an element: `<br>` and block ends become line breaks; no markup survives. Iterative (deep trees). */
export function plainText(root: AnyNode | undefined): string {
  if (!root) return '';
  const out: string[] = [];
  const stack: Array<AnyNode | '\n'> = [root];
  while (stack.length) {
    const node = stack.pop() as AnyNode | '\n';
    if (node === '\n') { out.push('\n'); continue; }
    // Raw newlines in markup are plain whitespace in HTML; only <br> and block ends break lines.
    if (node.type === 'text') { out.push((node as unknown as { data: string }).data.replace(/[\r\n]+/g, ' ')); continue; }
    if (node.type === 'script' || node.type === 'style' || node.type === 'comment') continue;
    const el = node as Element;
    if (!('children' in el)) continue;
    if (el.name === 'br') { out.push('\n'); continue; }
    if (BLOCK_TAGS.has(el.name)) stack.push('\n');
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i] as AnyNode);
  }
  return out
    .join('')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function text($: $, el: cheerio.Cheerio<Element>): string | undefined {
  const t = plainText(el.get(0));
  return t ? t : undefined;
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v.replace(/^%23/i, '#');
  }
}

function parseMedia($: $, msg: cheerio.Cheerio<Element>, baseUrl: string): MediaRef[] {
  const media: MediaRef[] = [];
  msg.find('.tgme_widget_message_photo_wrap').each((_, el) => {
    const url = absoluteUrl(extractBackgroundUrl($(el).attr('style')), baseUrl);
    media.push({ kind: 'photo', ...(url ? { url } : {}) });
  });
  msg.find('.tgme_widget_message_video_player').each((_, el) => {
    const player = $(el);
    const isGif = player.hasClass('tgme_widget_message_gif') || player.find('.tgme_widget_message_gif').length > 0;
    const url = absoluteUrl(player.find('video').attr('src'), baseUrl);
    const thumbUrl = absoluteUrl(extractBackgroundUrl(player.find('.tgme_widget_message_video_thumb').attr('style')), baseUrl);
    const durationSec = parseDuration(player.find('.message_video_duration').first().text());
    media.push({
      kind: isGif ? 'gif' : 'video',
      ...(url ? { url } : {}),
      ...(thumbUrl ? { thumbUrl } : {}),
      ...(durationSec !== undefined && !isGif ? { durationSec } : {}),
    });
  });
  msg.find('.tgme_widget_message_document').each((_, el) => {
    const d = $(el);
    const fileName = d.find('.tgme_widget_message_document_title').first().text().trim();
    const sizeText = d.find('.tgme_widget_message_document_extra').first().text().trim();
    media.push({ kind: 'document', ...(fileName ? { fileName } : {}), ...(sizeText ? { sizeText } : {}) });
  });
  return media;
}

function parseMessage($: $, el: Element, baseUrl: string): ParsedPost | undefined {
  const msg = $(el);
  const dataPost = msg.attr('data-post') ?? '';
  const m = /^([A-Za-z0-9_]+)\/(\d+)$/.exec(dataPost.trim());
  if (!m) return undefined;
  const postId = m[2] as string;
  const textEl = msg.find('.tgme_widget_message_text').not('.tgme_widget_message_reply *').first();
  const body = textEl.get(0);
  const links: string[] = [];
  const hashtags = new Set<string>();
  const mentions = new Set<string>();
  textEl.find('a').each((_, a) => {
    const href = $(a).attr('href') ?? '';
    const label = $(a).text().trim();
    if (href.startsWith('?q=')) {
      const tag = safeDecode(href.slice(3)).replace(/^#/, '').trim();
      if (tag) hashtags.add(tag);
      return;
    }
    if (label.startsWith('@')) {
      mentions.add(label.slice(1));
      return;
    }
    const abs = absoluteUrl(href, baseUrl);
    if (abs) links.push(abs);
  });
  const plain = plainText(body);
  for (const h of plain.matchAll(/(?:^|\s)#([\p{L}\p{N}_]{1,100})/gu)) hashtags.add(h[1] as string);
  for (const h of plain.matchAll(/(?:^|[\s(])@([A-Za-z0-9_]{3,64})\b/g)) mentions.add(h[1] as string);

  const dateAttr = msg.find('.tgme_widget_message_date time').attr('datetime') ?? msg.find('time[datetime]').last().attr('datetime');
  const published = dateAttr ? new Date(dateAttr) : undefined;
  const views = parseCount(msg.find('.tgme_widget_message_views').first().text());
  const url = absoluteUrl(msg.find('.tgme_widget_message_date').attr('href'), baseUrl);

  const post: ParsedPost = {
    postId,
    text: plain,
    links: [...new Set(links)],
    hashtags: [...hashtags],
    mentions: [...mentions],
    media: parseMedia($, msg, baseUrl),
    ...(url ? { url } : {}),
    ...(published && !Number.isNaN(published.getTime()) ? { publishedAt: published } : {}),
    ...(views !== undefined ? { views } : {}),
  };

  const fwd = msg.find('.tgme_widget_message_forwarded_from').first();
  if (fwd.length) {
    const a = fwd.find('a.tgme_widget_message_forwarded_from_name, a').first();
    const href = a.attr('href');
    const name = (a.length ? a.text() : fwd.text().replace(/^\s*Forwarded from\s*/i, '')).trim();
    const link = href ? parseTelegramLink(href, baseUrl) : {};
    const fwdUrl = absoluteUrl(href, baseUrl);
    post.forwardedFrom = {
      ...(name ? { name } : {}),
      ...(link.handle ? { handle: link.handle } : {}),
      ...(fwdUrl ? { url: fwdUrl } : {}),
      ...(link.postId ? { postId: link.postId } : {}),
    };
  }
  const reply = msg.find('a.tgme_widget_message_reply').first();
  if (reply.length) {
    const href = reply.attr('href');
    const link = href ? parseTelegramLink(href, baseUrl) : {};
    const replyUrl = absoluteUrl(href, baseUrl);
    post.replyTo = { ...(link.postId ? { postId: link.postId } : {}), ...(replyUrl ? { url: replyUrl } : {}) };
  }
  const lp = msg.find('a.tgme_widget_message_link_preview').first();
  const lpUrl = absoluteUrl(lp.attr('href'), baseUrl);
  if (lp.length && lpUrl) {
    const imageUrl = absoluteUrl(extractBackgroundUrl(lp.find('[style*="background-image"]').first().attr('style')), baseUrl);
    const siteName = lp.find('.link_preview_site_name').first().text().trim();
    const title = lp.find('.link_preview_title').first().text().trim();
    const description = text($, lp.find('.link_preview_description').first());
    post.linkPreview = {
      url: lpUrl,
      ...(siteName ? { siteName } : {}),
      ...(title ? { title } : {}),
      ...(description ? { description } : {}),
      ...(imageUrl ? { imageUrl } : {}),
    };
  }
  return post;
}

/** Parses one `t.me/s/<handle>` page (pure). */
export function parseChannelPage(html: string, opts: { baseUrl: string; handle: string; pageUrl?: string }): ChannelPage {
  const $ = cheerio.load(html, { scriptingEnabled: false });
  const info = $('.tgme_channel_info').first();
  const history = $('.tgme_channel_history, .js-message_history').first();
  const hasPostList = info.length > 0 || history.length > 0;

  const usernameText = info.find('.tgme_channel_info_header_username').first().text().trim().replace(/^@/, '');
  const handle = /^[A-Za-z0-9_]{3,64}$/.test(usernameText) ? usernameText : opts.handle;
  const title = text($, info.find('.tgme_channel_info_header_title').first()) ?? $('meta[property="og:title"]').attr('content')?.trim();
  const description = text($, info.find('.tgme_channel_info_description').first());
  const avatarUrl = absoluteUrl(info.find('.tgme_page_photo_image img').first().attr('src'), opts.baseUrl);
  let subscribers: number | undefined;
  info.find('.tgme_channel_info_counter').each((_, el) => {
    const type = $(el).find('.counter_type').text().trim().toLowerCase();
    if (/subscriber|member/.test(type)) subscribers = parseCount($(el).find('.counter_value').text());
  });

  const posts: ParsedPost[] = [];
  const seen = new Set<string>();
  let platformId: string | undefined;
  $('.tgme_widget_message[data-post]').each((_, el) => {
    if (!platformId) platformId = decodeDataView($(el).attr('data-view')).channelId;
    const post = parseMessage($, el, opts.baseUrl);
    if (post && !seen.has(post.postId)) {
      seen.add(post.postId);
      posts.push(post);
    }
  });
  posts.sort((a, b) => Number(a.postId) - Number(b.postId));

  const before = $('.tme_messages_more[data-before]').first().attr('data-before');
  const channel: ChannelSnapshot = {
    platform: 'telegram',
    handle,
    status: 'active',
    ...(platformId ? { platformId } : {}),
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(avatarUrl ? { avatarUrl } : {}),
    ...(subscribers !== undefined ? { subscribers } : {}),
  };
  return { channel, posts, hasPostList, ...(before && /^\d+$/.test(before) ? { olderBefore: before } : {}) };
}
