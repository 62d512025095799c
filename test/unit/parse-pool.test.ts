import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseChannelPage } from '../../crawlers/telegram/parse-channel-page';
import { classifyStatusPage } from '../../crawlers/telegram/parse-status-page';
import { extractPosts } from '../../crawlers/html/extract-posts';
import { parseFeed } from '../../crawlers/rss/parse-feed';
import { ParseBudgetError, ParseError, isRetryable } from '../../src/core/errors';
import { createParsePool } from '../../src/parse/parse-pool';
import { feedTask } from '../../crawlers/rss/parse-tasks';
import { telegramChannelTask } from '../../crawlers/telegram/parse-tasks';
import type { PageParser } from '../../src/core/parse-task';
import { amplificationPage, deepDivPage } from '../fixtures/hostile/pages';
import { buildChannelPage, buildMessage } from '../fixtures/telegram/build-page';

const durov = readFileSync(resolve(__dirname, '../../../shared/reference/telegram/durov.s.html'), 'utf8');
const tg = { baseUrl: 'https://t.me', handle: 'durov' };

function nested(tag: string, levels: number, inner = 'x'): string {
  return `<${tag}>`.repeat(levels) + inner + `</${tag}>`.repeat(levels);
}

describe('nesting cap (limits.maxHtmlDepth) in every page parser', () => {
  it('the real t.me/s page parses under the default cap', () => {
    expect(parseChannelPage(durov, { ...tg, maxDepth: 64 }).posts.length).toBeGreaterThan(10);
  });
  it('Telegram, status, HTML and feed parsers refuse a page nested past the cap with a final ParseError', () => {
    const cases: Array<[string, () => unknown, RegExp]> = [
      [
        'telegram',
        () => parseChannelPage(deepDivPage(), { ...tg, maxDepth: 256, pageUrl: 'https://t.me/s/durov' }),
        /Telegram preview page at https:\/\/t\.me\/s\/durov: elements nested deeper than 256 levels \(limits\.maxHtmlDepth\)/,
      ],
      [
        'status',
        () => classifyStatusPage(deepDivPage(), 256, 'https://t.me/durov'),
        /Telegram status page at https:\/\/t\.me\/durov: elements nested deeper than 256/,
      ],
      [
        'html',
        () => extractPosts(deepDivPage(), 'http://forum.example/', { post: 'div', text: 'div' }, 256),
        /HTML page at http:\/\/forum\.example\/: elements nested deeper than 256/,
      ],
      [
        'feed',
        () => parseFeed(`<rss><channel>${nested('x', 300)}</channel></rss>`, 'http://f.example/rss', 256),
        /feed at http:\/\/f\.example\/rss: elements nested deeper than 256/,
      ],
      [
        'feed item html',
        () =>
          parseFeed(
            `<rss><channel><item><description>${nested('div', 300).replace(/</g, '&lt;')}</description></item></channel></rss>`,
            'http://f.example/rss',
            256,
          ),
        /feed item HTML at http:\/\/f\.example\/rss: elements nested deeper/,
      ],
    ];
    for (const [name, run, message] of cases) {
      let err: unknown;
      try {
        run();
      } catch (e) {
        err = e;
      }
      expect([name, err instanceof ParseError]).toEqual([name, true]);
      expect((err as Error).message).toMatch(message);
      expect(isRetryable(err)).toBe(false);
    }
  });
  it('void and implied-closed elements do not count as nesting', () => {
    const html = `<div class="post"><div class="body">${'<br><img src="a.png"><p>para'.repeat(2000)}</div></div>`;
    expect(extractPosts(html, 'http://x/', { post: 'div.post', text: '.body' }, 32)).toHaveLength(1);
  });
});

