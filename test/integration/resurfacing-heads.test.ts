import { sourceSchema, type Source } from '../../src/config/schema';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { listAutoSources } from '../../src/store/repos/auto-sources';
import { findCandidate } from '../../src/store/repos/successor-candidates';
import { harnessDeps, startHarness, tgSource, type Harness } from '../support/pipeline-harness';

/**
 * Issue 23 on the simulator with real Redis and FerretDB, the fitted default model and the default check-time
 * resolution: a group opens two heads; the first is found and auto-watched, the second (`_official`, text only)
 * posts after that and is found too, while the first head is still up. A comeback that dropped the Arabic article
 * (sim_alnoor_daily → sim_noor_daily), linked from nowhere, is found. The look-alike decoys are not.
 */
describe('resurfacing: every head of a comeback, the dropped article', () => {
  let h: Harness;
  let deps: PipelineDeps;
  const watched = ['sim_cedar_bulletin', 'sim_alnoor_daily'];
  const src = (handle: string): Source =>
    sourceSchema.parse(tgSource(h.sim, handle.replace(/_/g, '-'), handle, { tags: ['net-cedar'], rateLimit: { requests: 1000, perSeconds: 1 } }));
  const crawl = async (tag: string, sources: Source[]) => {
    for (const s of sources) await runCrawl(deps, s, { jobId: `${tag}-${s.id}`, attempt: 1 });
  };
  const autoSources = async () => (await listAutoSources(h.rt.store)).map((a) => sourceSchema.parse(a.source));
  const pairs = async () =>
    (await h.rt.store.events.find({ type: 'resurfaced' }).toArray()).map((e) => `${String(e.data.predecessorHandle)}>${String(e.data.successorHandle)}`).sort();

  beforeAll(async () => {
    h = await startHarness('resurface-heads-test.yaml', { resurface: { reprobeMinutes: 0.0001, probeCacheSeconds: 0, autoWatch: true } });
    deps = harnessDeps(h);
    await crawl('t0', watched.map(src));
    h.sim.advanceTo(1);
    await crawl('t1', watched.map(src)); // the takedowns are seen: nothing to find yet
    h.sim.advanceTo(2);
    await crawl('t2', watched.map(src)); // the first head and the dropped article
    await crawl('t2-auto', await autoSources()); // the successors found are watched and checked
    await crawl('t2-auto-again', await autoSources()); // and checked again (nothing new: an idle check)
    h.sim.advanceTo(3); // the group's second head posts, its first head still up
    await crawl('t3-auto', await autoSources());
    await crawl('t3', watched.map(src));
  }, 240000);
  afterAll(async () => {
    await h?.close();
  });

  it('finds both heads of the group, the second after the first was found and watched', async () => {
    expect(await pairs()).toEqual(expect.arrayContaining(['sim_cedar_bulletin>sim_cedar_bulletin_backup', 'sim_cedar_bulletin>sim_cedar_bulletin_official']));
    const second = await h.rt.store.events.findOne({ type: 'resurfaced', channelKey: 'tg:1730000103' });
    expect(second?.data.lineage).toEqual(['tg:1730000001', 'tg:1730000103']); // a sibling head, not the first head's successor
  });

  it('finds the comeback that dropped the Arabic article, linked from nowhere', async () => {
    expect(await pairs()).toContain('sim_alnoor_daily>sim_noor_daily');
    const ev = await h.rt.store.events.findOne({ type: 'resurfaced', channelKey: 'tg:1730000102' });
    expect(ev?.data.foundVia).toEqual(['variant']);
  });

  it('raises no false alert: exactly the three true pairs; the probed look-alike decoys stay below the threshold', async () => {
    expect(await pairs()).toEqual([
      'sim_alnoor_daily>sim_noor_daily',
      'sim_cedar_bulletin>sim_cedar_bulletin_backup',
      'sim_cedar_bulletin>sim_cedar_bulletin_official',
    ]);
    const news = await findCandidate(h.rt.store, 'cand:tg:1730000002:sim_alnoor_daily_news');
    expect(news?.status).toBe('active');
    expect(news?.score).toBeLessThan(h.rt.settings.resurface.threshold);
  });
});
