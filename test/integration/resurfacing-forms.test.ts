import { sourceSchema } from '../../src/config/schema';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { comebackFormsSince } from '../../src/store/repos/comeback-forms';
import { findCandidate } from '../../src/store/repos/successor-candidates';
import { harnessDeps, startHarness, tgSource, type Harness } from '../support/pipeline-harness';

/**
 * A network's comeback form on the simulator with real Redis and FerretDB: two channels of one network come back
 * with the same unusual suffix (`_mirror9`, no variant of any family). The first named its successor; once it is
 * found, the form is tried on the second, which named nothing. A channel of another network is not tried with it.
 */
describe('resurfacing: a network comes back in one form', () => {
  let h: Harness;
  let deps: PipelineDeps;
  const net: Record<string, string> = { sim_river_watch: 'net-water', sim_lake_watch: 'net-water', sim_pond_watch: 'net-garden' };

  beforeAll(async () => {
    h = await startHarness('resurface-forms-test.yaml', { resurface: { reprobeMinutes: 0.0001, probeCacheSeconds: 0, maxVariants: 20 } });
    deps = harnessDeps(h);
    const src = (handle: string) =>
      sourceSchema.parse(tgSource(h.sim, handle.replace(/_/g, '-'), handle, { tags: [net[handle] as string], rateLimit: { requests: 1000, perSeconds: 1 } }));
    const crawlAll = async (tag: string) => {
      for (const s of Object.keys(net).map(src)) await runCrawl(deps, s, { jobId: `${tag}-${s.id}`, attempt: 1 });
    };
    await crawlAll('t0');
    h.sim.advanceTo(1);
    await crawlAll('t1');
    h.sim.advanceTo(2);
    // the lake channel's search runs before the river's successor is found: nothing yet
    for (const s of ['sim_lake_watch', 'sim_river_watch', 'sim_pond_watch'].map(src)) await runCrawl(deps, s, { jobId: `t2-${s.id}`, attempt: 1 });
    await crawlAll('t3');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('records the form of the first comeback under its network', async () => {
    const since = new Date(Date.now() - 3 * 86400_000);
    expect([...(await comebackFormsSince(h.rt.store, ['net-water'], since, new Date()))]).toEqual([['*_mirror9', 2]]);
    expect([...(await comebackFormsSince(h.rt.store, ['net-garden'], since, new Date()))]).toEqual([]);
  });

  it('finds the second channel of the network under the same form, and only those two', async () => {
    const ev = await h.rt.store.events.find({ type: 'resurfaced' }).sort({ at: 1 }).toArray();
    expect(ev.map((e) => [e.data.predecessorHandle, e.data.successorHandle]).sort()).toEqual([
      ['sim_lake_watch', 'sim_lake_watch_mirror9'],
      ['sim_river_watch', 'sim_river_watch_mirror9'],
    ]);
    const lake = await findCandidate(h.rt.store, 'cand:tg:1730000002:sim_lake_watch_mirror9');
    expect(lake?.score).toBeGreaterThanOrEqual(h.rt.settings.resurface.threshold);
  });

  it('does not try the form on a removed channel of another network', async () => {
    expect(await findCandidate(h.rt.store, 'cand:tg:1730000003:sim_pond_watch_mirror9')).toBeNull();
  });
});
