import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { telegramCrawler } from '../../crawlers/telegram';
import type { CrawlCursor } from '../../crawlers/types';
import { telegramSourceSchema, type TelegramSource } from '../../crawlers/telegram';
import { HttpStatusError, ParseError } from '../../src/core/errors';
import { createHttpFetcher } from '../../src/net/http-fetcher';
import { testEgressGuard } from '../support/egress';
import { buildChannelPage, buildMessage, buildStatusPage, dataView } from '../fixtures/telegram/build-page';

/** Local stand-in for t.me: /s/<handle>[?before=N] pages of 20, and 302 to /<handle> for gone channels. */
const PAGE = 20;
let server: Server;
let base = '';
const requests: string[] = [];

function channelPage(handle: string, ids: number[], before: number | undefined, opts: { channelId?: string; overlap?: number } = {}): string {
  const eligible = ids.filter((id) => before === undefined || id < before).sort((a, b) => a - b);
  let page = eligible.slice(-PAGE);
  // "overlap": an older page that repeats a few posts already seen on the newer page (t.me does this at times).
  if (before !== undefined && opts.overlap)
    page = [
      ...page,
      ...ids
        .filter((id) => id >= before)
        .sort((a, b) => a - b)
        .slice(0, opts.overlap),
    ];
  const first = page[0];
  const hasOlder = first !== undefined && eligible.some((id) => id < first);
  return buildChannelPage({
    handle,
    base,
    ...(hasOlder ? { before: first } : {}),
    messages: page.map((id) =>
      buildMessage({ id, handle, textHtml: `Weather note ${id} #rain`, views: `${id}`, dataView: dataView(opts.channelId ?? '1234567890', id) }, base),
    ),
  });
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', base);
  requests.push(`${url.pathname}${url.search}`);
  const path = url.pathname.toLowerCase();
  const before = url.searchParams.has('before') ? Number(url.searchParams.get('before')) : undefined;
  const html = (body: string): void => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  };
  const gone = (h: string): void => {
    res.writeHead(302, { location: `${base}/${h}` });
    res.end();
  };
  switch (path) {
    case '/s/sim_alpha_news':
      return html(channelPage('sim_alpha_news', range(1, 45), before));
    case '/s/sim_dup_news':
      return html(channelPage('sim_dup_news', range(1, 30), before, { overlap: 3 }));
    case '/s/sim_old_name':
      return html(channelPage('sim_new_name', range(1, 3), before, { channelId: '777000111' }));
    case '/s/sim_removed':
      return gone('sim_removed');
    case '/sim_removed':
      return html(buildStatusPage('removed-curly', 'sim_removed'));
    case '/s/sim_private':
      return gone('sim_private');
    case '/sim_private':
      return html(buildStatusPage('private', 'sim_private'));
    case '/s/sim_missing':
      return gone('sim_missing');
    case '/sim_missing':
      return html(buildStatusPage('not_found', 'sim_missing'));
    case '/s/sim_group':
      return gone('sim_group');
    case '/sim_group':
      return html(buildStatusPage('group', 'sim_group'));
    case '/s/sim_user':
      return gone('sim_user');
    case '/sim_user':
      return html(buildStatusPage('user', 'sim_user'));
    case '/s/sim_bot':
      return gone('sim_bot');
    case '/sim_bot':
      return html(buildStatusPage('bot', 'sim_bot'));
    case '/s/sim_garbage':
      return html('<html><body><h1>Sim cooking blog</h1><p>Soup of the day</p></body></html>');
    case '/s/sim_broken':
      res.writeHead(503, { 'content-type': 'text/plain' });
      return void res.end('busy');
    default:
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such page');
  }
}

const fetcher = createHttpFetcher({ timeoutMs: 10_000, maxBytes: 5_000_000, maxRedirects: 5, userAgent: 'hydrawatch-test' }, testEgressGuard());

function source(h: string, options: { backfillPages?: number; maxPagesPerCheck?: number } = {}): TelegramSource {
  return telegramSourceSchema.parse({
    id: `tg-${h.toLowerCase().replace(/_/g, '-')}`,
    schedule: '*/5 * * * *',
    platform: 'telegram',
    handle: h,
    options: { baseUrl: base, ...options },
  });
}

