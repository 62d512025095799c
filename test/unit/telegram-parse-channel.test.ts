import { parseChannelPage } from '../../crawlers/telegram';
import { buildChannelPage, buildMessage, dataView } from '../fixtures/telegram/build-page';

const opts = { baseUrl: 'https://t.me', handle: 'sim_alpha_news' };

const FULL_TEXT =
  'Hello <b>world</b><br/><a href="https://example.org/a" target="_blank" rel="noopener">example.org/a</a> ' +
  '<a href="?q=%23weather">#weather</a> <a href="https://t.me/sim_beta">@sim_beta</a> sunny <i class="emoji" style="background-image:url(\'//telegram.org/img/emoji/40/F09F9880.png\')"><b>😀</b></i>' +
  '<br/>see <a href="/sim_gamma/5">relative</a> and #football_cup with @sim_delta_fc';

const EXTRAS = [
  '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from <a class="tgme_widget_message_forwarded_from_name" href="https://t.me/otherhandle/55"><span dir="auto">Other Title</span></a></div>',
  '<a class="tgme_widget_message_reply" href="https://t.me/sim_alpha_news/100"><div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name">Sim Alpha News</span></div><div class="tgme_widget_message_metatext">quoted text</div></a>',
  `<a class="tgme_widget_message_photo_wrap 5512 blured" href="https://t.me/sim_alpha_news/123?single" style="width:800px;background-image:url('https://cdn.example/file/photo1.jpg')"><div class="tgme_widget_message_photo" style="padding-top:56.25%"></div></a>`,
  `<a class="tgme_widget_message_photo_wrap" href="https://t.me/sim_alpha_news/123?single" style="background-image:url(&quot;https://cdn.example/file/photo2.jpg&quot;)"></a>`,
  `<a class="tgme_widget_message_photo_wrap" style="background-image:url(https://cdn.example/file/photo3.jpg)"></a>`,
  `<a class="tgme_widget_message_video_player" href="https://t.me/sim_alpha_news/123"><i class="tgme_widget_message_video_thumb" style="background-image:url('https://cdn.example/file/thumb1.jpg')"></i><div class="tgme_widget_message_video_wrap"><video src="https://cdn.example/file/video1.mp4" class="tgme_widget_message_video js-message_video" width="100%" height="100%"></video></div><div class="message_video_play"></div><time class="message_video_duration js-message_video_duration">1:05</time></a>`,
  `<a class="tgme_widget_message_video_player tgme_widget_message_gif" href="https://t.me/sim_alpha_news/123"><i class="tgme_widget_message_video_thumb" style="background-image:url('https://cdn.example/file/gthumb.jpg')"></i><div class="tgme_widget_message_video_wrap"><video src="https://cdn.example/file/anim.mp4" class="tgme_widget_message_video"></video></div></a>`,
  `<div class="tgme_widget_message_document_wrap"><a class="tgme_widget_message_document" href="https://t.me/sim_alpha_news/123"><div class="tgme_widget_message_document_title accent_color" dir="auto">report.pdf</div><div class="tgme_widget_message_document_extra" dir="auto">1.2 MB</div></a></div>`,
].join('');

const PREVIEW = `<a class="tgme_widget_message_link_preview" href="https://example.org/a"><i class="link_preview_right_image" style="background-image:url('https://cdn.example/p.jpg')"></i><div class="link_preview_site_name accent_color" dir="auto">Example</div><div class="link_preview_title" dir="auto">A title</div><div class="link_preview_description" dir="auto">A description<br/>line two</div></a>`;

function fullPage(): string {
  return buildChannelPage({
    before: 101,
    messages: [
      buildMessage({ id: 124, textHtml: 'Later post about rain', views: '950', datetime: '2026-11-20T11:00:00+00:00' }),
      buildMessage({ id: 123, textHtml: FULL_TEXT, views: '1.2K', extraHtml: EXTRAS + PREVIEW.replace(/^/, '') }),
    ],
  });
}

describe('parseChannelPage: channel header', () => {
  it('reads title, handle, description, avatar, subscribers and platformId', () => {
    const page = parseChannelPage(fullPage(), opts);
    expect(page.hasPostList).toBe(true);
    expect(page.channel).toEqual({
      platform: 'telegram',
      handle: 'sim_alpha_news',
      platformId: '1234567890',
      title: 'Sim Alpha News',
      description: 'Daily weather notes\nand football scores',
      avatarUrl: 'https://cdn.example/file/avatar123.jpg',
      subscribers: 12300,
      status: 'active',
      kind: 'channel',
    });
    expect(page.olderBefore).toBe('101');
  });

  it('takes the handle shown in the page (renamed channel), not the requested one', () => {
    const html = buildChannelPage({ handle: 'Sim_Alpha_Renamed', messages: [buildMessage({ id: 1, textHtml: 'x', handle: 'Sim_Alpha_Renamed' })] });
    const page = parseChannelPage(html, opts);
    expect(page.channel.handle).toBe('Sim_Alpha_Renamed');
    expect(page.channel.platformId).toBe('1234567890');
  });

  it('subscribers with spaces, and no more-link means no olderBefore', () => {
    const page = parseChannelPage(buildChannelPage({ subscribers: '1 234', messages: [] }), opts);
    expect(page.channel.subscribers).toBe(1234);
    expect(page.olderBefore).toBeUndefined();
    expect(page.posts).toEqual([]);
    expect(page.channel.platformId).toBeUndefined();
  });

  it('platformId comes from the first message with a decodable data-view', () => {
    const html = buildChannelPage({
      messages: [
        buildMessage({ id: 5, textHtml: 'a', dataView: '!!!' }),
        buildMessage({ id: 6, textHtml: 'b', dataView: dataView('42424242', 6, { urlSafe: true }) }),
        buildMessage({ id: 7, textHtml: 'c', dataView: dataView('99999', 7) }),
      ],
    });
    expect(parseChannelPage(html, opts).channel.platformId).toBe('42424242');
  });
});

