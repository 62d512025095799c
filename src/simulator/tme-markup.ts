/**
 * Telegram's web-preview markup, as t.me renders it: `t.me/s/<handle>` channel pages and `t.me/<handle>` pages.
 * The structure (element nesting, class lists, attribute order, where the text, media, link preview and footer go)
 * is copied from real pages Telegram rendered (`shared/reference/telegram/`, see its README): the simulator and the
 * test fixtures both render through this module, so the tests, the demo and production parse the same markup.
 *
 * Kinds the reference pages have (text, photo, video, link preview, header, counters, cursor, status pages) follow
 * them exactly; the others (round video, voice, audio, document, sticker, GIF, poll, location, service messages,
 * forwards, replies, the removed-channel banner) use Telegram's class names for them inside the same message frame.
 * Pure string templates; every value is escaped here, except fields named `...Html` (the caller's markup).
 */

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Counts as t.me prints them next to posts and in the channel header: 950, 8.67K, 826K, 11.3M (3 significant digits). */
export function tmeCount(n: number): string {
  if (n < 1000) return String(Math.max(0, Math.floor(n)));
  const [div, suffix] = n >= 1e9 ? [1e9, 'B'] : n >= 1e6 ? [1e6, 'M'] : [1e3, 'K'];
  const v = n / div;
  const decimals = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  const f = 10 ** decimals;
  return `${(Math.floor(v * f) / f).toFixed(decimals).replace(/\.?0+$/, '')}${suffix}`;
}

