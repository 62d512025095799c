import { sourceSchema } from '../../src/config/schema';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { findCandidate } from '../../src/store/repos/successor-candidates';
import { harnessDeps, startHarness, tgSource, type Harness } from '../support/pipeline-harness';

/**
 * Issue 11 on the simulator with real Redis and FerretDB, with the fitted default model: a successor with a new
 * avatar, short posts that repeat its predecessor's and one shared picture is found; a news channel that quotes
 * and links the removed channel (and is pointed at by the network) is scored and stays below the threshold.
 */
describe('resurfacing v2: short posts, new avatar, one shared picture; a linking news channel', () => {
  let h: Harness;
  let deps: PipelineDeps;
  const watched = ['sim_tide_watch', 'sim_bay_network', 'sim_coast_newsdesk'];

  beforeAll(async () => {
    h = await startHarness('resurface-v2-test.yaml', { resurface: { reprobeMinutes: 0.0001, probeCacheSeconds: 0, maxVariants: 20 } });
    deps = harnessDeps(h);
    const src = (handle: string) =>
      sourceSchema.parse(tgSource(h.sim, handle.replace(/_/g, '-'), handle, { tags: ['net-bay'], rateLimit: { requests: 1000, perSeconds: 1 } }));
    const crawlAll = async (tag: string) => {
      for (const s of watched.map(src)) await runCrawl(deps, s, { jobId: `${tag}-${s.id}`, attempt: 1 });
    };
    await crawlAll('t0');
    h.sim.advanceTo(1);
    await crawlAll('t1');
    h.sim.advanceTo(2);
    await crawlAll('t2');
    await crawlAll('t2b'); // the network's mention of the news channel was crawled after the removed channel's tick
  });
  afterAll(async () => {
    await h?.close();
  });

  const cand = (handle: string) => findCandidate(h.rt.store, `cand:tg:1720000001:${handle}`);

  it('finds the successor with a new avatar, short repeated posts and one shared picture, with each signal as evidence', async () => {
    expect(h.rt.settings.resurface.bias).toBeDefined(); // the fitted logistic model
    const ev = await h.rt.store.events.find({ type: 'resurfaced' }).toArray();
    expect(ev.map((e) => [e.data.predecessorHandle, e.data.successorHandle])).toEqual([['sim_tide_watch', 'sim_tide_watch_backup']]);
    const signals = ev[0]?.data.signals as Record<string, number>;
    expect(Object.keys(signals).sort()).toEqual(['avatar', 'description', 'handle', 'network', 'sharedMedia', 'sharedText', 'timing', 'title']);
    expect(signals.avatar).toBeLessThan(0.5); // a new avatar
    expect(signals.sharedText).toBe(1); // its three short posts repeat the predecessor's
    expect(signals.sharedMedia).toBeGreaterThan(0); // the one shared picture
    expect(signals.sharedMedia).toBeLessThan(1);
    expect(Number(ev[0]?.data.score)).toBeGreaterThanOrEqual(h.rt.settings.resurface.threshold);
    const summary = await h.rt.store.channelSummaries.findOne({ _id: 'tg:1720000001' });
    expect(summary?.shortTexts).toHaveLength(3);
  });

  it('scores the news channel that quotes and links the removed channel below the threshold', async () => {
    const news = await cand('sim_coast_newsdesk');
    expect(news?.origin).toEqual(['mention']);
    expect(news?.signals).toBeDefined();
    expect(news?.score).toBeLessThan(h.rt.settings.resurface.threshold);
    expect(await h.rt.store.events.countDocuments({ type: 'resurfaced', channelKey: 'tg:1720000090' })).toBe(0);
  });
});