describe('parseChannelPage: posts', () => {
  const page = parseChannelPage(fullPage(), opts);
  const post = page.posts.find((p) => p.postId === '123');

  it('sorts posts ascending by id', () => {
    expect(page.posts.map((p) => p.postId)).toEqual(['123', '124']);
  });

  it('reads id, url, date, views', () => {
    expect(post?.url).toBe('https://t.me/sim_alpha_news/123');
    expect(post?.publishedAt?.toISOString()).toBe('2026-11-20T10:15:00.000Z');
    expect(post?.views).toBe(1200);
    expect(page.posts[1]?.views).toBe(950);
  });

  it('makes plain text with line breaks and emoji kept', () => {
    expect(post?.text).toBe('Hello world\nexample.org/a #weather @sim_beta sunny 😀\nsee relative and #football_cup with @sim_delta_fc');
  });

  it('collects links (absolute, relative resolved; no hashtag/mention links)', () => {
    expect(post?.links).toEqual(['https://example.org/a', 'https://t.me/sim_gamma/5']);
  });

  it('collects hashtags and mentions from links and text, without # and @', () => {
    expect(post?.hashtags.sort()).toEqual(['football_cup', 'weather']);
    expect(post?.mentions.sort()).toEqual(['sim_beta', 'sim_delta_fc']);
  });

  it('reads photos (all quote styles), video, gif and document', () => {
    expect(post?.media).toEqual([
      { kind: 'photo', url: 'https://cdn.example/file/photo1.jpg' },
      { kind: 'photo', url: 'https://cdn.example/file/photo2.jpg' },
      { kind: 'photo', url: 'https://cdn.example/file/photo3.jpg' },
      { kind: 'video', url: 'https://cdn.example/file/video1.mp4', thumbUrl: 'https://cdn.example/file/thumb1.jpg', durationSec: 65 },
      { kind: 'gif', url: 'https://cdn.example/file/anim.mp4', thumbUrl: 'https://cdn.example/file/gthumb.jpg' },
      { kind: 'document', fileName: 'report.pdf', sizeText: '1.2 MB' },
    ]);
  });

  it('reads forwardedFrom, replyTo and linkPreview', () => {
    expect(post?.forwardedFrom).toEqual({ name: 'Other Title', handle: 'otherhandle', url: 'https://t.me/otherhandle/55', postId: '55' });
    expect(post?.replyTo).toEqual({ postId: '100', url: 'https://t.me/sim_alpha_news/100' });
    expect(post?.linkPreview).toEqual({
      url: 'https://example.org/a',
      siteName: 'Example',
      title: 'A title',
      description: 'A description line two',
      imageUrl: 'https://cdn.example/p.jpg',
    });
    expect(page.posts[1]?.forwardedFrom).toBeUndefined();
    expect(page.posts[1]?.replyTo).toBeUndefined();
    expect(page.posts[1]?.linkPreview).toBeUndefined();
    expect(page.posts[1]?.media).toEqual([]);
  });

  it('video with h:mm:ss duration', () => {
    const html = buildChannelPage({
      messages: [
        buildMessage({
          id: 9,
          extraHtml: `<a class="tgme_widget_message_video_player"><video src="/file/v.mp4"></video><time class="message_video_duration">1:02:03</time></a>`,
        }),
      ],
    });
    expect(parseChannelPage(html, opts).posts[0]?.media).toEqual([{ kind: 'video', url: 'https://t.me/file/v.mp4', durationSec: 3723 }]);
  });

  it('keeps Arabic RTL text with diacritics and French accents exactly', () => {
    const arabic = 'الطَّقْسُ مُشْمِسٌ اليَوْمَ';
    const french = 'Le gâteau à la crème est prêt';
    const html = buildChannelPage({
      messages: [buildMessage({ id: 3, textHtml: `${arabic}<br/>${french} <a href="?q=%23%D8%B7%D9%82%D8%B3">#طقس</a>` })],
    });
    const p = parseChannelPage(html, opts).posts[0];
    expect(p?.text).toBe(`${arabic}\n${french} #طقس`);
    expect(p?.hashtags).toEqual(['طقس']);
  });

  it('normalises whitespace but keeps line breaks and runs of blank lines; raw newlines in markup are spaces', () => {
    const html = buildChannelPage({ messages: [buildMessage({ id: 4, textHtml: '  one \n\t two&nbsp;&nbsp;three<br/><br/><br/><br/>  four  ' })] });
    expect(parseChannelPage(html, opts).posts[0]?.text).toBe('one two three\n\n\n\nfour');
  });

  it('no extra blank line after a quote', () => {
    const html = buildChannelPage({
      messages: [
        buildMessage({ id: 5, textHtml: 'intro<br/><blockquote>quoted line<br/></blockquote>after' }),
        buildMessage({ id: 6, textHtml: 'intro<blockquote>quoted line</blockquote>after<br/><br/>end' }),
      ],
    });
    expect(parseChannelPage(html, opts).posts.map((p) => p.text)).toEqual(['intro\nquoted line\nafter', 'intro\nquoted line\nafter\n\nend']);
  });
});