function crawl(h: string, cursor: CrawlCursor, options: { backfillPages?: number; maxPagesPerCheck?: number } = {}) {
  requests.length = 0;
  return telegramCrawler.crawl(source(h, options), { fetcher, cursor, now: () => new Date('2026-11-20T12:00:00Z') });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ids = (posts: Array<{ postId: string }>): number[] => posts.map((p) => Number(p.postId));

describe('telegramCrawler against a local t.me stand-in', () => {
  it('first crawl backfills backfillPages extra pages', async () => {
    const out = await crawl('sim_alpha_news', {}, { backfillPages: 1 });
    expect(requests).toEqual(['/s/sim_alpha_news', '/s/sim_alpha_news?before=26']);
    expect(out.pagesFetched).toBe(2);
    expect(ids(out.posts)).toEqual(range(6, 45));
    expect(out.cursor).toEqual({ newestPostId: '45', backfilled: true, pageHeader: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(out.channel).toMatchObject({ platform: 'telegram', handle: 'sim_alpha_news', platformId: '1234567890', status: 'active', subscribers: 12300 });
    expect(out.posts[0]).toMatchObject({ postId: '6', text: 'Weather note 6 #rain', hashtags: ['rain'], views: 6, url: `${base}/sim_alpha_news/6` });
  });

  it('backfill stops when there is no older-page link', async () => {
    const out = await crawl('sim_alpha_news', {}, { backfillPages: 10 });
    expect(requests).toEqual(['/s/sim_alpha_news', '/s/sim_alpha_news?before=26', '/s/sim_alpha_news?before=6']);
    expect(ids(out.posts)).toEqual(range(1, 45));
  });

  it('backfillPages 0 reads only the first page', async () => {
    const out = await crawl('sim_alpha_news', {}, { backfillPages: 0 });
    expect(out.pagesFetched).toBe(1);
    expect(ids(out.posts)).toEqual(range(26, 45));
  });

  it('incremental crawl returns only posts newer than the cursor, from one page', async () => {
    const out = await crawl('sim_alpha_news', { newestPostId: '40', backfilled: true });
    expect(requests).toEqual(['/s/sim_alpha_news']);
    expect(ids(out.posts)).toEqual([41, 42, 43, 44, 45]);
    expect(out.cursor).toMatchObject({ newestPostId: '45', backfilled: true });
  });

  it('incremental crawl pages back until it reaches the cursor', async () => {
    const out = await crawl('sim_alpha_news', { newestPostId: '10', backfilled: true }, { maxPagesPerCheck: 5 });
    expect(requests).toEqual(['/s/sim_alpha_news', '/s/sim_alpha_news?before=26']);
    expect(ids(out.posts)).toEqual(range(11, 45));
  });

  it('incremental crawl respects maxPagesPerCheck', async () => {
    const out = await crawl('sim_alpha_news', { newestPostId: '2', backfilled: true }, { maxPagesPerCheck: 1 });
    expect(out.pagesFetched).toBe(1);
    expect(ids(out.posts)).toEqual(range(26, 45));
    expect(out.cursor.newestPostId).toBe('45');
  });

  it('no new posts keeps the cursor (and records the header digest for the next check)', async () => {
    const out = await crawl('sim_alpha_news', { newestPostId: '45', backfilled: true });
    expect(out.posts).toEqual([]);
    expect(out.unchanged).toBeUndefined();
    expect(out.cursor).toEqual({ newestPostId: '45', backfilled: true, pageHeader: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(out.channel.status).toBe('active');
  });

  it('the same newest post and header as the last full check: "unchanged", without the full parse', async () => {
    const full = await crawl('sim_alpha_news', { newestPostId: '45', backfilled: true });
    const out = await crawl('sim_alpha_news', full.cursor);
    expect(requests).toEqual(['/s/sim_alpha_news']);
    expect(out.unchanged).toBe(true);
    expect(out.posts).toEqual([]);
    expect(out.cursor).toEqual(full.cursor);
    expect(out.channel).toEqual({ platform: 'telegram', handle: 'sim_alpha_news', status: 'active' });
  });

  it('a new post or a changed header takes the full path', async () => {
    const full = await crawl('sim_alpha_news', { newestPostId: '45', backfilled: true });
    // the cursor's post is older than the page's newest: new posts
    const older = await crawl('sim_alpha_news', { ...full.cursor, newestPostId: '44' });
    expect(older.unchanged).toBeUndefined();
    expect(ids(older.posts)).toEqual([45]);
    // another header digest (e.g. the title, avatar or subscriber count changed): the channel is parsed again
    const header = await crawl('sim_alpha_news', { ...full.cursor, pageHeader: '0'.repeat(40) });
    expect(header.unchanged).toBeUndefined();
    expect(header.channel).toMatchObject({ platformId: '1234567890', subscribers: 12300 });
    expect(header.cursor).toEqual(full.cursor);
    // before the first (backfill) crawl completed, never
    const first = await crawl('sim_alpha_news', { ...full.cursor, backfilled: false }, { backfillPages: 0 });
    expect(first.unchanged).toBeUndefined();
  });

  it('deduplicates posts repeated across pages and sorts them ascending', async () => {
    const out = await crawl('sim_dup_news', {}, { backfillPages: 3 });
    expect(out.pagesFetched).toBe(2);
    expect(ids(out.posts)).toEqual(range(1, 30));
  });

  it('handles are case-insensitive; a renamed channel shows its new handle and the same platformId', async () => {
    const out = await crawl('SIM_Old_Name', {});
    expect(out.channel.handle).toBe('sim_new_name');
    expect(out.channel.platformId).toBe('777000111');
    expect(ids(out.posts)).toEqual([1, 2, 3]);
  });

  it('302 off /s/ to a ToS banner → removed, no posts, cursor kept', async () => {
    const cursor = { newestPostId: '12', backfilled: true };
    const out = await crawl('sim_removed', cursor);
    expect(requests).toEqual(['/s/sim_removed', '/sim_removed']); // the redirect lands on the status page: not fetched twice
    expect(out.channel).toEqual({
      platform: 'telegram',
      handle: 'sim_removed',
      status: 'removed',
      kind: 'channel',
      statusDetail: "This channel can’t be displayed because it violated Telegram's Terms of Service.",
      title: 'Sim Alpha News',
    });
    expect(out.posts).toEqual([]);
    expect(out.cursor).toEqual(cursor);
  });

  it('private channel and unknown handle', async () => {
    const priv = await crawl('sim_private', {});
    expect(priv.channel).toMatchObject({ status: 'private', title: 'Sim Private Kitchen', subscribers: 1234 });
    expect(priv.posts).toEqual([]);
    const missing = await crawl('sim_missing', {});
    expect(missing.channel.status).toBe('not_found');
    expect(missing.channel.handle).toBe('sim_missing');
  });

  it('a group, a user and a bot are what they are, not private channels', async () => {
    const group = await crawl('sim_group', {});
    expect(group.channel).toEqual({
      platform: 'telegram',
      handle: 'sim_group',
      status: 'not_channel',
      kind: 'group',
      statusDetail: 'public group: its messages cannot be read through t.me/s',
      title: 'Sim Football Chat',
      subscribers: 97957,
    });
    expect(group.posts).toEqual([]);
    expect((await crawl('sim_user', {})).channel).toMatchObject({ status: 'not_channel', kind: 'user', title: 'Sim Weather Fan' });
    expect((await crawl('sim_bot', {})).channel).toMatchObject({ status: 'not_channel', kind: 'bot', title: 'Sim Recipe Bot' });
  });

  it('a 200 text/html page that is not Telegram raises ParseError naming the URL', async () => {
    const err: unknown = await crawl('sim_garbage', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).message).toContain(`${base}/s/sim_garbage`);
    expect((err as ParseError).retryable).toBe(false);
  });

  it('HTTP errors from the fetcher propagate (503 is retryable)', async () => {
    const err: unknown = await crawl('sim_broken', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as HttpStatusError).status).toBe(503);
    expect((err as HttpStatusError).retryable).toBe(true);
  });
});
