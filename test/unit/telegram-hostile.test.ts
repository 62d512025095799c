import { ParseError } from '../../src/core/errors';
import { parseChannelPage } from '../../crawlers/telegram';
import { buildChannelPage, buildMessage } from '../fixtures/telegram/build-page';

const opts = { baseUrl: 'https://t.me', handle: 'sim_alpha_news' };

describe('parseChannelPage on hostile and malformed pages', () => {
  it('skips messages with a non-numeric or missing data-post, keeps the others', () => {
    const html = buildChannelPage({
      messages: [
        buildMessage({ id: 1, textHtml: 'ok one' }),
        buildMessage({ id: 2, dataPost: 'sim_alpha_news/abc', textHtml: 'bad id' }),
        buildMessage({ id: 3, dataPost: '', textHtml: 'empty id' }),
        buildMessage({ id: 4, dataPost: 'sim_alpha_news/4/5', textHtml: 'two ids' }),
        buildMessage({ id: 5, textHtml: 'ok five' }),
      ],
    });
    expect(parseChannelPage(html, opts).posts.map((p) => [p.postId, p.text])).toEqual([
      ['1', 'ok one'],
      ['5', 'ok five'],
    ]);
  });

  it('tolerates missing attributes: no data-view, no datetime, no views, no text, no href, no style', () => {
    const html = buildChannelPage({
      messages: [
        buildMessage({
          id: 8,
          dataView: null,
          datetime: null,
          extraHtml:
            '<a class="tgme_widget_message_photo_wrap"></a><a class="tgme_widget_message_video_player"><video></video></a>' +
            '<div class="tgme_widget_message_forwarded_from">Forwarded from Sim Gamma</div><a class="tgme_widget_message_reply"></a>' +
            '<a class="tgme_widget_message_link_preview"><div class="link_preview_title">no href</div></a>',
        }),
      ],
    });
    const page = parseChannelPage(html, opts);
    expect(page.channel.platformId).toBeUndefined();
    expect(page.posts).toHaveLength(1);
    const p = page.posts[0];
    expect(p?.publishedAt).toBeUndefined();
    expect(p?.views).toBeUndefined();
    expect(p?.text).toBe('');
    expect(p?.media).toEqual([{ kind: 'photo' }, { kind: 'video' }]);
    expect(p?.forwardedFrom).toEqual({ name: 'Sim Gamma' });
    expect(p?.replyTo).toEqual({});
    expect(p?.linkPreview).toBeUndefined();
  });

  it('invalid datetime and broken base64 / non-JSON data-view give undefined, not errors', () => {
    const html = buildChannelPage({
      messages: [
        buildMessage({ id: 1, textHtml: 'a', datetime: 'yesterday-ish', dataView: '***' }),
        buildMessage({ id: 2, textHtml: 'b', dataView: Buffer.from('not json at all').toString('base64') }),
      ],
    });
    const page = parseChannelPage(html, opts);
    expect(page.posts[0]?.publishedAt).toBeUndefined();
    expect(page.channel.platformId).toBeUndefined();
    expect(page.posts).toHaveLength(2);
  });

  it('script in text never survives as markup; escaped script comes out as literal text', () => {
    const html = buildChannelPage({
      messages: [
        buildMessage({ id: 1, textHtml: 'before<script>globalThis.pwned = 1; document.write("x")</script>after <img src=x onerror="alert(1)">' }),
        buildMessage({ id: 2, textHtml: 'show &lt;script&gt;alert(1)&lt;/script&gt; literally' }),
      ],
    });
    const page = parseChannelPage(html, opts);
    expect(page.posts[0]?.text).toBe('beforeafter');
    expect(page.posts[1]?.text).toBe('show <script>alert(1)</script> literally');
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });

  it('hashtag link with a malformed percent escape does not throw', () => {
    const html = buildChannelPage({ messages: [buildMessage({ id: 1, textHtml: '<a href="?q=%23rain%E0%A4%A">#rain</a>' })] });
    const p = parseChannelPage(html, opts).posts[0];
    expect(p?.postId).toBe('1');
    expect(p?.hashtags).toContain('rain');
  });

  it('ignores javascript: and data: links', () => {
    const html = buildChannelPage({
      messages: [
        buildMessage({ id: 1, textHtml: '<a href="javascript:alert(1)">x</a> <a href="data:text/html,hi">y</a> <a href="https://example.org/ok">z</a>' }),
      ],
    });
    expect(parseChannelPage(html, opts).posts[0]?.links).toEqual(['https://example.org/ok']);
  });

  it('survives 5,000 levels of nested tags in a message text when the cap allows them, refuses them under the default cap', () => {
    const depth = 5000;
    const nested = '<span>'.repeat(depth) + 'deep football score' + '</span>'.repeat(depth);
    const html = buildChannelPage({ messages: [buildMessage({ id: 1, textHtml: `top<br/>${nested}` }), buildMessage({ id: 2, textHtml: 'after' })] });
    expect(() => parseChannelPage(html, opts)).toThrow(/elements nested deeper than 256 levels \(limits\.maxHtmlDepth\)/);
    const page = parseChannelPage(html, { ...opts, maxDepth: 10_000 });
    expect(page.posts.map((p) => p.postId)).toEqual(['1', '2']);
    expect(page.posts[0]?.text).toBe('top\ndeep football score');
  });

  it('survives 5,000 unclosed nested divs around the whole history when the cap allows them', () => {
    const html = buildChannelPage({ messages: ['<div>'.repeat(5000), buildMessage({ id: 7, textHtml: 'inside' })] });
    expect(() => parseChannelPage(html, opts)).toThrow(ParseError);
    const page = parseChannelPage(html, { ...opts, maxDepth: 10_000 });
    expect(page.posts.map((p) => p.postId)).toEqual(['7']);
  });

  it('parses a 2 MB page with 2,000 messages', () => {
    const filler = 'Cooking lorem ipsum soup tomato basil '.repeat(20);
    const messages: string[] = [];
    for (let id = 2000; id >= 1; id--) messages.push(buildMessage({ id, textHtml: `${filler}#n${id}`, views: `${id}` }));
    const html = buildChannelPage({ messages });
    expect(html.length).toBeGreaterThan(2_000_000);
    const page = parseChannelPage(html, opts);
    expect(page.posts).toHaveLength(2000);
    expect(page.posts[0]?.postId).toBe('1');
    expect(page.posts[1999]?.postId).toBe('2000');
    expect(page.posts[1999]?.views).toBe(2000);
    expect(page.posts[41]?.hashtags).toEqual(['n42']);
  });

  it('deduplicates a post repeated on the same page (first copy wins)', () => {
    const html = buildChannelPage({
      messages: [buildMessage({ id: 10, textHtml: 'first copy' }), buildMessage({ id: 11, textHtml: 'b' }), buildMessage({ id: 10, textHtml: 'second copy' })],
    });
    const page = parseChannelPage(html, opts);
    expect(page.posts.map((p) => [p.postId, p.text])).toEqual([
      ['10', 'first copy'],
      ['11', 'b'],
    ]);
  });

  it('weird style strings on photos never throw', () => {
    const styles = [
      'background-image:url(',
      "background-image:url('')",
      'background-image:url("javascript:alert(1)")',
      ';;;;;',
      'background-image:url(' + '('.repeat(10000),
      'background-image:url(&quot;https://cdn.example/ok.jpg&quot;)',
    ];
    const html = buildChannelPage({
      messages: [
        buildMessage({ id: 1, extraHtml: styles.map((s) => `<a class="tgme_widget_message_photo_wrap" style="${s.replace(/"/g, '&quot;')}"></a>`).join('') }),
      ],
    });
    expect(parseChannelPage(html, opts).posts[0]?.media).toEqual([
      { kind: 'photo' },
      { kind: 'photo' },
      { kind: 'photo' },
      { kind: 'photo' },
      { kind: 'photo' },
      { kind: 'photo', url: 'https://cdn.example/ok.jpg' },
    ]);
  });

  it('odd kinds never throw: poll without question, location without coordinates, empty service notice, unclosed player', () => {
    const html = buildChannelPage({
      messages: [
        buildMessage({
          id: 1,
          extraHtml: '<div class="tgme_widget_message_poll"><div class="tgme_widget_message_poll_option_text">only an option</div></div>',
        }),
        buildMessage({ id: 2, extraHtml: '<a class="tgme_widget_message_location_wrap" href="javascript:alert(1)?q=999,999"></a>' }),
        buildMessage({ id: 3, serviceHtml: '' }),
        buildMessage({ id: 4, extraHtml: '<a class="tgme_widget_message_voice_player"><audio class="tgme_widget_message_voice" src="data:audio/ogg,x">' }),
        buildMessage({ id: 5, textHtml: 'still read' }),
      ],
    });
    const page = parseChannelPage(html, opts);
    expect(page.posts.map((p) => p.postId)).toEqual(['1', '2', '3', '4', '5']);
    expect(page.posts[0]?.poll).toEqual({ question: '', options: ['only an option'] });
    expect(page.posts[1]?.location).toEqual({});
    expect(page.posts[2]?.service).toEqual({ type: 'other' });
    expect(page.posts[3]?.media).toEqual([{ kind: 'voice' }]);
    expect(page.posts[4]?.text).toBe('still read');
  });

  it('a message opened inside another (unclosed) ends the first one', () => {
    const broken = buildMessage({ id: 1, textHtml: 'first' }).replace(/<\/div><\/div>\s*$/, '');
    const page = parseChannelPage(buildChannelPage({ messages: [broken, buildMessage({ id: 2, textHtml: 'second' })] }), opts);
    expect(page.posts.map((p) => [p.postId, p.text])).toEqual([
      ['1', 'first'],
      ['2', 'second'],
    ]);
  });

  it('garbage HTML has no post list', () => {
    const page = parseChannelPage('<html><body><h1>Sim weather portal</h1><p>not telegram</p></body></html>', opts);
    expect(page.hasPostList).toBe(false);
    expect(page.posts).toEqual([]);
    expect(parseChannelPage('', opts).hasPostList).toBe(false);
    expect(parseChannelPage('\u0000\u0001<<<', opts).hasPostList).toBe(false);
  });
});
