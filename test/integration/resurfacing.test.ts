import { defaultCrawlers } from '../../src/app/crawler-registry';
import { sourcesPathIn, startSchedulerRole } from '../../src/app/roles';
import { sourceSchema } from '../../src/config/schema';
import { AlertSender, smtpTransport } from '../../src/alerts/sender';
import { alertsCollection, raiseAlert } from '../../src/alerts/outbox';
import { MediaMatcher } from '../../src/media/media-matcher';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';
import { startSmtpSink } from '../support/smtp-sink';
import { waitFor } from '../support/wait-for';

/**
 * Takedowns and successors of every naming style, plus decoys and a rename, on the simulator with real Redis,
 * FerretDB and a real SMTP server: every successor is found with its evidence, no decoy fires, one email each.
 */
describe('resurfacing detection and alert emails', () => {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let deps: PipelineDeps;
  const watched = ['sim_network_feed', 'sim_news_alpha', 'sim_kitchen', 'sim_market_daily', 'sim_sports_hub', 'sim_weather_desk', 'sim_beta_club'];

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startHarness('resurface-test.yaml', {
      resurface: { reprobeMinutes: 0.0001, maxVariants: 40, autoWatch: true },
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
    deps = { store: h.rt.store, crawlers: defaultCrawlers, fetcher: h.rt.fetcher, limiter: h.rt.limiter, settings: h.rt.settings, matcher: new MediaMatcher(h.rt.store, { minQuality: 50 }) };
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  const src = (handle: string) => sourceSchema.parse(tgSource(h.sim, handle.replace(/^sim_/, '').replace(/_/g, '-'), handle, { tags: ['net-a'], rateLimit: { requests: 1000, perSeconds: 1 } }));
  const crawlAll = async (tag: string) => {
    for (const handle of watched) await runCrawl(deps, src(handle), { jobId: `${tag}-${handle}`, attempt: 1 });
  };

  it('finds each successor with its evidence, ignores decoys and the rename, and mails each resurfacing once', async () => {
    await crawlAll('t0');
    h.sim.advanceTo(1); // takedowns + a rename
    await crawlAll('t1');
    expect(await h.rt.store.events.countDocuments({ type: 'removed' })).toBe(5);
    expect(await h.rt.store.events.countDocuments({ type: 'resurfaced' })).toBe(0);
    h.sim.advanceTo(2); // successors, decoys, the link from the network feed
    await crawlAll('t2');

    const ev = await h.rt.store.events.find({ type: 'resurfaced' }).toArray();
    const pairs = Object.fromEntries(ev.map((e) => [String(e.data.predecessorHandle), String(e.data.successorHandle)]));
    expect(pairs).toEqual({
      sim_news_alpha: 'sim_news_alpha2', // numeric suffix
      sim_kitchen: 'sim_kitchen_backup', // affix
      sim_market_daily: 'sim_rnarket_daily', // homoglyph rn/m
      sim_sports_hub: 'simsportshub', // separators dropped
      sim_weather_desk: 'sim_storm_center', // another name, found through a link and a mention
    });
    const storm = ev.find((e) => e.data.successorHandle === 'sim_storm_center');
    expect(storm?.data.foundVia).toEqual(expect.arrayContaining(['link', 'mention']));
    for (const e of ev) {
      const signals = e.data.signals as Record<string, number>;
      expect(Number(e.data.score)).toBeGreaterThanOrEqual(0.55);
      expect(signals.sharedMedia).toBeGreaterThan(0);
      expect(signals.avatar).toBeGreaterThan(0.8);
      expect(signals.timing).toBe(1);
      expect(e.data.lineage).toEqual([e.data.predecessor, e.channelKey]);
      expect(typeof e.data.delayMs).toBe('number');
    }
    // decoys were probed and scored, and stayed below the threshold
    const cands = h.rt.store.db.collection<{ _id: string; handle: string; score?: number }>('successor_candidates');
    const decoyNew = await cands.findOne({ _id: 'cand:tg:1710000002:sim_kitchen_new' });
    expect(decoyNew?.score).toBeLessThan(0.55);
    const decoyMemes = await cands.find({ handle: 'sim_popular_memes' }).toArray();
    expect(decoyMemes.length).toBeGreaterThan(0);
    for (const d of decoyMemes) expect(d.score).toBeLessThan(0.55);
    // the rename is not a takedown and has no successor
    expect(await h.rt.store.events.countDocuments({ type: 'removed', channelKey: 'tg:1710000006' })).toBe(0);

    // removed channels are re-checked more slowly: within resurface.removedRecheckMinutes their page is not fetched,
    // while the successor search still ran
    const skipped = await h.rt.store.runs.findOne({ _id: 'run:t2-sim_kitchen' });
    expect(skipped).toMatchObject({ status: 'ok', skippedRecheck: true, channelStatus: 'removed' });
    expect(h.sim.requests.some((r) => r.path === '/s/sim_kitchen' && r.at > (skipped?.startedAt.getTime() as number))).toBe(false);
    // autoWatch: the successors joined the watch list with their predecessors' tags, and a scheduler picks them up
    const auto = await h.rt.store.db.collection<{ _id: string; source: { handle: string; tags: string[] } }>('auto_sources').find({}).toArray();
    expect(auto.map((a) => a.source.handle).sort()).toEqual(['sim_kitchen_backup', 'sim_news_alpha2', 'sim_rnarket_daily', 'sim_storm_center', 'simsportshub']);
    expect(auto[0]?.source.tags).toEqual(['net-a', 'auto-successor']);
    h.writeSources([]);
    const role = await startSchedulerRole(h.rt, sourcesPathIn(h.configDir), () => undefined);
    try {
      await waitFor('auto-added sources scheduled', () => role.scheduler.sourceIds().length === 5, 10000);
    } finally {
      await role.stop();
    }
    // checks go on: no second event for the same pair
    await crawlAll('t3');
    expect(await h.rt.store.events.countDocuments({ type: 'resurfaced' })).toBe(5);

    const sender = new AlertSender(h.rt.store, h.rt.settings, smtpTransport(smtp.url, 5000));
    await sender.tick();
    await sender.tick();
    await sender.stop();
    const resurf = smtp.mails.filter((m) => m.to.includes('analyst@example.org'));
    expect(resurf).toHaveLength(5);
    expect(resurf.map((m) => m.subject).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/RESURFACED: @sim_weather_desk is back as @sim_storm_center/)]));
    const mail = resurf.find((m) => /sim_storm_center/.test(m.subject))?.raw ?? '';
    expect(mail).toMatch(/Removed at/);
    expect(mail).toMatch(/Successor first post/);
    expect(mail).toMatch(/signal: sharedMedia/);
    expect(mail).not.toMatch(/Content-Type: image\//); // evidence only, never the media
    expect(smtp.mails.filter((m) => m.to.includes('desk@example.org'))).toHaveLength(5); // one per takedown
  }, 180000);

  it('SMTP down, then up: the alert is kept, retried, and arrives once', async () => {
    const down = await startSmtpSink();
    const port = down.port;
    await down.close(); // nothing listens there now
    const url = `smtp://127.0.0.1:${port}?tls=off`;
    await raiseAlert(h.rt.store, h.rt.settings, { kind: 'resurfaced', key: 'test:smtp-outage', sourceId: 'x', tags: ['net-a'], at: new Date(), facts: { predecessorHandle: 'a', successorHandle: 'b', score: 1 } });
    const sender = new AlertSender(h.rt.store, h.rt.settings, smtpTransport(url, 2000));
    await sender.tick();
    const pending = await alertsCollection(h.rt.store).findOne({ _id: 'alert:test:smtp-outage:analyst@example.org' });
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending?.lastError).toMatch(/SMTP/);
    const up = await startSmtpSink(port);
    try {
      await waitFor('delivery after SMTP is back', async () => {
        await sender.tick();
        return (await alertsCollection(h.rt.store).findOne({ _id: 'alert:test:smtp-outage:analyst@example.org' }))?.status === 'sent';
      }, 20000, 200);
      await sender.tick();
      expect(up.mails.filter((m) => /@a is back as @b/.test(m.subject))).toHaveLength(1);
    } finally {
      await sender.stop();
      await up.close();
    }
  }, 60000);
});