describe('parse pool (worker threads with a time budget)', () => {
  let pool: PageParser;
  beforeAll(() => {
    // a heap cap far above what 3 s of the amplification page can fill: the time budget is the bound these tests meet
    // (at 256 MB, a fast idle machine reached the heap cap first; the memory cap has its own test below)
    pool = createParsePool({ threads: 2, timeoutMs: 3000, maxDepth: 256, memoryMb: 1024 });
  });
  afterAll(async () => pool.close());

  it('a page parsed in a thread comes back exactly as in-thread, Dates as Dates', async () => {
    const sim = buildChannelPage({ messages: [buildMessage({ id: 1, textHtml: 'one' }), buildMessage({ id: 2, textHtml: 'two' })] });
    for (const html of [durov, sim]) {
      const local = parseChannelPage(html, tg);
      const remote = await pool.run(telegramChannelTask, { html, ...tg });
      expect(remote).toEqual(local);
      const dated = remote.posts.filter((p) => p.publishedAt);
      expect(dated.length).toBe(local.posts.filter((p) => p.publishedAt).length);
      expect(dated.length).toBeGreaterThan(0);
      for (const p of dated) {
        expect(p.publishedAt).toBeInstanceOf(Date);
        expect(p.publishedAt?.getTime()).toBe(local.posts.find((x) => x.postId === p.postId)?.publishedAt?.getTime());
      }
    }
    const feed = await pool.run(feedTask, {
      xml: '<rss><channel><title>T</title><item><guid>g1</guid><title>A</title><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>',
      feedUrl: 'http://f.example/rss',
    });
    expect(feed.items[0]?.publishedAt).toBeInstanceOf(Date);
    expect(feed.items[0]?.publishedAt?.toISOString()).toBe('2026-11-24T10:00:00.000Z');
  });

  it('errors keep their class across the thread: a non-feed is a final ParseError naming the URL', async () => {
    const err = await pool.run(feedTask, { xml: '<html><p>no feed</p></html>', feedUrl: 'http://f.example/rss' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as Error).message).toBe('cannot parse feed at http://f.example/rss: neither RSS (<rss><channel>) nor Atom (<feed>)');
    expect(isRetryable(err)).toBe(false);
    const deep = await pool.run(telegramChannelTask, { html: deepDivPage(), ...tg, pageUrl: 'https://t.me/s/durov' }).catch((e: unknown) => e);
    expect(deep).toBeInstanceOf(ParseError);
    expect((deep as Error).message).toMatch(/nested deeper than 256 levels/);
  });

  it('a parse over budget fails for good, its thread is replaced, and the next parse works', async () => {
    const t0 = Date.now();
    const slow = pool.run(telegramChannelTask, { html: amplificationPage(), ...tg, pageUrl: 'https://t.me/s/hostile' }).catch((e: unknown) => e);
    // the other thread keeps parsing meanwhile
    const other = await pool.run(telegramChannelTask, { html: durov, ...tg });
    expect(other.posts.length).toBeGreaterThan(10);
    const err = await slow;
    const elapsed = Date.now() - t0;
    expect(err).toBeInstanceOf(ParseBudgetError);
    expect((err as Error).message).toBe(
      'cannot parse Telegram preview page at https://t.me/s/hostile: parse took longer than 3000 ms (limits.parseTimeoutMs); its thread was stopped',
    );
    expect(isRetryable(err)).toBe(false);
    expect(elapsed).toBeLessThan(3000 + 8000); // the page alone takes ~20 s of CPU in-thread (more on a loaded machine)
    // both slots work again (the terminated thread was replaced)
    const again = await Promise.all([pool.run(telegramChannelTask, { html: durov, ...tg }), pool.run(telegramChannelTask, { html: durov, ...tg })]);
    expect(again.map((p) => p.posts.length)).toEqual([other.posts.length, other.posts.length]);
  });

  it('a parse over the heap cap fails for good, and the replaced thread parses the next page', async () => {
    const small = createParsePool({ threads: 1, timeoutMs: 60_000, maxDepth: 256, memoryMb: 64 });
    try {
      const err = await small.run(telegramChannelTask, { html: amplificationPage(), ...tg, pageUrl: 'https://t.me/s/hostile' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ParseBudgetError);
      expect((err as Error).message).toMatch(
        /^cannot parse Telegram preview page at https:\/\/t\.me\/s\/hostile: the parse thread died \(.*memory cap 64 MB, limits\.parseMemoryMb\)$/,
      );
      expect(isRetryable(err)).toBe(false);
      expect((await small.run(telegramChannelTask, { html: durov, ...tg })).posts.length).toBeGreaterThan(10);
    } finally {
      await small.close();
    }
  });
});
