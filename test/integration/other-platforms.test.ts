import { defaultCrawlers } from '../../src/app/crawler-registry';
import { sourceSchema } from '../../src/config/schema';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { startHarness, type Harness } from '../support/pipeline-harness';

/** RSS, Atom, a windows-1256 forum (html) and a JavaScript page (browser: Debian chromium) through the pipeline. */
describe('rss, html and browser sources against the simulator', () => {
  let h: Harness;
  let deps: PipelineDeps;
  beforeAll(async () => {
    h = await startHarness('demo.yaml');
    deps = { store: h.rt.store, crawlers: defaultCrawlers, fetcher: h.rt.fetcher, limiter: h.rt.limiter, browser: h.rt.browser, settings: h.rt.settings };
  });
  afterAll(async () => h?.close());

  const base = { schedule: '*/5 * * * *', rateLimit: { requests: 20, perSeconds: 1 } };
  const board = { post: 'div.post', text: '.body', date: 'time', media: 'img.media', idAttr: 'data-id' };

  it('RSS: items stored once with dates; a new item is picked up incrementally', async () => {
    const source = sourceSchema.parse({ ...base, id: 'weather', platform: 'rss', url: `${h.sim.url}/feeds/weather.xml` });
    const r1 = await runCrawl(deps, source, { jobId: 'rss1', attempt: 1 });
    expect(r1).toMatchObject({ status: 'active', postsSeen: 2, postsNew: 2 });
    const posts = await h.rt.store.posts.find({ sourceId: 'weather' }).sort({ publishedAt: 1 }).toArray();
    expect(posts.map((p) => p.text.split('\n')[0])).toEqual(['Mild week ahead', 'Wind warning']);
    expect(posts[0]?.publishedAt?.toISOString()).toBe('2026-11-20T06:00:00.000Z');
    h.sim.advanceTo(4); // feed_item "Cold front"
    const r2 = await runCrawl(deps, source, { jobId: 'rss2', attempt: 1 });
    expect(r2.postsNew).toBe(1);
    expect(await h.rt.store.posts.countDocuments({ sourceId: 'weather' })).toBe(3);
  });

  it('Atom feed', async () => {
    const source = sourceSchema.parse({ ...base, id: 'markets', platform: 'rss', url: `${h.sim.url}/feeds/markets.atom` });
    await runCrawl(deps, source, { jobId: 'atom1', attempt: 1 });
    const p = await h.rt.store.posts.findOne({ sourceId: 'markets' });
    expect(p?.text).toMatch(/^Tomato prices fall\nHarvest brings more tomatoes/);
  });

  it('html: a windows-1256 Arabic forum comes out as correct Unicode, detected as Arabic', async () => {
    const source = sourceSchema.parse({
      ...base,
      id: 'souk',
      platform: 'html',
      url: `${h.sim.url}/forum/souk`,
      language: 'arb',
      options: { selectors: board },
    });
    const r = await runCrawl(deps, source, { jobId: 'souk1', attempt: 1 });
    expect(r.postsSeen).toBe(2);
    const posts = await h.rt.store.posts.find({ sourceId: 'souk' }).sort({ postId: 1 }).toArray();
    expect(posts[0]?.text).toBe('أسعار الخضار في السوق المركزي انخفضت هذا الأسبوع');
    expect(posts[0]?.lang).toBe('arb');
    expect(posts[1]?.media).toEqual([{ kind: 'photo', url: `${h.sim.url}/media/photo-5.png` }]);
    const ch = await h.rt.store.channels.findOne({ _id: 'html:souk' });
    expect(ch?.title).toBe('منتدى السوق');
  });

  it('browser: posts that only exist after JavaScript runs are found by Playwright + chromium', async () => {
    const source = sourceSchema.parse({ ...base, id: 'board', platform: 'browser', url: `${h.sim.url}/js/board`, options: { selectors: board } });
    const r = await runCrawl(deps, source, { jobId: 'board1', attempt: 1 });
    expect(r.postsSeen).toBe(2);
    const texts = (await h.rt.store.posts.find({ sourceId: 'board' }).toArray()).map((p) => p.text).sort();
    expect(texts).toEqual(['Bread dough rests overnight for a lighter loaf', 'Welcome to the synthetic community board']);
    // the same page through the plain html crawler sees no posts (they are built by JavaScript)
    const plain = sourceSchema.parse({ ...base, id: 'board-plain', platform: 'html', url: `${h.sim.url}/js/board`, options: { selectors: board } });
    expect((await runCrawl(deps, plain, { jobId: 'board2', attempt: 1 })).postsSeen).toBe(0);
  }, 60000);

  it('a missing feed is recorded as not found, not as a crash', async () => {
    const source = sourceSchema.parse({ ...base, id: 'gone', platform: 'rss', url: `${h.sim.url}/feeds/gone.xml` });
    const r = await runCrawl(deps, source, { jobId: 'gone1', attempt: 1 });
    expect(r.status).toBe('not_found');
  });
});
