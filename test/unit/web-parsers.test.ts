import { extractPosts, newerThan } from '../../crawlers/html/extract-posts';
import { parseFeed } from '../../crawlers/rss/parse-feed';
import { ParseError, SourceConfigError } from '../../src/core/errors';

const sel = { post: 'div.post', text: '.body', date: 'time', media: 'img.media', idAttr: 'data-id' };

describe('extractPosts (html sources)', () => {
  it('reads posts, dates, media and links by selector, resolving relative URLs', () => {
    const html = `<div class="post" data-id="7"><time datetime="2026-11-20T10:00:00Z">x</time><div class="body">Hello <a href="/a">there</a> #news<script>alert(1)</script></div><img class="media" src="/m/1.png"><img class="media" data-src="clip.mp4"></div>`;
    const [p] = extractPosts(html, 'http://forum.example/board/', sel);
    expect(p).toMatchObject({ postId: '7', text: 'Hello there #news', links: ['http://forum.example/a'], hashtags: ['news'] });
    expect(p?.publishedAt?.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(p?.media).toEqual([
      { kind: 'photo', url: 'http://forum.example/m/1.png' },
      { kind: 'video', url: 'http://forum.example/board/clip.mp4' },
    ]);
  });
  it('falls back to a text hash id, skips empty posts, ignores bad dates', () => {
    const posts = extractPosts(
      '<div class="post"><div class="body">same</div><time>not a date</time></div><div class="post"><div class="body"> </div></div>',
      'http://x/',
      { post: 'div.post', text: '.body', date: 'time' },
    );
    expect(posts).toHaveLength(1);
    expect(posts[0]?.postId).toMatch(/^h:[0-9a-f]{16}$/);
    expect(posts[0]?.publishedAt).toBeUndefined();
  });
  it('an invalid selector is a SourceConfigError naming it', () => {
    expect(() => extractPosts('<p></p>', 'http://x/', { post: 'div[[', text: '.b' })).toThrow(SourceConfigError);
    expect(() => extractPosts('<p></p>', 'http://x/', { post: 'div[[', text: '.b' })).toThrow(/invalid CSS selector for post: "div\[\["/);
  });
  it('newerThan keeps posts after the cursor and undated ones', () => {
    const mk = (id: string, d?: string) => ({
      postId: id,
      text: id,
      links: [],
      hashtags: [],
      mentions: [],
      media: [],
      ...(d ? { publishedAt: new Date(d) } : {}),
    });
    const r = newerThan([mk('a', '2026-01-01T00:00:00Z'), mk('b', '2026-02-01T00:00:00Z'), mk('c')], '2026-01-15T00:00:00.000Z');
    expect(r.fresh.map((p) => p.postId)).toEqual(['b', 'c']);
    expect(r.newest).toBe('2026-02-01T00:00:00.000Z');
  });
});

describe('parseFeed', () => {
  it('RSS 2.0 with enclosure and HTML description', () => {
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid>g1</guid><title>One</title><link>/p/1</link><pubDate>Fri, 20 Nov 2026 06:00:00 GMT</pubDate><description>&lt;p&gt;Body &lt;b&gt;bold&lt;/b&gt;&lt;/p&gt;</description><enclosure url="/a.jpg" type="image/jpeg"/></item></channel></rss>`;
    const f = parseFeed(xml, 'http://feeds.example/rss');
    expect(f.title).toBe('T');
    expect(f.items[0]).toMatchObject({
      postId: 'g1',
      text: 'One\nBody bold',
      url: 'http://feeds.example/p/1',
      media: [{ kind: 'photo', url: 'http://feeds.example/a.jpg' }],
    });
    expect(f.items[0]?.publishedAt?.toISOString()).toBe('2026-11-20T06:00:00.000Z');
  });
  it('Atom', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>urn:1</id><title>Hi</title><updated>2026-11-20T09:00:00Z</updated><link href="http://a.example/1"/><summary>text</summary></entry></feed>`;
    expect(parseFeed(xml, 'http://a.example/feed').items[0]).toMatchObject({ postId: 'urn:1', text: 'Hi\ntext', url: 'http://a.example/1' });
  });
  it('refuses entity bombs and non-feeds with a ParseError naming the URL', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><rss><channel><item><title>&lol2;</title></item></channel></rss>`;
    expect(() => parseFeed(bomb, 'http://evil.example/feed')).toThrow(ParseError);
    expect(() => parseFeed(bomb, 'http://evil.example/feed')).toThrow(/http:\/\/evil\.example\/feed/);
    expect(() => parseFeed('<html><body>not a feed</body></html>', 'http://x/f')).toThrow(/neither RSS/);
    expect(() => parseFeed('<<<>>> garbage', 'http://x/f')).toThrow(ParseError);
  });
});
