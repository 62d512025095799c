import iconv from 'iconv-lite';
import type { SimFeed, SimForum, SimBoardPost } from './scenario';
import type { SimChannel, SimPost } from './world';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function fmtCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1).replace(/\.0$/, '')}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1).replace(/\.0$/, '')}K`;
  return String(n);
}

function dataView(channelId: string, postId: number, date: Date): string {
  return Buffer.from(JSON.stringify({ c: Number(`-100${channelId}`), p: postId, t: Math.floor(date.getTime() / 1000), h: 'a1b2c3' }))
    .toString('base64')
    .replace(/=+$/, '');
}

/** Post text → t.me-like HTML: line breaks, links, #hashtags and @mentions as t.me renders them. */
function renderText(text: string, base: string): string {
  return esc(text)
    .replace(/(https?:\/\/[^\s<]+)/g, (u) => `<a href="${u}" target="_blank" rel="noopener">${u}</a>`)
    .replace(/(^|\s)#([\p{L}\p{N}_]+)/gu, (_m, pre: string, tag: string) => `${pre}<a href="?q=%23${encodeURIComponent(tag)}">#${tag}</a>`)
    .replace(/(^|\s)@([A-Za-z0-9_]{3,64})/g, (_m, pre: string, h: string) => `${pre}<a href="${base}/${h}">@${h}</a>`)
    .replace(/\n/g, '<br/>');
}

function renderPost(ch: SimChannel, p: SimPost, base: string): string {
  const media = [
    ...p.photos.map(
      (spec) =>
        `<a class="tgme_widget_message_photo_wrap 5512" href="${base}/${ch.handle}/${p.id}?single" style="width:800px;background-image:url('${base}/media/${photoFile(spec)}')"><div class="tgme_widget_message_photo" style="padding-top:56.25%"></div></a>`,
    ),
    p.video
      ? `<a class="tgme_widget_message_video_player" href="${base}/${ch.handle}/${p.id}"><i class="tgme_widget_message_video_thumb" style="background-image:url('${base}/media/photo-${p.video.split(/[,:]/)[0]}.png')"></i><div class="tgme_widget_message_video_wrap"><video src="${base}/media/video-${p.video.replace(/,/g, '-').replace(':', '~')}.mp4" class="tgme_widget_message_video js-message_video"></video></div><time class="message_video_duration js-message_video_duration">0:15</time></a>`
      : '',
  ].join('');
  const fwd = p.forwardFrom
    ? `<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from <a class="tgme_widget_message_forwarded_from_name" href="${base}/${p.forwardFrom}"><span dir="auto">${esc(p.forwardFrom.split('/')[0] as string)}</span></a></div>`
    : '';
  const links = p.links.length ? `<br/>${p.links.map((l) => `<a href="${esc(l)}" target="_blank">${esc(l)}</a>`).join(' ')}` : '';
  return `<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="${ch.handle}/${p.id}" data-view="${dataView(ch.channelId, p.id, p.date)}">
<div class="tgme_widget_message_bubble"><div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="${base}/${ch.handle}"><span dir="auto">${esc(ch.title)}</span></a></div>
${fwd}${media}<div class="tgme_widget_message_text js-message_text" dir="auto">${renderText(p.text, base)}${links}</div>
<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info"><span class="tgme_widget_message_views">${fmtCount(p.views)}</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="${base}/${ch.handle}/${p.id}"><time datetime="${p.date.toISOString().replace('.000Z', '+00:00')}" class="time">${p.date.toISOString().slice(11, 16)}</time></a></span></div></div>
</div></div></div>`;
}

/** "7" → photo-7.png; "7:jpeg:mirror" → photo-7~jpeg~mirror.jpg (served transformed). */
export function photoFile(spec: number | string): string {
  const [seed, ...t] = String(spec).split(':');
  return t.length ? `photo-${seed}~${t.join('~')}.${t.includes('jpeg') ? 'jpg' : 'png'}` : `photo-${seed}.png`;
}

export const PAGE_SIZE = 20;

