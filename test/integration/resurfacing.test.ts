import { sourcesPathIn, startSchedulerRole } from '../../src/app/roles';
import { sourceSchema, type Source } from '../../src/config/schema';
import { AlertSender, smtpTransport } from '../../src/alerts/sender';
import { raiseAlert } from '../../src/alerts/outbox';
import { alertsCollection } from '../../src/store/repos/alerts';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import type { EventDoc } from '../../src/store/repos/channels';
import { harnessDeps, startHarness, tgSource, type Harness } from '../support/pipeline-harness';
import { startSmtpSink } from '../support/smtp-sink';
import { waitFor } from '../support/wait-for';
import { clearProbeCache } from '../../src/store/repos/probe-cache';
import { successorCandidates } from '../../src/store/repos/successor-candidates';
import { listAutoSources } from '../../src/store/repos/auto-sources';

/**
 * Takedowns and successors of every naming style (numeric suffix and increment, affix, separators dropped and added,
 * homoglyphs rn/m, 0/o and 1/l/i, discovery through a link, a mention or a forward, a lineage A → A2 → A3), plus
 * decoys and a rename, on the simulator with real Redis, FerretDB and a real SMTP server: every successor is found
 * with its evidence, no decoy fires, one email each.
 */
describe('resurfacing detection and alert emails', () => {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let deps: PipelineDeps;
  // removed in step 1: nine predecessors, one per naming style or discovery path; plus the feed and the rename
  const original = ['sim_network_feed', 'sim_news_alpha', 'sim_kitchen', 'sim_market_daily', 'sim_sports_hub', 'sim_weather_desk', 'sim_beta_club'];
  const watched = [...original, 'sim_f0x_radio', 'sim_light_house', 'sim_riverlog', 'sim_lantern_post'];
  const threshold = 0.55;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startHarness('resurface-test.yaml', {
      resurface: {
        reprobeMinutes: 0.0001,
        probeCacheSeconds: 3600,
        probeBudget: { requests: 1000, perSeconds: 1 },
        maxVariants: 60,
        autoWatch: true,
        threshold,
      },
      alerts: {
        smtpUrl: smtp.url,
        retryBaseMs: 100,
        retryMaxMs: 1000,
        sendIntervalMs: 200,
        rules: [
          { name: 'resurfacing', to: ['analyst@example.org'], kinds: ['resurfaced'], tags: ['net-a'] },
          { name: 'takedowns', to: ['desk@example.org'], kinds: ['removed'] },
        ],
      },
    });
    deps = harnessDeps(h);
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  const src = (handle: string) =>
    sourceSchema.parse(
      tgSource(h.sim, handle.replace(/^sim_/, '').replace(/_/g, '-'), handle, { tags: ['net-a'], rateLimit: { requests: 1000, perSeconds: 1 } }),
    );
  const crawlAll = async (tag: string, handles = watched, extra: Source[] = []) => {
    for (const source of [...handles.map(src), ...extra]) await runCrawl(deps, source, { jobId: `${tag}-${source.id}`, attempt: 1 });
  };
  const resurfaced = () => h.rt.store.events.find({ type: 'resurfaced' }).toArray();
  const byPredecessor = (ev: EventDoc[], handle: string) => ev.filter((e) => e.data.predecessorHandle === handle);
  const candidates = () => successorCandidates(h.rt.store);
  /** The simulator's next step: a new check interval, so the shared probes of the last one are stale. */
  const advanceTo = async (step: number) => {
    h.sim.advanceTo(step);
    await clearProbeCache(h.rt.store);
  };

  it('finds each successor with its evidence, ignores decoys and the rename, and mails each resurfacing once', async () => {
    await crawlAll('t0');
    await advanceTo(1); // takedowns + a rename
    await crawlAll('t1');
    expect(await h.rt.store.events.countDocuments({ type: 'removed' })).toBe(9);
    expect(await resurfaced()).toHaveLength(0);
    await advanceTo(2); // successors, decoys, the link, mention and forwards from the network feed
    await crawlAll('t2');

    const ev = await resurfaced();
    const pairs = Object.fromEntries(ev.map((e) => [String(e.data.predecessorHandle), String(e.data.successorHandle)]));
    expect(pairs).toEqual({
      sim_news_alpha: 'sim_news_alpha2', // numeric suffix
      sim_kitchen: 'sim_kitchen_backup', // affix
      sim_market_daily: 'sim_rnarket_daily', // homoglyph rn/m
      sim_sports_hub: 'simsportshub', // separators dropped
      sim_weather_desk: 'sim_storm_center', // another name, found through a link and a mention
      sim_f0x_radio: 'sim_fox_radio', // homoglyph 0 → o
      sim_light_house: 'sim_l1ght_house', // homoglyph i → 1 (1/l/i)
      sim_riverlog: 'sim_river_log', // separator added
      sim_lantern_post: 'sim_quiet_harbor', // another name, found only through a forward
    });
    expect(ev).toHaveLength(9); // one event per predecessor, no second successor for any of them
    const storm = ev.find((e) => e.data.successorHandle === 'sim_storm_center');
    expect(storm?.data.foundVia).toEqual(expect.arrayContaining(['link', 'mention']));
    expect(storm?.data.foundVia).not.toContain('variant');
    // found only because the network feed forwarded one of its posts: no variant, no link, no mention
    const fwd = ev.find((e) => e.data.successorHandle === 'sim_quiet_harbor');
    expect(fwd?.data.foundVia).toEqual(['forward']);
    expect(fwd).toMatchObject({
      channelKey: 'tg:1710000110',
      data: { predecessor: 'tg:1710000012', predecessorHandle: 'sim_lantern_post', successorHandle: 'sim_quiet_harbor' },
    });
    expect((fwd?.data.signals as Record<string, number>).network).toBeGreaterThan(0); // pointed at from a channel of the same network
    expect((fwd?.data.signals as Record<string, number>).handle).toBeLessThan(0.6); // the name does not give it away
    // the look-alike names: each was a probed variant, and its handle canonicalises to the predecessor's
    const lookAlikes: Array<[string, string, string, string]> = [
      ['sim_f0x_radio', 'tg:1710000008', 'sim_fox_radio', 'tg:1710000106'],
      ['sim_light_house', 'tg:1710000009', 'sim_l1ght_house', 'tg:1710000107'],
      ['sim_riverlog', 'tg:1710000010', 'sim_river_log', 'tg:1710000108'],
    ];
    for (const [pred, predKey, succ, succKey] of lookAlikes) {
      const [e, ...more] = byPredecessor(ev, pred);
      expect(more).toHaveLength(0);
      expect(e).toMatchObject({ channelKey: succKey, handle: succ, data: { predecessor: predKey, successorHandle: succ } });
      expect(e?.data.foundVia).toEqual(['variant']);
      expect((e?.data.signals as Record<string, number>).handle).toBe(1);
      expect((e?.data.signals as Record<string, number>).title).toBeGreaterThan(0.5);
      expect(e?.data.sharedClusters).toHaveLength(2);
    }
    // the rn/m successor re-posted one picture mirrored: the candidate's media are matched with every dihedral variant
    expect(byPredecessor(ev, 'sim_market_daily')[0]?.data.sharedClusters).toHaveLength(2);
    for (const e of ev) {
      const signals = e.data.signals as Record<string, number>;
      expect(Number(e.data.score)).toBeGreaterThanOrEqual(threshold);
      expect(signals.sharedMedia).toBeGreaterThan(0);
      expect(signals.sharedText).toBeGreaterThan(0);
      expect(signals.avatar).toBeGreaterThan(0.8);
      expect(signals.timing).toBe(1);
      expect(e.data.lineage).toEqual([e.data.predecessor, e.channelKey]);
      expect(typeof e.data.delayMs).toBe('number');
    }
    // decoys were probed and scored, and stayed below the threshold
    const cands = candidates();
    const decoyNew = await cands.findOne({ _id: 'cand:tg:1710000002:sim_kitchen_new' });
    expect(decoyNew?.score).toBeLessThan(threshold);
    const decoyMemes = await cands.find({ handle: 'sim_popular_memes' }).toArray();
    expect(decoyMemes.length).toBeGreaterThan(0);
    for (const d of decoyMemes) expect(d.score).toBeLessThan(threshold);
    // a channel forwarded by the same network feed, unrelated to every removed channel
    const decoyFwd = await cands.find({ handle: 'sim_garden_tips' }).toArray();
    expect(decoyFwd).toHaveLength(9); // a candidate of every removed channel in its search window
    for (const d of decoyFwd) {
      expect(d.origin).toEqual(['forward']);
      expect(d.score).toBeLessThan(threshold);
    }
    // the forward-only successor was a candidate of every removed channel too, and scored high only for its own
    const quiet = await cands.find({ handle: 'sim_quiet_harbor' }).toArray();
    expect(quiet).toHaveLength(9);
    expect(quiet.filter((c) => (c.score ?? 0) >= threshold).map((c) => c._id)).toEqual(['cand:tg:1710000012:sim_quiet_harbor']);
    // the rename is not a takedown and has no successor
    expect(await h.rt.store.events.countDocuments({ type: 'removed', channelKey: 'tg:1710000006' })).toBe(0);

    // removed channels are re-checked more slowly: within resurface.removedRecheckMinutes their page is not fetched,
    // while the successor search still ran
    const skipped = await h.rt.store.runs.findOne({ _id: 'run:t2-kitchen' });
    expect(skipped).toMatchObject({ status: 'ok', skippedRecheck: true, channelStatus: 'removed' });
    expect(h.sim.requests.some((r) => r.path === '/s/sim_kitchen' && r.at > (skipped?.startedAt.getTime() as number))).toBe(false);
    // autoWatch: the successors joined the watch list with their predecessors' tags, and a scheduler picks them up
    const autoSources = () => listAutoSources(h.rt.store);
    const auto = await autoSources();
    expect(auto.map((a) => a.source.handle).sort()).toEqual(Object.values(pairs).sort());
    expect(auto[0]?.source.tags).toEqual(['net-a', 'auto-successor']);
    h.writeSources([]);
    const role = await startSchedulerRole(h.rt, sourcesPathIn(h.configDir), () => undefined);
    try {
      await waitFor('auto-added sources scheduled', () => role.scheduler.sourceIds().length === 9, 10000);
    } finally {
      await role.stop();
    }

    // lineage A → A2 → A3: the auto-watched successor sim_news_alpha2 is checked while active, then removed in turn
    // and comes back as sim_news_alpha3, a numeric increment of A2 (and a look-alike of A as well)
    const a2 = sourceSchema.parse(auto.find((a) => a.source.handle === 'sim_news_alpha2')?.source);
    await runCrawl(deps, a2, { jobId: 't2-auto-news-alpha2', attempt: 1 });
    await advanceTo(3);
    // checks go on (the original sources, to keep the run short): no second event for any pair, and the chain's
    // third link is reported once, by A2
    await crawlAll('t3', original, [a2]);
    const ev3 = await resurfaced();
    expect(ev3).toHaveLength(10);
    const chain = ev3.filter((e) => e.data.successorHandle === 'sim_news_alpha3');
    expect(chain).toHaveLength(1);
    expect(chain[0]).toMatchObject({
      channelKey: 'tg:1710000111',
      data: {
        predecessor: 'tg:1710000101',
        predecessorHandle: 'sim_news_alpha2',
        successorHandle: 'sim_news_alpha3',
        lineage: ['tg:1710000001', 'tg:1710000101', 'tg:1710000111'],
      },
    });
    expect(chain[0]?.data.foundVia).toEqual(['variant']);
    const chainSignals = chain[0]?.data.signals as Record<string, number>;
    expect(chainSignals.handle).toBeGreaterThan(0.9);
    expect(chainSignals.sharedMedia).toBeGreaterThan(0);
    expect(chainSignals.avatar).toBeGreaterThan(0.8);
    expect(chainSignals.timing).toBe(1);
    expect(Number(chain[0]?.data.score)).toBeGreaterThanOrEqual(threshold);
    expect(await h.rt.store.events.countDocuments({ type: 'removed', channelKey: 'tg:1710000101' })).toBe(1);
    expect(byPredecessor(ev3, 'sim_news_alpha')).toHaveLength(1); // A's own successor stays A2
    // A's search hands A3 over to A2: A probed it when A2's state was not yet known (decision postponed, no score
    // kept); checked again now that A2 claimed it, A records it as A2's
    await runCrawl(deps, src('sim_news_alpha'), { jobId: 't4-news-alpha', attempt: 1 });
    expect(await candidates().findOne({ _id: 'cand:tg:1710000001:sim_news_alpha3' })).toMatchObject({ status: 'active', deferredTo: 'tg:1710000101' });
    expect(byPredecessor(await resurfaced(), 'sim_news_alpha')).toHaveLength(1);
    // a numeric-increment look-alike of A2 that is an unrelated, older channel: probed, scored, below the threshold
    const decoyAlpha4 = await candidates().findOne({ _id: 'cand:tg:1710000101:sim_news_alpha4' });
    expect(decoyAlpha4).toMatchObject({ status: 'active', origin: ['variant'] });
    expect(decoyAlpha4?.score).toBeLessThan(threshold);
    expect((await autoSources()).map((a) => a.source.handle)).toContain('sim_news_alpha3');

    const sender = new AlertSender(h.rt.store, h.rt.settings, smtpTransport(smtp.url, 5000));
    await sender.tick();
    await sender.tick();
    await sender.stop();
    // exactly one email per resurfacing (10), none for a decoy
    const resurf = smtp.mails.filter((m) => m.to.includes('analyst@example.org'));
    const expected = [...Object.entries(pairs), ['sim_news_alpha2', 'sim_news_alpha3']].map(([p, s]) => `@${p} is back as @${s}`);
    expect(resurf).toHaveLength(expected.length);
    for (const e of expected) expect(resurf.filter((m) => m.subject.includes(e))).toHaveLength(1);
    for (const decoy of ['sim_kitchen_new', 'sim_popular_memes', 'sim_news_alpha4', 'sim_garden_tips'])
      expect(resurf.filter((m) => m.subject.includes(`@${decoy}`))).toHaveLength(0);
    expect(resurf.map((m) => m.subject).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/RESURFACED: @sim_weather_desk is back as @sim_storm_center/)]),
    );
    const mail = resurf.find((m) => /sim_storm_center/.test(m.subject))?.raw ?? '';
    expect(mail).toMatch(/Removed at/);
    expect(mail).toMatch(/Successor first post/);
    expect(mail).toMatch(/signal: sharedMedia/);
    expect(mail).not.toMatch(/Content-Type: image\//); // evidence only, never the media
    const fwdMail = resurf.find((m) => /@sim_lantern_post is back as @sim_quiet_harbor/.test(m.subject))?.raw ?? '';
    expect(fwdMail).toMatch(/Found via: forward/);
    // the "Details" link opens the dashboard's view of this resurfacing (its event)
    const fwdAlert = await alertsCollection(h.rt.store).findOne({ _id: 'alert:resurfaced:tg:1710000012:tg:1710000110:analyst@example.org' });
    expect(fwdAlert?.text).toContain('Details: http://127.0.0.1:8080/dashboard/#resurfacing=tg%3A1710000110%3Aresurfaced%3Atg%3A1710000012');
    expect(smtp.mails.filter((m) => m.to.includes('desk@example.org'))).toHaveLength(10); // one per takedown, A2's included
  }, 600000);

  it('SMTP down, then up: the alert is kept, retried, and arrives once', async () => {
    const down = await startSmtpSink();
    const port = down.port;
    await down.close(); // nothing listens there now
    const url = `smtp://127.0.0.1:${port}?tls=off`;
    await raiseAlert(h.rt.store, h.rt.settings, {
      kind: 'resurfaced',
      key: 'test:smtp-outage',
      sourceId: 'x',
      tags: ['net-a'],
      at: new Date(),
      facts: { predecessorHandle: 'a', successorHandle: 'b', score: 1 },
    });
    const sender = new AlertSender(h.rt.store, h.rt.settings, smtpTransport(url, 2000));
    await sender.tick();
    const pending = await alertsCollection(h.rt.store).findOne({ _id: 'alert:test:smtp-outage:analyst@example.org' });
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending?.lastError).toMatch(/SMTP/);
    const up = await startSmtpSink(port);
    try {
      await waitFor(
        'delivery after SMTP is back',
        async () => {
          await sender.tick();
          return (await alertsCollection(h.rt.store).findOne({ _id: 'alert:test:smtp-outage:analyst@example.org' }))?.status === 'sent';
        },
        20000,
        200,
      );
      await sender.tick();
      expect(up.mails.filter((m) => /@a is back as @b/.test(m.subject))).toHaveLength(1);
    } finally {
      await sender.stop();
      await up.close();
    }
  }, 60000);
});
