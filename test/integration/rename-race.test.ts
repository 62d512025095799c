import { sourceSchema, type Source } from '../../src/config/schema';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { followChannelId } from '../../src/resurface/follow-channel';
import { harnessDeps, startHarness, tgSource, type Harness } from '../support/pipeline-harness';

/**
 * A check of a watched channel's old handle that is still fetching when discovery follows the channel's rename: the
 * check finds the old handle gone, but the channel moved on under it. It must not mark the followed channel
 * `not_found` (which had discovery follow it a second time: two `renamed` events in the demo).
 */
describe('a rename followed while a check of the old handle runs', () => {
  let h: Harness;
  let deps: PipelineDeps;
  beforeAll(async () => {
    h = await startHarness();
    deps = harnessDeps(h);
  });
  afterAll(async () => h?.close());

  it('the stale not_found is dropped: the channel stays active under its new handle, renamed once', async () => {
    const source: Source = sourceSchema.parse(tgSource(h.sim, 'beta', 'sim_beta'));
    await runCrawl(deps, source, { jobId: 'race-1', attempt: 1 });
    expect(await h.rt.store.channels.findOne({ _id: 'tg:1700000002' })).toMatchObject({ status: 'active', handle: 'sim_beta' });

    h.sim.advanceTo(3); // sim_beta is renamed sim_beta_renamed: the old handle is gone
    h.sim.setFault('/sim_beta', { kind: 'delay', ms: 1500, times: 2 }); // the check of the old handle is held
    h.sim.setFault('/s/sim_beta', { kind: 'delay', ms: 1500, times: 2 });
    const check = runCrawl(deps, source, { jobId: 'race-2', attempt: 1 });
    await new Promise((r) => setTimeout(r, 300)); // the check has read the channel and is fetching
    // discovery sees the channel's id live under the new handle meanwhile
    const followed = await followChannelId(h.rt.store, { handle: 'sim_beta_renamed', platformId: '1700000002' }, new Date(), 'probe');
    expect(followed).toMatchObject({ from: 'sim_beta', to: 'sim_beta_renamed' });
    await check;

    expect(await h.rt.store.channels.findOne({ _id: 'tg:1700000002' })).toMatchObject({ status: 'active', handle: 'sim_beta_renamed' });
    const events = await h.rt.store.events.find({ channelKey: 'tg:1700000002' }).toArray();
    expect(events.filter((e) => e.type === 'renamed')).toHaveLength(1);
    expect(events.map((e) => e.type)).not.toContain('not_found');

    // the next check follows the new handle and finds the channel as it is
    await runCrawl(deps, source, { jobId: 'race-3', attempt: 1 });
    expect(await h.rt.store.channels.findOne({ _id: 'tg:1700000002' })).toMatchObject({ status: 'active', handle: 'sim_beta_renamed' });
    expect(await h.rt.store.events.countDocuments({ channelKey: 'tg:1700000002', type: 'renamed' })).toBe(1);
  });
});
