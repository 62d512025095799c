import { alertsCollection } from '../../src/store/repos/alerts';
import { sourceSchema } from '../../src/config/schema';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { handleVariants } from '../../src/resurface/handle-variants';
import { findCandidate } from '../../src/store/repos/successor-candidates';
import { timeBuckets } from '../../src/core/time-buckets';
import { harnessDeps, startHarness, tgSource, type Harness } from '../support/pipeline-harness';

/**
 * Handles named outside posts, on the simulator with real Redis and FerretDB and the fitted default model: a removed
 * channel whose description says "Backup: @sim_quiet_cove" is succeeded by that channel (a handle unlike its own),
 * found through its own description; a removed channel whose network's hub links its successor in the hub's
 * description is found through the pointer the crawl recorded from that description. The control: a removed channel
 * with a successor just as alike, named nowhere, is not found in the same steps.
 */
describe('profile pointers: handles named in descriptions', () => {
  let h: Harness;
  let deps: PipelineDeps;
  const watched = ['sim_coast_hub', 'sim_harbor_lights', 'sim_lamp_keeper', 'sim_signal_post'];
  const HARBOR = 'tg:1720000301';
  const LAMP = 'tg:1720000302';
  const SIGNAL = 'tg:1720000303';

  beforeAll(async () => {
    h = await startHarness('profile-pointers-test.yaml', {
      resurface: { reprobeMinutes: 0.0001, probeCacheSeconds: 0, maxVariants: 20 },
      alerts: { rules: [{ name: 'resurfacing', to: ['analyst@example.org'], kinds: ['resurfaced'], tags: ['net-coast'] }] },
    });
    deps = harnessDeps(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  const src = (handle: string) =>
    sourceSchema.parse(tgSource(h.sim, handle.replace(/_/g, '-'), handle, { tags: ['net-coast'], rateLimit: { requests: 1000, perSeconds: 1 } }));
  const crawlAll = async (tag: string) => {
    for (const s of watched.map(src)) await runCrawl(deps, s, { jobId: `${tag}-${s.id}`, attempt: 1 });
  };
  const cand = (pred: string, handle: string) => findCandidate(h.rt.store, `cand:${pred}:${handle}`);
  const resurfaced = (pred: string) => h.rt.store.events.find({ type: 'resurfaced', 'data.predecessor': pred }).toArray();

  it('records the handles the descriptions name in the day pointer document', async () => {
    await crawlAll('t0');
    const day = await h.rt.store.pointers.findOne({ _id: `hp:${timeBuckets(new Date()).day}` });
    // the descriptions are the only place these handles are named (no post mentions them)
    expect(day?.h.sim_quiet_cove).toEqual({ f: [HARBOR], o: ['mention'], t: ['net-coast'] });
    expect(day?.h.sim_far_reach).toEqual({ f: ['tg:1720000304'], o: ['link'], t: ['net-coast'] });
    expect(Object.keys(day?.h ?? {}).sort()).toEqual(['sim_far_reach', 'sim_quiet_cove']);
    // the stored description is the one the page shows (the simulator renders it as t.me does)
    expect((await h.rt.store.channels.findOne({ _id: HARBOR }))?.description).toBe('Harbour news of the north coast. Backup: @sim_quiet_cove');
  });

  it('finds the successor named in the removed channel’s own description, and says so in the evidence', async () => {
    // as if the description had been written weeks before the takedown: the day it was recorded is outside the
    // search window, so only the stored description itself can name the successor
    await h.rt.store.pointers.updateOne({ _id: `hp:${timeBuckets(new Date()).day}` }, { $unset: { 'h.sim_quiet_cove': '' } });
    h.sim.advanceTo(1);
    await crawlAll('t1');
    expect(await h.rt.store.events.countDocuments({ type: 'removed' })).toBe(3);
    h.sim.advanceTo(2);
    await crawlAll('t2');

    // an unlike handle: no look-alike variant of the predecessor reaches it
    expect(handleVariants('sim_harbor_lights', 500, { title: 'Harbor Lights' })).not.toContain('sim_quiet_cove');
    const ev = await resurfaced(HARBOR);
    expect(ev.map((e) => e.data.successorHandle)).toEqual(['sim_quiet_cove']);
    expect(ev[0]?.data.foundVia).toEqual(['predecessor_description']);
    expect((ev[0]?.data.signals as Record<string, number>).network).toBe(1);
    expect(Number(ev[0]?.data.score)).toBeGreaterThanOrEqual(h.rt.settings.resurface.threshold);
    expect((await cand(HARBOR, 'sim_quiet_cove'))?.origin[0]).toBe('predecessor_description');
    const alert = await alertsCollection(h.rt.store).findOne({ _id: `alert:resurfaced:${HARBOR}:tg:1720000311:analyst@example.org` });
    expect(alert?.text).toContain("Found via: named in the predecessor's description");
  });

  it('finds the successor linked in the description of a channel of the network', async () => {
    expect(handleVariants('sim_signal_post', 500, { title: 'Signal Post' })).not.toContain('sim_far_reach');
    const ev = await resurfaced(SIGNAL);
    expect(ev.map((e) => e.data.successorHandle)).toEqual(['sim_far_reach']);
    expect(ev[0]?.data.foundVia).toEqual(['link']);
  });

  it('control: a successor just as alike but named nowhere is not found in the same steps', async () => {
    expect(await resurfaced(LAMP)).toHaveLength(0);
    expect(await cand(LAMP, 'sim_still_marsh')).toBeNull();
    expect(await h.rt.store.events.countDocuments({ type: 'resurfaced' })).toBe(2);
  });
});