/** `/s/<handle>[?before=N]`: the 20 newest posts with id < before, oldest first, like t.me/s. */
export function renderChannelPage(ch: SimChannel, base: string, before?: number): string {
  const eligible = ch.posts.filter((p) => before === undefined || p.id < before);
  const page = eligible.slice(-PAGE_SIZE);
  const first = page[0];
  const more = first && eligible.length > page.length
    ? `<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/${ch.handle}?before=${first.id}" class="tme_messages_more js-messages_more" data-before="${first.id}"></a></div>`
    : '';
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta property="og:title" content="${esc(ch.title)}"><title>${esc(ch.title)} – Telegram</title></head><body>
<header class="tgme_header"></header>
<div class="tgme_channel_info"><div class="tgme_channel_info_header"><i class="tgme_page_photo_image bgcolor1" data-content="${esc(ch.title.slice(0, 1))}"><img src="${base}/media/avatar-${ch.avatarSeed}.png"></i>
<div class="tgme_channel_info_header_title"><span dir="auto">${esc(ch.title)}</span></div>
<div class="tgme_channel_info_header_username"><a href="${base}/${ch.handle}">@${ch.handle}</a></div></div>
<div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter"><span class="counter_value">${fmtCount(ch.subscribers)}</span> <span class="counter_type">subscribers</span></div></div>
<div class="tgme_channel_info_description">${renderText(ch.description, base)}</div></div>
<section class="tgme_channel_history js-message_history">${more}
${page.map((p) => renderPost(ch, p, base)).join('\n')}
</section></body></html>`;
}

/** `/<handle>`: the page t.me shows off the preview: ToS banner, private channel, or not found. */
export function renderStatusPage(ch: SimChannel | undefined, handle: string): string {
  const head = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Telegram: Contact @${esc(handle)}</title></head><body><div class="tgme_page">`;
  if (ch?.state === 'removed') {
    return `${head}<div class="tgme_page_title"><span dir="auto">${esc(ch.title)}</span></div><div class="tgme_page_description">This channel can’t be displayed because it violated Telegram's Terms of Service.</div></div></body></html>`;
  }
  if (ch?.state === 'private') {
    return `${head}<div class="tgme_page_title"><span dir="auto">${esc(ch.title)}</span></div><div class="tgme_page_extra">${ch.subscribers} subscribers</div><div class="tgme_page_description">${esc(ch.description)}</div></div></body></html>`;
  }
  return `${head}<div class="tgme_page_description">If you have <strong>Telegram</strong>, you can contact <a class="tgme_username_link" href="tg://resolve?domain=${esc(handle)}">@${esc(handle)}</a> right away.</div></div></body></html>`;
}

export function renderFeed(f: SimFeed, base: string): { body: string; type: string } {
  const items = [...f.items].reverse();
  if (f.format === 'atom') {
    const entries = items
      .map((it, i) => `<entry><id>${base}/feeds/${f.name}/${items.length - i}</id><title>${esc(it.title)}</title><updated>${it.date ?? '2026-11-01T00:00:00Z'}</updated><link href="${esc(it.link ?? `${base}/feeds/${f.name}/${items.length - i}`)}"/><summary>${esc(it.text)}</summary></entry>`)
      .join('\n');
    return { type: 'application/atom+xml; charset=utf-8', body: `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>${esc(f.title)}</title><id>${base}/feeds/${f.name}</id>\n${entries}\n</feed>` };
  }
  const rssItems = items
    .map((it, i) => `<item><guid>${base}/feeds/${f.name}/${items.length - i}</guid><title>${esc(it.title)}</title><link>${esc(it.link ?? `${base}/feeds/${f.name}/${items.length - i}`)}</link><pubDate>${new Date(it.date ?? '2026-11-01T00:00:00Z').toUTCString()}</pubDate><description>${esc(it.text)}</description></item>`)
    .join('\n');
  return { type: 'application/rss+xml; charset=utf-8', body: `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>${esc(f.title)}</title><link>${base}/feeds/${f.name}</link>\n${rssItems}\n</channel></rss>` };
}

function boardPosts(posts: SimBoardPost[], base: string): string {
  return posts
    .map((p, i) => `<div class="post" data-id="${i + 1}"><div class="author">${esc(p.author)}</div><time datetime="${p.date ?? '2026-11-01T00:00:00Z'}">${esc(p.date ?? '')}</time><div class="body">${esc(p.text).replace(/\n/g, '<br>')}</div>${p.image !== undefined ? `<img class="media" src="${base}/media/photo-${p.image}.png">` : ''}</div>`)
    .join('\n');
}

/** A generic forum page in the forum's encoding (e.g. windows-1256), declared in the header and a <meta>. */
export function renderForum(f: SimForum, base: string): { body: Buffer; type: string } {
  const html = `<!DOCTYPE html><html lang="${esc(f.lang)}"><head><meta charset="${esc(f.encoding)}"><title>${esc(f.title)}</title></head><body><h1>${esc(f.title)}</h1><div class="posts">\n${boardPosts(f.posts, base)}\n</div></body></html>`;
  return { body: iconv.encode(html, f.encoding), type: `text/html; charset=${f.encoding}` };
}

/** A page whose posts exist only after its JavaScript runs (the browser crawler's case). */
export function renderJsPage(title: string, posts: SimBoardPost[], base: string): string {
  const data = JSON.stringify(boardPosts(posts, base)).replace(/</g, '\\u003c');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><div id="app">loading…</div>
<script>setTimeout(function(){document.getElementById('app').innerHTML=${data};},150);</script></body></html>`;
}
