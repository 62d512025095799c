import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as archiveTasks from '../../crawlers/archive/parse-tasks';
import * as htmlTasks from '../../crawlers/html/parse-tasks';
import * as rssTasks from '../../crawlers/rss/parse-tasks';
import * as telegramTasks from '../../crawlers/telegram/parse-tasks';
import * as youtubeTasks from '../../crawlers/youtube/parse-tasks';
import { archiveMetadataTask, archiveSearchTask } from '../../crawlers/archive/parse-tasks';
import { parseAdvancedSearch, parseItemMetadata } from '../../crawlers/archive/parse-archive';
import { assertJsonDepth } from '../../crawlers/json-depth';
import { youtubeChannelTask, youtubeFeedTask, youtubeWatchTask } from '../../crawlers/youtube/parse-tasks';
import { parseVideoFeed, parseWatchPage, parseYoutubeChannelPage } from '../../crawlers/youtube';
import { ParseError, isRetryable } from '../../src/core/errors';
import { inThreadParser, type PageParser } from '../../src/core/parse-task';
import { createParsePool } from '../../src/parse/parse-pool';
import { registeredTasks } from '../../src/parse/task-registry';

const yt = (name: string): string => readFileSync(join(__dirname, '../fixtures/youtube', name), 'utf8');
const ia = (name: string): string => readFileSync(join(__dirname, '../fixtures/archive', name), 'utf8');

/** Synthetic hostile bodies: nesting is what they are about. */
const deepArray = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
const deepDivs = (levels: number): string => '<div>'.repeat(levels) + 'x' + '</div>'.repeat(levels);

async function failure(p: Promise<unknown> | (() => unknown)): Promise<Error> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('parse tasks of every platform', () => {
  it('every task a crawler module exports is registered for the parse threads, under a unique name', () => {
    const exported = [archiveTasks, htmlTasks, rssTasks, telegramTasks, youtubeTasks].flatMap((m) =>
      Object.values(m).filter((v): v is (typeof registeredTasks)[number] => typeof v === 'object' && v !== null && 'run' in v && 'name' in v),
    );
    expect(exported.length).toBe(9);
    for (const t of exported) expect([t.name, registeredTasks.includes(t)]).toEqual([t.name, true]);
    expect(new Set(registeredTasks.map((t) => t.name)).size).toBe(registeredTasks.length);
  });

  it('the real YouTube and Archive fixtures parse through the tasks (and their caps) exactly as the parsers read them', async () => {
    const p = inThreadParser();
    expect(await p.run(youtubeFeedTask, { xml: yt('channel-feed.xml'), url: 'u' })).toEqual(parseVideoFeed(yt('channel-feed.xml'), 'u'));
    for (const f of ['watch-ok.html', 'watch-tos.html', 'watch-private.html', 'watch-deleted.html', 'watch-terminated.html', 'watch-botwall.html']) {
      const videoId = /"videoId"\s*:\s*"([^"]+)"/.exec(yt(f))?.[1] ?? 'none';
      expect(await p.run(youtubeWatchTask, { html: yt(f), videoId, url: 'u' })).toEqual(parseWatchPage(yt(f), videoId, 'u'));
    }
    for (const f of ['channel-active.html', 'channel-terminated.html'])
      expect(await p.run(youtubeChannelTask, { html: yt(f), url: 'u' })).toEqual(parseYoutubeChannelPage(yt(f), 'u'));
    expect(await p.run(archiveSearchTask, { body: ia('advancedsearch.json'), url: 'u' })).toEqual(parseAdvancedSearch(ia('advancedsearch.json'), 'u'));
    for (const [f, identifier] of [
      ['metadata-item.json', 'synthetic-garden-walk-2026'],
      ['metadata-dark.json', 'x'],
      ['metadata-missing.json', 'x'],
    ] as const)
      expect(await p.run(archiveMetadataTask, { body: ia(f), identifier, url: 'u' })).toEqual(parseItemMetadata(ia(f), identifier, 'u'));
  });

  it('the JSON depth scan: a 150k-deep array is refused at once, a shallow one passes, an embedded value is scanned alone', () => {
    expect(() => assertJsonDepth(deepArray(150_000), 256, 'answer', { url: 'http://x/a' })).toThrow(
      'cannot parse answer at http://x/a: JSON nested deeper than 256 levels (limits.maxHtmlDepth)',
    );
    expect(() => assertJsonDepth(`{"a":"${'['.repeat(1000)}","b":[[1]]}`, 3, 'answer')).not.toThrow();
    expect(() => assertJsonDepth(`{"a":"\\"${'{'.repeat(10)}"}`, 3, 'answer')).not.toThrow();
    const page = `<script>var x = {"a":[{"b":1}]};</script><p>${'{'.repeat(50)}</p>`;
    expect(() => assertJsonDepth(page, 3, 'page', { start: page.indexOf('{') })).not.toThrow();
    expect(() => assertJsonDepth(page, 2, 'page', { start: page.indexOf('{'), label: 'x JSON' })).toThrow('x JSON nested deeper than 2 levels');
  });
});

