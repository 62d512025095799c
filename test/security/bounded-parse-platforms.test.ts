import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultCrawlers } from '../../src/app/crawler-registry';
import { sourceSchema, type Source } from '../../src/config/schema';
import { ParseError, isRetryable } from '../../src/core/errors';
import type { PageParser } from '../../src/core/parse-task';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';

/** Synthetic hostile answers (issue 24): their nesting is the point, there is no real format to follow for them. */
const nested = (open: string, close: string, levels: number): string => open.repeat(levels) + 'x' + close.repeat(levels);
const deepRss = `<?xml version="1.0"?><rss version="2.0"><channel><title>deep</title>${nested('<item>', '</item>', 150_000)}</channel></rss>`;
const deepAtom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">${nested('<entry>', '</entry>', 150_000)}</feed>`;
const deepDescription = JSON.stringify({
  responseHeader: { status: 0 },
  response: { numFound: 1, start: 0, docs: [{ identifier: 'deep-desc', description: nested('<div>', '</div>', 100_000) }] },
});
const oneDoc = JSON.stringify({ responseHeader: { status: 0 }, response: { numFound: 1, start: 0, docs: [{ identifier: 'deep-json' }] } });
const deepJson = nested('[', ']', 150_000);

function answer(url: string): { type: string; body: string } | undefined {
  if (url === '/feed.xml') return { type: 'application/rss+xml', body: deepRss };
  if (url.startsWith('/feeds/videos.xml')) return { type: 'application/atom+xml', body: deepAtom };
  if (url.startsWith('/advancedsearch.php?') && url.includes('deepdesc')) return { type: 'application/json', body: deepDescription };
  if (url.startsWith('/advancedsearch.php?') && url.includes('deepjson')) return { type: 'application/json', body: oneDoc };
  if (url === '/metadata/deep-json') return { type: 'application/json', body: deepJson };
  return undefined;
}

/**
 * Every platform's parse in the parse pool with its nesting cap (issue 24): a 150k-deep RSS feed and YouTube feed, an
 * Archive search whose description is 100k nested divs and an Archive item whose metadata is a 150k-deep JSON array,
 * crawled at the same time as a normal Telegram channel. Each hostile answer is refused with a final error naming
 * what was wrong, well inside the parse budget, and the normal crawl completes meanwhile. In this thread (before) the
 * YouTube feed alone took ~30 s and the Archive description overflowed the stack after ~25 s (a retried error).
 */
describe('bounded parse of RSS, YouTube and Internet Archive answers', () => {
  const budgetMs = 3000;
  let h: Harness;
  let deps: PipelineDeps;
  let hostile: Server;
  let base = '';
  const tasksRun: string[] = [];

  beforeAll(async () => {
    h = await startHarness('pipeline-test.yaml', { limits: { parseTimeoutMs: budgetMs, parseThreads: 2 }, media: { enabled: false } });
    const recording: PageParser = {
      run: (task, input) => (tasksRun.push(task.name), h.rt.parser.run(task, input)),
      close: () => h.rt.parser.close(),
    };
    deps = { store: h.rt.store, crawlers: defaultCrawlers, fetcher: h.rt.fetcher, limiter: h.rt.limiter, parser: recording, settings: h.rt.settings };
    hostile = createServer((req, res) => {
      const a = answer(req.url ?? '');
      res.writeHead(a ? 200 : 404, a ? { 'content-type': `${a.type}; charset=utf-8` } : {});
      res.end(a?.body);
    });
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  }, 120000);
  afterAll(async () => {
    await new Promise((r) => hostile?.close(r));
    await h?.close();
  });

  const source = (s: Record<string, unknown>): Source => sourceSchema.parse({ schedule: '*/5 * * * *', rateLimit: { requests: 50, perSeconds: 1 }, ...s });

  it('refuses each within the parse budget with a named, final error while a normal channel is crawled', async () => {
    const rss = source({ id: 'deep-rss', platform: 'rss', url: `${base}/feed.xml` });
    const yt = source({ id: 'deep-yt', platform: 'youtube', channelId: 'UCsynthDeepFeedChannel01', options: { baseUrl: base, thumbBaseUrl: base } });
    const iaDesc = source({ id: 'deep-ia-desc', platform: 'archive', collection: 'deepdesc', options: { baseUrl: base } });
    const iaJson = source({ id: 'deep-ia-json', platform: 'archive', collection: 'deepjson', options: { baseUrl: base } });
    const normal = sourceSchema.parse(tgSource(h.sim, 'normal', 'sim_gamma'));
    const settle = <T>(p: Promise<T>) =>
      p.then(
        (v) => ({ ok: true as const, v, at: Date.now() }),
        (e: unknown) => ({ ok: false as const, e: e as Error, at: Date.now() }),
      );
    const t0 = Date.now();
    const crawl = (s: Source) => settle(runCrawl(deps, s, { jobId: `bpp-${s.id}`, attempt: 1 }));
    const [r, y, d, j, n] = await Promise.all([crawl(rss), crawl(yt), crawl(iaDesc), crawl(iaJson), crawl(normal)]);

    const refused: Array<[typeof r, string]> = [
      [r, `cannot parse feed at ${base}/feed.xml: elements nested deeper than 256 levels (limits.maxHtmlDepth)`],
      [
        y,
        `cannot parse YouTube feed at ${base}/feeds/videos.xml?channel_id=UCsynthDeepFeedChannel01: elements nested deeper than 256 levels (limits.maxHtmlDepth)`,
      ],
      [d, `cannot parse Internet Archive advanced search (HTML in response.docs[0].description) at ${base}/advancedsearch.php?q=collection%3A%22deepdesc%22&`],
    ];
    for (const [res, message] of refused) {
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.e.message.slice(0, message.length)).toBe(message);
      expect(res.e.message).toMatch(/elements nested deeper than 256 levels \(limits\.maxHtmlDepth\)$/);
      expect(res.e).toBeInstanceOf(ParseError);
      expect(isRetryable(res.e)).toBe(false);
      // well inside the budget (plus fetch and slack on a shared machine)
      expect(res.at - t0).toBeLessThan(budgetMs + 8000);
    }

    // one metadata answer that is too deep loses only its item: the check is unknown, with the error as its reason
    expect(j.ok).toBe(true);
    const run = await h.rt.store.runs.findOne({ _id: 'run:bpp-deep-ia-json' });
    expect(run?.checkErrors).toEqual([
      {
        postId: 'deep-json',
        message: `cannot parse Internet Archive item metadata at ${base}/metadata/deep-json: JSON nested deeper than 256 levels (limits.maxHtmlDepth)`,
      },
    ]);
    expect(j.at - t0).toBeLessThan(budgetMs + 8000);

    expect(n.ok).toBe(true);
    if (!n.ok) return;
    expect(n.v.status).toBe('active');
    expect(n.v.postsSeen).toBeGreaterThan(0);
    expect(await h.rt.store.posts.countDocuments({ sourceId: 'normal' })).toBe(n.v.postsSeen);

    // every one of those parses went through the worker's parse pool
    expect(new Set(tasksRun)).toEqual(new Set(['feed', 'youtubeFeed', 'archiveSearch', 'archiveMetadata', 'telegramChannel']));
  });
});
