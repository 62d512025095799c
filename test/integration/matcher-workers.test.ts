import sharp from 'sharp';
import { defaultCrawlers } from '../../src/app/crawler-registry';
import { sourceSchema } from '../../src/config/schema';
import { MediaMatcher } from '../../src/media/media-matcher';
import { runCrawl } from '../../src/pipeline/crawl-source';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';

/** Two workers, each with its own in-memory index, see each other's hashes (loaded from MongoDB, then incrementally). */
describe('fingerprint index across workers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('media-test.yaml', { dataDir: `/tmp/hw-media-${Date.now()}` });
  });
  afterAll(async () => h?.close());

  it('a hash stored by worker 1 is matched by worker 2; near-duplicate posts join one text cluster; file retention keeps the bytes', async () => {
    const w1 = new MediaMatcher(h.rt.store, h.rt.feed, { minQuality: 50 });
    const w2 = new MediaMatcher(h.rt.store, h.rt.feed, { minQuality: 50 });
    const base = { store: h.rt.store, crawlers: defaultCrawlers, fetcher: h.rt.fetcher, limiter: h.rt.limiter, settings: h.rt.settings };
    await w2.refresh(); // worker 2 loaded (empty) at start
    h.sim.advanceTo(1);
    const origin = sourceSchema.parse(tgSource(h.sim, 'origin', 'sim_origin', { retention: 'file', rateLimit: { requests: 100, perSeconds: 1 } }));
    await runCrawl({ ...base, matcher: w1 }, origin, { jobId: 'w1', attempt: 1 });
    expect(w2.index('pdq').size).toBe(0);
    h.sim.advanceTo(3);
    const copycat = sourceSchema.parse(tgSource(h.sim, 'copycat', 'sim_copycat', { rateLimit: { requests: 100, perSeconds: 1 } }));
    await runCrawl({ ...base, matcher: w2 }, copycat, { jobId: 'w2', attempt: 1 });
    expect(w2.index('pdq').size).toBeGreaterThanOrEqual(5);
    const reup = await h.rt.store.posts.findOne({ channelKey: 'tg:1700000102', text: 'Re-upload' });
    const s = await h.rt.store.sightings.findOne({ _id: `${reup?._id}:m1` });
    expect(s?.matchedVia).toBe('pdq');
    const originPost = await h.rt.store.posts.findOne({ channelKey: 'tg:1700000101', text: 'Original photo set' });
    expect(s?.clusterId).toBe((await h.rt.store.sightings.findOne({ _id: `${originPost?._id}:m1` }))?.clusterId);

    // retention "file": the origin's bytes are kept content-addressed; hash-only sources keep none
    const kept = await h.rt.store.mediaItems.find({ filePath: { $exists: true } }).toArray();
    expect(kept.length).toBe(6);
    const meta = await sharp(kept.find((k) => k.kind === 'image')?.filePath as string).metadata();
    expect(meta.width).toBe(480);
  }, 120000);

  it('near-duplicate texts across channels form one text cluster', async () => {
    const texts = await h.rt.store.textSigs.find({}).toArray();
    expect(texts.length).toBeGreaterThan(0);
    h.sim.apply({
      step: 9,
      action: 'post',
      channel: 'sim_origin',
      post: { text: 'Farmers in the northern district report that the new irrigation channels are working well this season', photos: [], links: [] },
    });
    h.sim.apply({ step: 9, action: 'restore', channel: 'sim_origin' });
    h.sim.apply({
      step: 9,
      action: 'post',
      channel: 'sim_copycat',
      post: {
        text: 'Repost!! Farmers in the northern district report that the new irrigation channels are working well this season #farm',
        photos: [],
        links: [],
      },
    });
    const base = { store: h.rt.store, crawlers: defaultCrawlers, fetcher: h.rt.fetcher, limiter: h.rt.limiter, settings: h.rt.settings };
    await runCrawl(base, sourceSchema.parse(tgSource(h.sim, 'origin', 'sim_origin')), { jobId: 't1', attempt: 1 });
    await runCrawl(base, sourceSchema.parse(tgSource(h.sim, 'copycat', 'sim_copycat')), { jobId: 't2', attempt: 1 });
    const a = await h.rt.store.posts.findOne({ channelKey: 'tg:1700000101', text: /irrigation/ });
    const b = await h.rt.store.posts.findOne({ channelKey: 'tg:1700000102', text: /irrigation/ });
    const sa = await h.rt.store.textSigs.findOne({ _id: a?._id as string });
    const sb = await h.rt.store.textSigs.findOne({ _id: b?._id as string });
    expect(sa?.clusterId).toBeDefined();
    expect(sb?.clusterId).toBe(sa?.clusterId);
    const unrelated = await h.rt.store.textSigs.findOne({ channelKey: 'tg:1700000102', _id: { $ne: b?._id as string } });
    if (unrelated) expect(unrelated.clusterId).not.toBe(sa?.clusterId);
  }, 60000);
});