describe('nesting caps of the YouTube and Archive tasks (final, named errors)', () => {
  let pool: PageParser;
  beforeAll(() => {
    pool = createParsePool({ threads: 1, timeoutMs: 10_000, maxDepth: 256, memoryMb: 256 });
  });
  afterAll(async () => pool.close());

  const cases: Array<[string, (p: PageParser) => Promise<unknown>, string]> = [
    [
      'a YouTube feed nested 150k deep',
      (p) => p.run(youtubeFeedTask, { xml: `<feed xmlns="http://www.w3.org/2005/Atom">${'<x>'.repeat(150_000)}</feed>`, url: 'http://y/feed' }),
      'cannot parse YouTube feed at http://y/feed: elements nested deeper than 256 levels (limits.maxHtmlDepth)',
    ],
    [
      'a watch page whose player response nests 150k deep',
      (p) =>
        p.run(youtubeWatchTask, {
          html: `<script>var ytInitialPlayerResponse = {"a":${deepArray(150_000)}};var meta = 1;</script>`,
          videoId: 'abcdefghijk',
          url: 'http://y/watch',
        }),
      'cannot parse YouTube watch page at http://y/watch: the ytInitialPlayerResponse JSON nested deeper than 256 levels (limits.maxHtmlDepth)',
    ],
    [
      'a channel page whose window["ytInitialData"] nests 150k deep',
      (p) => p.run(youtubeChannelTask, { html: `<script>window["ytInitialData"] = {"a":${deepArray(150_000)}};</script>`, url: 'http://y/ch' }),
      'cannot parse YouTube channel page at http://y/ch: the ytInitialData JSON nested deeper than 256 levels (limits.maxHtmlDepth)',
    ],
    [
      'an Archive search answer that is a 150k-deep array',
      (p) => p.run(archiveSearchTask, { body: deepArray(150_000), url: 'http://a/s' }),
      'cannot parse Internet Archive advanced search at http://a/s: JSON nested deeper than 256 levels (limits.maxHtmlDepth)',
    ],
    [
      'an Archive search whose description is 100k nested divs',
      (p) =>
        p.run(archiveSearchTask, { body: JSON.stringify({ response: { docs: [{ identifier: 'a', description: deepDivs(100_000) }] } }), url: 'http://a/s' }),
      'cannot parse Internet Archive advanced search (HTML in response.docs[0].description) at http://a/s: elements nested deeper than 256 levels (limits.maxHtmlDepth)',
    ],
    [
      'Archive metadata whose title hides the markup behind \\u003c escapes',
      (p) =>
        p.run(archiveMetadataTask, {
          body: JSON.stringify({ metadata: { identifier: 'a', title: deepDivs(5_000) } }).replace(/</g, '\\u003c'),
          identifier: 'a',
          url: 'http://a/m',
        }),
      'cannot parse Internet Archive item metadata (HTML in metadata.title) at http://a/m: elements nested deeper than 256 levels (limits.maxHtmlDepth)',
    ],
  ];

  it.each(cases)('%s: refused in this thread and in the pool', async (_name, run, message) => {
    for (const p of [inThreadParser(256), pool]) {
      const err = await failure(run(p));
      expect(err).toBeInstanceOf(ParseError);
      expect(err.message).toBe(message);
      expect(isRetryable(err)).toBe(false);
    }
  });

  it('results cross the thread as in-thread, Dates as Dates', async () => {
    const local = await inThreadParser().run(archiveSearchTask, { body: ia('advancedsearch.json'), url: 'u' });
    const remote = await pool.run(archiveSearchTask, { body: ia('advancedsearch.json'), url: 'u' });
    expect(remote).toEqual(local);
    expect(remote.docs[0]?.publicdate).toBeInstanceOf(Date);
    const feed = await pool.run(youtubeFeedTask, { xml: yt('channel-feed.xml'), url: 'u' });
    expect(feed).toEqual(parseVideoFeed(yt('channel-feed.xml'), 'u'));
    expect(feed.videos[0]?.publishedAt).toBeInstanceOf(Date);
  });
});