/** Full counts as t.me/<handle> pages print them: "11 286 994". */
export function tmeFullCount(n: number): string {
  return String(Math.max(0, Math.floor(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** `data-view` token: base64 (unpadded) of `{"c":-<channel id>,"p":<post>,"t":<unix>,"h":"<hex>"}`, as on real pages. */
export function tmeDataView(channelId: string, postId: number, unixTime = 1786277379): string {
  const json = `{"c":-${channelId},"p":${postId},"t":${unixTime},"h":"${(postId * 2654435761).toString(16).padStart(18, '0').slice(-18)}"}`;
  return Buffer.from(json).toString('base64').replace(/=+$/, '');
}

export function tmeDateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export type TmeMedia =
  | { kind: 'photo'; url: string; widthPx?: number }
  | { kind: 'video'; url: string; thumbUrl?: string; duration?: string }
  | { kind: 'gif'; url: string; thumbUrl?: string }
  | { kind: 'round_video'; url: string; thumbUrl?: string; duration?: string }
  | { kind: 'voice'; url: string; duration?: string }
  | { kind: 'audio'; title: string; performer?: string }
  | { kind: 'document'; fileName: string; size?: string }
  | { kind: 'sticker'; url: string };

export interface TmePoll {
  question: string;
  type?: string;
  options: Array<{ text: string; percent: number }>;
  voters?: string;
}

export interface TmeLocation {
  latitude: number;
  longitude: number;
  /** A venue's name and address. */
  title?: string;
  address?: string;
}

export interface TmeMessage {
  base: string;
  handle: string;
  channelTitle: string;
  postId: number | string;
  channelId?: string;
  /** Raw `data-view`; default from `channelId`; `null` leaves the attribute out. */
  dataView?: string | null;
  /** Raw `data-post`; default `<handle>/<postId>`. */
  dataPost?: string;
  /** `null`: no `<time>` at all. */
  date?: Date | string | null;
  /** As printed ("8.67M"); absent: no views span. */
  views?: string;
  /** The message text's inner HTML (caller's markup). */
  textHtml?: string;
  media?: TmeMedia[];
  forward?: { name: string; href?: string };
  reply?: { href: string; author: string; text: string };
  linkPreview?: { href: string; siteName?: string; title?: string; descriptionHtml?: string; imageUrl?: string };
  poll?: TmePoll;
  location?: TmeLocation;
  /** Service message ("Channel created"…): its inner HTML. */
  serviceHtml?: string;
  avatarUrl?: string;
  /** Raw markup put in the bubble right before the media (tests of odd markup). */
  extraHtml?: string;
}

const BUBBLE_TAIL = `<i class="tgme_widget_message_bubble_tail">
      <svg class="bubble_icon" width="9px" height="20px" viewBox="0 0 9 20">
        <g fill="none">
          <path class="background" fill="#ffffff" d="M8,1 L9,1 L9,20 L8,20 L8,18 C7.807,15.161 7.124,12.233 5.950,9.218 C5.046,6.893 3.504,4.733 1.325,2.738 L1.325,2.738 C0.917,2.365 0.89,1.732 1.263,1.325 C1.452,1.118 1.72,1 2,1 L8,1 Z"></path>
          <path class="border_1x" fill="#d7e3ec" d="M9,1 L2,1 C1.72,1 1.452,1.118 1.263,1.325 C0.89,1.732 0.917,2.365 1.325,2.738 C3.504,4.733 5.046,6.893 5.95,9.218 C7.124,12.233 7.807,15.161 8,18 L8,20 L9,20 L9,1 Z M2,0 L9,0 L9,20 L7,20 L7,20 L7.002,18.068 C6.816,15.333 6.156,12.504 5.018,9.58 C4.172,7.406 2.72,5.371 0.649,3.475 C-0.165,2.729 -0.221,1.464 0.525,0.649 C0.904,0.236 1.439,0 2,0 Z"></path>
          <path class="border_2x" d="M9,1 L2,1 C1.72,1 1.452,1.118 1.263,1.325 C0.89,1.732 0.917,2.365 1.325,2.738 C3.504,4.733 5.046,6.893 5.95,9.218 C7.124,12.233 7.807,15.161 8,18 L8,20 L9,20 L9,1 Z M2,0.5 L9,0.5 L9,20 L7.5,20 L7.5,20 L7.501,18.034 C7.312,15.247 6.64,12.369 5.484,9.399 C4.609,7.15 3.112,5.052 0.987,3.106 C0.376,2.547 0.334,1.598 0.894,0.987 C1.178,0.677 1.579,0.5 2,0.5 Z"></path>
          <path class="border_3x" d="M9,1 L2,1 C1.72,1 1.452,1.118 1.263,1.325 C0.89,1.732 0.917,2.365 1.325,2.738 C3.504,4.733 5.046,6.893 5.95,9.218 C7.124,12.233 7.807,15.161 8,18 L8,20 L9,20 L9,1 Z M2,0.667 L9,0.667 L9,20 L7.667,20 L7.667,20 L7.668,18.023 C7.477,15.218 6.802,12.324 5.64,9.338 C4.755,7.064 3.243,4.946 1.1,2.983 C0.557,2.486 0.52,1.643 1.017,1.1 C1.269,0.824 1.626,0.667 2,0.667 Z"></path>
        </g>
      </svg>
    </i>`;

function notSupported(postUrl: string): string {
  return `<div class="media_not_supported_cont"><div class="message_media_not_supported_wrap">
  <div class="message_media_not_supported">
    <div class="message_media_not_supported_label">Please open Telegram to view this post</div>
    <a href="${postUrl}" class="message_media_view_in_telegram">VIEW IN TELEGRAM</a>
  </div>
</div></div>`;
}

const PLAYER_NOT_SUPPORTED = `<div class="message_media_not_supported_wrap">
  <div class="message_media_not_supported">
    <div class="message_media_not_supported_label">This media is not supported in your browser</div>
    <span class="message_media_view_in_telegram">VIEW IN TELEGRAM</span>
  </div>
</div>`;

function bg(url: string | undefined): string {
  return url ? `background-image:url('${esc(url)}')` : '';
}

function mediaHtml(m: TmeMedia, postUrl: string, i: number): string {
  switch (m.kind) {
    case 'photo':
      return `<a class="tgme_widget_message_photo_wrap 52562304123783821${String(10 + i)} 1223811510_46000517${i}" href="${postUrl}" style="width:${m.widthPx ?? 800}px;${bg(m.url)}">
  <div class="tgme_widget_message_photo" style="padding-top:62.5%"></div>
</a>`;
    case 'video':
    case 'gif':
      return `<a class="tgme_widget_message_video_player js-message_video_player${m.kind === 'gif' ? ' js-message_gif' : ''}" href="${postUrl}"><i class="tgme_widget_message_video_thumb" style="${bg(m.thumbUrl)}"></i>

<div class="tgme_widget_message_video_wrap" style="width:1280px;padding-top:56.25%">
  <video src="${esc(m.url)}" class="tgme_widget_message_video js-message_video" width="100%" height="100%"${m.kind === 'gif' ? ' muted autoplay loop playsinline' : ''}></video>
</div>
<div class="message_video_play js-message_video_play"></div>
${m.kind === 'video' ? `<time class="message_video_duration js-message_video_duration">${esc(m.duration ?? '0:15')}</time>\n` : ''}${PLAYER_NOT_SUPPORTED}</a>`;
    case 'round_video':
      return `<a class="tgme_widget_message_roundvideo_player js-message_roundvideo_player" href="${postUrl}">
  <div class="tgme_widget_message_roundvideo_wrap">
    <i class="tgme_widget_message_roundvideo_thumb" style="${bg(m.thumbUrl)}"></i>
    <video class="tgme_widget_message_roundvideo js-message_roundvideo" src="${esc(m.url)}" width="100%" height="100%" preload muted autoplay loop playsinline></video>
    <div class="tgme_widget_message_roundvideo_border"></div>
  </div>
  <time class="tgme_widget_message_roundvideo_duration js-message_roundvideo_duration">${esc(m.duration ?? '0:07')}</time>
</a>`;
    case 'voice':
      return `<a class="tgme_widget_message_voice_player js-message_voice_player" href="${postUrl}">
  <div class="tgme_widget_message_voice_play_wrap"><i class="tgme_widget_message_voice_play"></i></div>
  <div class="tgme_widget_message_voice_progress_wrap"><div class="tgme_widget_message_voice_progress js-message_voice_progress"></div></div>
  <time class="tgme_widget_message_voice_duration js-message_voice_duration">${esc(m.duration ?? '0:05')}</time>
  <audio class="tgme_widget_message_voice js-message_voice" src="${esc(m.url)}" preload="none"></audio>
</a>`;
    case 'audio':
    case 'document':
      return `<div class="tgme_widget_message_document_wrap">
  <a class="tgme_widget_message_document_icon accent_bg${m.kind === 'audio' ? ' audio' : ''}" href="${postUrl}"><i class="tgme_widget_message_document_icon_svg"></i></a>
  <div class="tgme_widget_message_document">
    <div class="tgme_widget_message_document_title accent_color" dir="auto">${esc(m.kind === 'audio' ? m.title : m.fileName)}</div>
    <div class="tgme_widget_message_document_extra" dir="auto">${esc(m.kind === 'audio' ? (m.performer ?? '') : (m.size ?? ''))}</div>
  </div>
</div>`;
    case 'sticker':
      return `<div class="tgme_widget_message_sticker_wrap media_supported_cont" style="width:256px;"><a href="${postUrl}"><i class="tgme_widget_message_sticker js-sticker_thumb" style="${bg(m.url)}" data-webp="${esc(m.url)}"></i></a></div>`;
  }
}

function pollHtml(p: TmePoll, postUrl: string): string {
  const options = p.options
    .map(
      (o) => `  <a class="tgme_widget_message_poll_option" href="${postUrl}">
    <div class="tgme_widget_message_poll_option_percent">${o.percent}%</div>
    <div class="tgme_widget_message_poll_option_value">
      <div class="tgme_widget_message_poll_option_text" dir="auto">${esc(o.text)}</div>
      <div class="tgme_widget_message_poll_option_bar" style="width:${o.percent}%"></div>
    </div>
  </a>`,
    )
    .join('\n');
  return `<div class="tgme_widget_message_poll js-poll">
  <div class="tgme_widget_message_poll_question" dir="auto">${esc(p.question)}</div>
  <div class="tgme_widget_message_poll_type">${esc(p.type ?? 'Anonymous Poll')}</div>
${options}
</div>`;
}

function locationHtml(l: TmeLocation): string {
  const ll = `${l.latitude},${l.longitude}`;
  const info =
    l.title || l.address
      ? `<div class="tgme_widget_message_location_info">${l.title ? `<div class="tgme_widget_message_location_title" dir="auto">${esc(l.title)}</div>` : ''}${l.address ? `<div class="tgme_widget_message_location_address" dir="auto">${esc(l.address)}</div>` : ''}</div>`
      : '';
  return `<a class="tgme_widget_message_location_wrap" href="https://maps.google.com/maps?q=${ll}&amp;ll=${ll}&amp;z=16" target="_blank"><div class="tgme_widget_message_location" style="background-image:url('https://t.me/api/map?center=${ll}&amp;zoom=15&amp;size=300x150&amp;scale=2')"></div>${info}</a>`;
}

function dateOf(d: Date | string | null | undefined): { iso?: string; hhmm: string } {
  if (d === null) return { hhmm: '' };
  if (d === undefined) return { iso: '2026-11-20T10:15:00+00:00', hhmm: '10:15' };
  if (typeof d === 'string') return { iso: d, hhmm: /T(\d\d:\d\d)/.exec(d)?.[1] ?? '' };
  return { iso: tmeDateTime(d), hhmm: d.toISOString().slice(11, 16) };
}

function footer(m: TmeMessage, postUrl: string, service: boolean): string {
  const { iso, hhmm } = dateOf(m.date);
  const time = iso === undefined ? '' : `<time datetime="${esc(iso)}" class="time">${hhmm}</time>`;
  const voters =
    m.poll?.voters !== undefined ? `<span class="tgme_widget_message_voters">${esc(m.poll.voters)}</span><span class="copyonly"> votes</span>` : '';
  const views = m.views !== undefined ? `<span class="tgme_widget_message_views">${esc(m.views)}</span><span class="copyonly"> views</span>` : '';
  const author = service ? '' : `<span class="tgme_widget_message_from_author" dir="auto">${esc(m.channelTitle)}</span>,&nbsp;`;
  return `<div class="tgme_widget_message_footer compact js-message_footer">
  ${voters}
  <div class="tgme_widget_message_info short js-message_info">
    ${views}<span class="tgme_widget_message_meta">${author}<a class="tgme_widget_message_date" href="${postUrl}">${time}</a></span>
  </div>
</div>`;
}

/** One message of a t.me/s page (its wrap included), for every post kind. */
export function tmeMessage(m: TmeMessage): string {
  const postUrl = `${m.base}/${m.handle}/${m.postId}`;
  const dv = m.dataView === undefined ? (m.channelId ? tmeDataView(m.channelId, Number(m.postId)) : null) : m.dataView;
  const dataPost = m.dataPost ?? `${m.handle}/${m.postId}`;
  const attrs = `data-post="${esc(dataPost)}"${dv === null ? '' : ` data-view="${esc(dv)}"`}`;
  if (m.serviceHtml !== undefined) {
    return `<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap service_message user-color-12 js-widget_message" ${attrs}>
  <div class="tgme_widget_message_bubble">
    <div class="tgme_widget_message_text js-message_text" dir="auto">${m.serviceHtml}</div>
${footer(m, postUrl, true)}
  </div>
</div></div>`;
  }
  const avatar = m.avatarUrl ? `<img src="${esc(m.avatarUrl)}">` : '';
  const fwd = m.forward
    ? `<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from ${m.forward.href ? `<a class="tgme_widget_message_forwarded_from_name" href="${esc(m.forward.href)}"><span dir="auto">${esc(m.forward.name)}</span></a>` : `<span class="tgme_widget_message_forwarded_from_name" dir="auto">${esc(m.forward.name)}</span>`}</div>`
    : '';
  const reply = m.reply
    ? `<a class="tgme_widget_message_reply" href="${esc(m.reply.href)}"><div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name" dir="auto">${esc(m.reply.author)}</span></div><div class="tgme_widget_message_metatext js-message_reply_text" dir="auto">${esc(m.reply.text)}</div></a>`
    : '';
  const media = [
    ...(m.media ?? []).map((x, i) => mediaHtml(x, postUrl, i)),
    m.poll ? pollHtml(m.poll, postUrl) : '',
    m.location ? locationHtml(m.location) : '',
  ].join('');
  const text = m.textHtml !== undefined ? `<div class="tgme_widget_message_text js-message_text" dir="auto">${m.textHtml}</div>` : '';
  // Real pages: with a text, the media and the text share a media_supported_cont followed by the fallback; a
  // photo with no text stands alone.
  const body =
    text || (m.media ?? []).some((x) => x.kind !== 'photo') || m.poll || m.location
      ? `<div class="media_supported_cont">${m.extraHtml ?? ''}${media}${text}</div>${notSupported(postUrl)}`
      : `${m.extraHtml ?? ''}${media}`;
  const lp = m.linkPreview
    ? `<a class="tgme_widget_message_link_preview" href="${esc(m.linkPreview.href)}">
  ${m.linkPreview.siteName !== undefined ? `\n  <div class="link_preview_site_name accent_color" dir="auto">${esc(m.linkPreview.siteName)}</div>` : ''}
  ${m.linkPreview.imageUrl ? `<i class="link_preview_image" style="${bg(m.linkPreview.imageUrl)};padding-top:52.5%"></i>` : ''}
  ${m.linkPreview.title !== undefined ? `<div class="link_preview_title" dir="auto">${esc(m.linkPreview.title)}</div>` : ''}
  ${m.linkPreview.descriptionHtml !== undefined ? `<div class="link_preview_description" dir="auto">${m.linkPreview.descriptionHtml}</div>` : ''}
</a>`
    : '';
  return `<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap user-color-12 js-widget_message" ${attrs}>
  <div class="tgme_widget_message_user"><a href="${m.base}/${m.handle}"><i class="tgme_widget_message_user_photo bgcolor2" data-content="${esc(m.channelTitle.slice(0, 1))}">${avatar}</i></a></div>
  <div class="tgme_widget_message_bubble">
    
        ${BUBBLE_TAIL}
    <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="${m.base}/${m.handle}"><span dir="auto">${esc(m.channelTitle)}</span></a></div>
${fwd}${reply}

${body}${lp}
${footer(m, postUrl, false)}
  </div>
  
</div></div>`;
}

export interface TmeChannelPage {
  base: string;
  handle: string;
  title: string;
  /** The description's inner HTML. */
  descriptionHtml: string;
  avatarUrl?: string;
  verified?: boolean;
  /** Counters as printed, in order: e.g. [["subscribers", "12.3K"], ["photos", "140"]]. */
  counters: Array<[string, string]>;
  /** `data-before` of the "more" link (the next older page). */
  before?: number | string;
  /** Messages, oldest first, already rendered with {@link tmeMessage}. */
  messages: string[];
}

/** A whole `t.me/s/<handle>` page. */
export function tmeChannelPage(p: TmeChannelPage): string {
  const h = esc(p.handle);
  const title = esc(p.title);
  const subs = p.counters.find(([t]) => /subscriber|member/.test(t));
  const avatar = p.avatarUrl ? `<img src="${esc(p.avatarUrl)}">` : '';
  const initials = esc(
    p.title
      .split(/\s+/)
      .map((w) => w.slice(0, 1))
      .join('')
      .slice(0, 2),
  );
  const labels = p.verified ? `<i class="verified-icon"> ✔</i>` : '';
  const more =
    p.before !== undefined
      ? `<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/${h}?before=${esc(String(p.before))}" class="tme_messages_more js-messages_more" data-before="${esc(String(p.before))}"></a></div>`
      : '';
  const plainDescription = p.descriptionHtml.replace(/<br\s*\/?>/g, '\n').replace(/<[^>]*>/g, '');
  return `<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>${title} – Telegram</title>
    <meta name="viewport" content="width=device-width, initial-scale=1.0, minimum-scale=1.0, maximum-scale=1.0, user-scalable=no" />
    <meta name="format-detection" content="telephone=no" />
    
<meta property="og:title" content="${title}">
<meta property="og:image" content="${esc(p.avatarUrl ?? '')}">
<meta property="og:site_name" content="Telegram">
<meta property="og:description" content="${esc(plainDescription)}">

<meta property="al:ios:url" content="tg://resolve?domain=${h}">
<meta property="al:android:url" content="tg://resolve?domain=${h}">

${p.before !== undefined ? `    <link rel="prev" href="/s/${h}?before=${esc(String(p.before))}">\n` : ''}
    <link href="//telegram.org/css/widget-frame.css?74" rel="stylesheet" media="screen">
    <link href="//telegram.org/css/telegram-web.css?39" rel="stylesheet" media="screen">
    <script>TBaseUrl='/';</script>
  </head>
  <body class="widget_frame_base tgme_webpreview emoji_image thin_box_shadow tme_mode no_transitions">
    <div class="tgme_background_wrap">
      <canvas id="tgme_background" class="tgme_background" width="50" height="50" data-colors="dbddbb,6ba587,d5d88d,88b884"></canvas>
      <div class="tgme_background_pattern"></div>
    </div>
    <header class="tgme_header search_collapsed">
  <div class="tgme_container">
    <div class="tgme_header_search">
      <form class="tgme_header_search_form" action="/s/${h}">
        <input class="tgme_header_search_form_input js-header_search" placeholder="Search" name="q" autocomplete="off" value="" />
        <a href="/s/${h}" class="tgme_header_search_form_clear"></a>
      </form>
    </div>
    <div class="tgme_header_right_column">
      <section class="tgme_right_column">
        <div class="tgme_channel_info">
          <div class="tgme_channel_info_header">
            <i class="tgme_page_photo_image bgcolor2" data-content="${initials}">${avatar}</i>
            <div class="tgme_channel_info_header_title_wrap">
              <div class="tgme_channel_info_header_title"><span dir="auto">${title}</span></div>
              <div class="tgme_channel_info_header_labels">${labels}</div>
            </div>
            <div class="tgme_channel_info_header_username"><a href="${p.base}/${h}">@${h}</a></div>
          </div>
          <div class="tgme_channel_info_counters">${p.counters.map(([t, v]) => `<div class="tgme_channel_info_counter"><span class="counter_value">${esc(v)}</span> <span class="counter_type">${esc(t)}</span></div>`).join('')}</div>
          <div class="tgme_channel_info_description">${p.descriptionHtml}</div>
          <a class="tgme_channel_download_telegram" href="//telegram.org/dl">Download Telegram</a>
          <div class="tgme_footer">
            <div class="tgme_footer_column">
              <h5><a href="//telegram.org/faq">About</a></h5>
            </div>
          </div>
        </div>
      </section>
    </div>
    <div class="tgme_header_info">
      <a class="tgme_channel_join_telegram" href="//telegram.org/dl">Join</a>
      <a class="tgme_header_link" href="${p.base}/${h}">
        <i class="tgme_page_photo_image bgcolor2" data-content="${initials}">${avatar}</i>
        <div class="tgme_header_title_wrap">
          <div class="tgme_header_title"><span dir="auto">${title}</span></div>
          <div class="tgme_header_labels">${labels}</div>
        </div>
        <div class="tgme_header_counter">${subs ? `${esc(subs[1])} ${esc(subs[0])}` : ''}</div>
      </a>
    </div>
  </div>
</header>
<main class="tgme_main" data-url="/${h}">
  <div class="tgme_container">
    <section class="tgme_channel_history js-message_history">
      ${more}${p.messages.join('')}
    </section>
  </div>
</main>
    <script src="//telegram.org/js/jquery.min.js"></script>
    <script src="//telegram.org/js/widget-frame.js?67"></script>
    <script src="//telegram.org/js/telegram-web.js?14"></script>
    <script>TWeb.init();
</script>
    
  </body>
</html>
`;
}

export type TmeStatusPage =
  | { kind: 'channel'; handle: string; title: string; subscribers: number; descriptionHtml?: string; avatarUrl?: string; verified?: boolean; preview: boolean }
  | { kind: 'group'; handle: string; title: string; members: number; online?: number; descriptionHtml?: string; avatarUrl?: string }
  | { kind: 'user'; handle: string; title: string; descriptionHtml?: string; avatarUrl?: string }
  | { kind: 'bot'; handle: string; title: string; monthlyUsers?: number; descriptionHtml?: string; avatarUrl?: string; verified?: boolean }
  /** A channel blocked by Telegram: its page carries the banner in place of the description. */
  | { kind: 'removed'; handle: string; title: string; subscribers?: number; banner: string }
  /** An unused username. */
  | { kind: 'free'; handle: string };

export const TOS_BANNER = 'This channel can’t be displayed because it violated Telegram&#39;s Terms of Service.';

/** A whole `t.me/<handle>` page (channel, group, user, bot, blocked channel, or an unused name). */
export function tmeStatusPage(p: TmeStatusPage): string {
  const h = esc(p.handle);
  const verb = p.kind === 'bot' ? 'Launch' : p.kind === 'user' || p.kind === 'free' ? 'Contact' : 'View';
  const ogTitle = p.kind === 'free' ? `Telegram: Contact @${h}` : esc(p.title);
  const avatarUrl = 'avatarUrl' in p ? p.avatarUrl : undefined;
  const verified = 'verified' in p && p.verified ? `<i class="verified-icon"> ✔</i>` : '';
  let body: string;
  if (p.kind === 'free') {
    body = `<div class="tgme_page_icon">
  <i class="tgme_icon_user"></i>
</div>
<div class="tgme_page_description">
  If you have <strong>Telegram</strong>, you can contact <a class="tgme_username_link" href="tg://resolve?domain=${h}">@${h}</a> right away.
</div>
<div class="tgme_page_action">
  <a class="tgme_action_button_new" href="tg://resolve?domain=${h}">Send Message</a>
</div>
<!-- WEBOGRAM_BTN -->
<!-- PRIVACY_BTN -->`;
  } else {
    const photo = avatarUrl
      ? `<div class="tgme_page_photo">
  <a href="tg://resolve?domain=${h}"><img class="tgme_page_photo_image" src="${esc(avatarUrl)}"></a>
</div>
`
      : '';
    const extra =
      p.kind === 'channel'
        ? `<div class="tgme_page_extra">${tmeFullCount(p.subscribers)} subscribers</div>`
        : p.kind === 'removed'
          ? p.subscribers !== undefined
            ? `<div class="tgme_page_extra">${tmeFullCount(p.subscribers)} subscribers</div>`
            : ''
          : p.kind === 'group'
            ? `<div class="tgme_page_extra">${tmeFullCount(p.members)} members${p.online !== undefined ? `, ${tmeFullCount(p.online)} online` : ''}</div>`
            : p.kind === 'user'
              ? `<div class="tgme_page_extra">\n  @${h}\n</div>`
              : `<div class="tgme_page_extra">\n  @${h}\n</div>${p.monthlyUsers !== undefined ? `\n<div class="tgme_page_extra">${tmeFullCount(p.monthlyUsers)} monthly users</div>` : ''}`;
    const descriptionHtml = p.kind === 'removed' ? p.banner : p.descriptionHtml;
    const description = descriptionHtml !== undefined ? `\n<div class="tgme_page_description" dir="auto">${descriptionHtml}</div>` : '';
    const action = p.kind === 'bot' ? 'Start Bot' : p.kind === 'user' ? 'Send Message' : 'View in Telegram';
    const preview =
      p.kind === 'channel' && p.preview
        ? `\n<div class="tgme_page_context_link_wrap"><a class="tgme_page_context_link" href="/s/${h}">Preview channel</a></div>`
        : '';
    const verbAdditional = p.kind === 'bot' ? 'launch' : p.kind === 'user' ? 'contact' : 'view and join';
    const additional =
      p.kind === 'removed'
        ? ''
        : `\n<div class="tgme_page_additional">\n  If you have <strong>Telegram</strong>, you can ${verbAdditional} <br><strong>${esc(p.title)}</strong> right away.\n</div>`;
    body = `${photo}<div class="tgme_page_title" dir="auto">
  <span dir="auto">${esc(p.title)}</span>${verified}
</div>
${extra}${description}
<div class="tgme_page_action">
  <a class="tgme_action_button_new shine" href="tg://resolve?domain=${h}">${action}</a>
</div>
<!-- WEBOGRAM_BTN -->${preview}${additional}`;
  }
  return `<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>Telegram: ${verb} @${h}</title>
    <meta name="viewport" content="width=device-width, initial-scale=1.0, minimum-scale=1.0, maximum-scale=1.0, user-scalable=no">
${p.kind === 'free' ? '    <meta name="robots" content="noindex, nofollow">\n' : ''}    <meta property="og:title" content="${ogTitle}">
<meta property="og:site_name" content="Telegram">
  </head>
  <body class="no_transition">
      <div class="tgme_background_wrap">
    <canvas id="tgme_background" class="tgme_background default" width="50" height="50" data-colors="dbddbb,6ba587,d5d88d,88b884"></canvas>
    <div class="tgme_background_pattern default"></div>
  </div>
    <div class="tgme_page_wrap">
      <div class="tgme_head_wrap">
        <div class="tgme_head">
          <a href="//telegram.org/" class="tgme_head_brand"></a>
          <a class="tgme_head_right_btn" href="//telegram.org/dl">
            Download
          </a>
        </div>
      </div>
      <div class="tgme_body_wrap">
        <div class="tgme_page">
          ${body}
        </div>
      </div>
    </div>
    <div id="tgme_frame_cont"></div>
  </body>
</html>
`;
}
