import iconv from 'iconv-lite';
import type { SimFeed, SimForum, SimBoardPost } from './scenario';
import type { SimChannel, SimPost, SimService } from './world';
import { esc, tmeChannelPage, tmeCount, tmeDataView, tmeMessage, tmeStatusPage, TOS_BANNER, type TmeMedia } from './tme-markup';

export { esc } from './tme-markup';

/** Post text → t.me-like HTML: line breaks, links, #hashtags and @mentions as t.me renders them. */
function renderText(text: string, base: string): string {
  return esc(text)
    .replace(
      /(https?:\/\/[^\s<]+)/g,
      (u) => `<a href="${u}" target="_blank" rel="noopener" onclick="return confirm('Open this link?\\n\\n'+this.href);">${u}</a>`,
    )
    .replace(/(^|\s)#([\p{L}\p{N}_]+)/gu, (_m, pre: string, tag: string) => `${pre}<a href="?q=%23${encodeURIComponent(tag)}">#${tag}</a>`)
    .replace(/(^|\s)@([A-Za-z0-9_]{3,64})/g, (_m, pre: string, h: string) => `${pre}<a href="${base}/${h}" target="_blank">@${h}</a>`)
    .replace(/\n/g, '<br/>');
}

function videoFile(spec: string, base: string): string {
  return `${base}/media/video-${spec.replace(/,/g, '-').replace(':', '~')}.mp4`;
}

function thumbOf(spec: string, base: string): string {
  return `${base}/media/photo-${spec.split(/[,:]/)[0]}.png`;
}

/** The service message's text, as t.me prints it. */
function serviceHtml(ch: SimChannel, s: SimService, postId: number, base: string): string {
  if (typeof s === 'object') return `Channel name was changed to «${esc(s.renamedTo)}»`;
  switch (s) {
    case 'channel_created':
      return 'Channel created';
    case 'photo_changed':
      return 'Channel photo updated';
    case 'photo_removed':
      return 'Channel photo removed';
    case 'pinned': {
      const pinned = [...ch.posts].reverse().find((p) => p.id < postId && !p.service && p.text);
      const who = `<a class="tgme_widget_message_author_name" href="${base}/${ch.handle}">${esc(ch.title)}</a>`;
      return pinned
        ? `${who} pinned «<span class="tgme_widget_service_strong_text">${esc(pinned.text.slice(0, 24))}${pinned.text.length > 24 ? '…' : ''}</span>»`
        : `${who} pinned a message`;
    }
  }
}

function simMedia(p: SimPost, base: string): TmeMedia[] {
  const x = p.extras;
  return [
    ...p.photos.map((spec): TmeMedia => ({ kind: 'photo', url: `${base}/media/${photoFile(spec)}` })),
    ...(p.video ? [{ kind: 'video', url: videoFile(p.video, base), thumbUrl: thumbOf(p.video, base), duration: '0:15' } as const] : []),
    ...(x.gif ? [{ kind: 'gif', url: videoFile(x.gif, base), thumbUrl: thumbOf(x.gif, base) } as const] : []),
    ...(x.roundVideo ? [{ kind: 'round_video', url: videoFile(x.roundVideo, base), thumbUrl: thumbOf(x.roundVideo, base), duration: '0:06' } as const] : []),
    ...(x.voiceSeconds !== undefined
      ? [
          {
            kind: 'voice',
            url: `${base}/media/voice-${p.id}.ogg`,
            duration: `${Math.floor(x.voiceSeconds / 60)}:${String(x.voiceSeconds % 60).padStart(2, '0')}`,
          } as const,
        ]
      : []),
    ...(x.audio ? [{ kind: 'audio', title: x.audio.title, ...(x.audio.performer ? { performer: x.audio.performer } : {}) } as const] : []),
    ...(x.document ? [{ kind: 'document', fileName: x.document.fileName, ...(x.document.size ? { size: x.document.size } : {}) } as const] : []),
    ...(x.sticker !== undefined ? [{ kind: 'sticker', url: `${base}/media/photo-${x.sticker}.png` } as const] : []),
  ];
}

/** One simulated post in t.me's markup for its kind. */
export function renderPost(ch: SimChannel, p: SimPost, base: string): string {
  const common = {
    base,
    handle: ch.handle,
    channelTitle: ch.title,
    postId: p.id,
    channelId: ch.channelId,
    date: p.date,
    avatarUrl: `${base}/media/avatar-${ch.avatarSeed}.png`,
  };
  if (p.service)
    return tmeMessage({
      ...common,
      dataView: tmeDataView(ch.channelId, p.id, Math.floor(p.date.getTime() / 1000)),
      serviceHtml: serviceHtml(ch, p.service, p.id, base),
    });
  const links = p.links.length ? `<br/>${p.links.map((l) => `<a href="${esc(l)}" target="_blank" rel="noopener">${esc(l)}</a>`).join(' ')}` : '';
  const textHtml = p.text || links ? `${renderText(p.text, base)}${links}` : undefined;
  const x = p.extras;
  return tmeMessage({
    ...common,
    dataView: tmeDataView(ch.channelId, p.id, Math.floor(p.date.getTime() / 1000)),
    views: tmeCount(p.views),
    media: simMedia(p, base),
    ...(textHtml !== undefined ? { textHtml } : {}),
    ...(p.forwardFrom ? { forward: { name: p.forwardFrom.split('/')[0] as string, href: `${base}/${p.forwardFrom}` } } : {}),
    ...(x.poll
      ? { poll: { question: x.poll.question, options: x.poll.options.map((text, i) => ({ text, percent: i === 0 ? 100 : 0 })), voters: String(p.views % 97) } }
      : {}),
    ...(x.location ? { location: x.location } : {}),
  });
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
  const more = first && eligible.length > page.length ? first.id : undefined;
  return tmeChannelPage({
    base,
    handle: ch.handle,
    title: ch.title,
    descriptionHtml: renderText(ch.description, base),
    avatarUrl: `${base}/media/avatar-${ch.avatarSeed}.png`,
    counters: [
      ['subscribers', tmeCount(ch.subscribers)],
      ['photos', String(ch.posts.reduce((n, p) => n + p.photos.length, 0))],
    ],
    ...(more !== undefined ? { before: more } : {}),
    messages: page.map((p) => renderPost(ch, p, base)),
  });
}

/** `/<handle>`: t.me's page for a handle: the ToS banner, a channel without preview, a group, a user, a bot, or nothing. */
export function renderStatusPage(ch: SimChannel | undefined, handle: string, base = ''): string {
  if (!ch) return tmeStatusPage({ kind: 'free', handle });
  const avatarUrl = `${base}/media/avatar-${ch.avatarSeed}.png`;
  const descriptionHtml = renderText(ch.description, base);
  if (ch.state === 'removed') return tmeStatusPage({ kind: 'removed', handle: ch.handle, title: ch.title, subscribers: ch.subscribers, banner: TOS_BANNER });
  switch (ch.kind) {
    case 'group':
      return tmeStatusPage({
        kind: 'group',
        handle: ch.handle,
        title: ch.title,
        members: ch.subscribers,
        online: Math.floor(ch.subscribers / 20),
        descriptionHtml,
        avatarUrl,
      });
    case 'user':
      return tmeStatusPage({ kind: 'user', handle: ch.handle, title: ch.title, avatarUrl });
    case 'bot':
      return tmeStatusPage({ kind: 'bot', handle: ch.handle, title: ch.title, monthlyUsers: ch.subscribers, descriptionHtml, avatarUrl });
    case 'channel':
      return tmeStatusPage({
        kind: 'channel',
        handle: ch.handle,
        title: ch.title,
        subscribers: ch.subscribers,
        descriptionHtml,
        avatarUrl,
        preview: ch.state === 'active',
      });
  }
}

export function renderFeed(f: SimFeed, base: string): { body: string; type: string } {
  const items = [...f.items].reverse();
  if (f.format === 'atom') {
    const entries = items
      .map(
        (it, i) =>
          `<entry><id>${base}/feeds/${f.name}/${items.length - i}</id><title>${esc(it.title)}</title><updated>${it.date ?? '2026-11-01T00:00:00Z'}</updated><link href="${esc(it.link ?? `${base}/feeds/${f.name}/${items.length - i}`)}"/><summary>${esc(it.text)}</summary></entry>`,
      )
      .join('\n');
    return {
      type: 'application/atom+xml; charset=utf-8',
      body: `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>${esc(f.title)}</title><id>${base}/feeds/${f.name}</id>\n${entries}\n</feed>`,
    };
  }
  const rssItems = items
    .map(
      (it, i) =>
        `<item><guid>${base}/feeds/${f.name}/${items.length - i}</guid><title>${esc(it.title)}</title><link>${esc(it.link ?? `${base}/feeds/${f.name}/${items.length - i}`)}</link><pubDate>${new Date(it.date ?? '2026-11-01T00:00:00Z').toUTCString()}</pubDate><description>${esc(it.text)}</description></item>`,
    )
    .join('\n');
  return {
    type: 'application/rss+xml; charset=utf-8',
    body: `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>${esc(f.title)}</title><link>${base}/feeds/${f.name}</link>\n${rssItems}\n</channel></rss>`,
  };
}

function boardPosts(posts: SimBoardPost[], base: string): string {
  return posts
    .map(
      (p, i) =>
        `<div class="post" data-id="${i + 1}"><div class="author">${esc(p.author)}</div><time datetime="${p.date ?? '2026-11-01T00:00:00Z'}">${esc(p.date ?? '')}</time><div class="body">${esc(p.text).replace(/\n/g, '<br>')}</div>${p.image !== undefined ? `<img class="media" src="${base}/media/photo-${p.image}.png">` : ''}</div>`,
    )
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
