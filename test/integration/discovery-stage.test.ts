import { Worker } from 'bullmq';
import { alertsCollection } from '../../src/store/repos/alerts';
import { hashToken } from '../../src/api/auth';
import { buildApi, type Api } from '../../src/api/server';
import { sourceSchema, type TelegramSource } from '../../src/config/schema';
import type { Fetcher, FetchRequest } from '../../src/core/fetcher';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { runDiscoveryJob } from '../../src/pipeline/discovery-stage';
import type { DiscoveryJobData, DiscoveryJobResult } from '../../src/queue/discovery-job';
import { afterDiscovery, requestDiscovery } from '../../src/queue/discovery-merge';
import { createDiscoveryQueue } from '../../src/queue/stage-queues';
import { findFollowedHandle } from '../../src/store/repos/followed-handles';
import { handleVariants } from '../../src/resurface/handle-variants';
import { clearProbeCache, findProbe } from '../../src/store/repos/probe-cache';
import { successorCandidates } from '../../src/store/repos/successor-candidates';
import { harnessDeps, startHarness, tgSource, type Harness } from '../support/pipeline-harness';
import { listenOnFreePort } from '../support/listen';
import { uniqueName } from '../support/services';
import { waitFor } from '../support/wait-for';

/**
 * The discovery stage on the simulator with real Redis, FerretDB and BullMQ: one probe per handle for all removed
 * channels (and one request for a missing handle), candidates in priority order under a probe budget per job that
 * the next job goes on from, ticks merged per channel, the alert raised inside the candidate loop, renames and
 * restorations under a new handle followed through the channel id, and a working evidence link.
 */
describe('discovery stage', () => {
  let h: Harness;
  let deps: PipelineDeps;
  let api: Api;
  let apiBase: string;
  const TOKEN = 'researcher-token-discovery-test';
  const ALERT_ID = 'alert:resurfaced:tg:1720000001:tg:1720000101:analyst@example.org';
  /** Every request of the pipeline, with whether the successor's alert was stored when it was made. */
  const seen: Array<{ url: string; alerted: boolean }> = [];
  // the hub first (its pointers), the renamed channel before the searches that would see its new handle anyway
  const watched = ['sim_net_hub', 'sim_owl_notes', 'sim_twin_alpha', 'sim_twin_beta', 'sim_mill_radio'];

  const observed = (inner: Fetcher): Fetcher => {
    const note = async (req: FetchRequest): Promise<void> => {
      seen.push({ url: req.url, alerted: !!(await alertsCollection(h.rt.store).findOne({ _id: ALERT_ID }, { projection: { _id: 1 } })) });
    };
    return {
      fetchText: async (req) => {
        await note(req);
        return inner.fetchText(req);
      },
      fetchBytes: async (req) => {
        await note(req);
        return inner.fetchBytes(req);
      },
    };
  };

  beforeAll(async () => {
    h = await startHarness('discovery-stage.yaml', {
      resurface: {
        reprobeMinutes: 0.0001,
        probeCacheSeconds: 3600,
        maxVariants: 40,
        probesPerJob: 500,
        threshold: 0.55,
        probeBudget: { requests: 1000, perSeconds: 1 },
      },
      alerts: {
        dashboardUrl: 'http://dashboard.example:8080',
        rules: [{ name: 'resurfacing', to: ['analyst@example.org'], kinds: ['resurfaced'], tags: ['net-b'] }],
      },
    });
    deps = harnessDeps(h, { fetcher: observed(h.rt.fetcher) });
    api = await buildApi({
      store: h.rt.store,
      settings: h.rt.settings,
      tokens: [{ name: 'rea', role: 'researcher', sha256: hashToken(TOKEN) }],
      sourcesPath: `${h.configDir}/sources.yaml`,
      settingsPath: `${h.configDir}/settings.yaml`,
    });
    apiBase = await listenOnFreePort(api);
  });
  afterAll(async () => {
    await api?.close();
    await h?.close();
  });

  const src = (handle: string): TelegramSource =>
    sourceSchema.parse(
      tgSource(h.sim, handle.replace(/^sim_/, '').replace(/_/g, '-'), handle, { tags: ['net-b'], rateLimit: { requests: 1000, perSeconds: 1 } }),
    ) as TelegramSource;
  const crawl = async (tag: string, handles = watched) => {
    for (const handle of handles) await runCrawl(deps, src(handle), { jobId: `${tag}-${handle}`, attempt: 1 });
  };
  /** Requests to a path since request number `from` of the simulator's log. */
  const hits = (path: string, from = 0) => h.sim.requests.slice(from).filter((r) => r.path === path).length;
  /** The handles whose `t.me/<handle>` page was fetched, in order, since request number `from`. */
  const statusProbes = (from: number) =>
    h.sim.requests
      .slice(from)
      .map((r) => /^\/([A-Za-z0-9_]+)$/.exec(r.path)?.[1])
      .filter((x): x is string => !!x);
  const candidates = () => successorCandidates(h.rt.store);

  it('probes a handle once for every removed channel that wants it, a missing one with one request, and follows a rename', async () => {
    await crawl('t0');
    h.sim.advanceTo(1); // two takedowns of one network, a rename, the hub points at three handles
    const from = h.sim.requests.length;
    await crawl('t1');
    expect(await h.rt.store.events.countDocuments({ type: 'removed' })).toBe(3);
    // sim_shared_spot is a candidate of both removed channels (and of the renamed one's search): one probe in all
    expect(await candidates().countDocuments({ _id: { $in: ['cand:tg:1720000001:sim_shared_spot', 'cand:tg:1720000002:sim_shared_spot'] } })).toBe(2);
    expect(hits('/sim_shared_spot', from)).toBe(1);
    expect(hits('/s/sim_shared_spot', from)).toBe(1);
    // a missing handle: its t.me page says so, no t.me/s redirect first
    expect(hits('/sim_nobody_here', from)).toBe(1);
    expect(hits('/s/sim_nobody_here', from)).toBe(0);
    // every variant of both removed channels probed once, whatever the number of searches
    for (const v of handleVariants('sim_twin_alpha', 40)) expect(hits(`/${v}`, from)).toBeLessThanOrEqual(1);
    const probe = await findProbe(h.rt.store, 'sim_shared_spot');
    expect(probe).toMatchObject({ status: 'active', platformId: '1720000004', title: 'Shared Spot' });
    expect(probe?.posts.length).toBeGreaterThan(0);

    // the renamed channel: its old handle is free now (not found); the hub's mention of the new handle was probed
    // and showed the channel's id: a rename, not a vanished channel
    const owl = await h.rt.store.channels.findOne({ _id: 'tg:1720000005' });
    expect(owl).toMatchObject({ status: 'active', handle: 'sim_night_calls' });
    expect(owl?.handles).toEqual(expect.arrayContaining(['sim_owl_notes', 'sim_night_calls']));
    const renamed = await h.rt.store.events.find({ channelKey: 'tg:1720000005', type: 'renamed' }).toArray();
    expect(renamed).toHaveLength(1);
    expect(renamed[0]?.data).toMatchObject({ from: 'sim_owl_notes', to: 'sim_night_calls', via: 'probe', previousStatus: 'not_found' });
    expect(await findFollowedHandle(h.rt.store, 'owl-notes')).toMatchObject({
      configHandle: 'sim_owl_notes',
      handle: 'sim_night_calls',
      channelKey: 'tg:1720000005',
    });
    // the source follows: its next check reads the new handle's page, with no second rename
    const before = h.sim.requests.length;
    await crawl('t1b', ['sim_owl_notes']);
    expect(hits('/s/sim_night_calls', before)).toBe(1);
    expect(hits('/s/sim_owl_notes', before)).toBe(0);
    expect(await h.rt.store.events.countDocuments({ channelKey: 'tg:1720000005', type: 'renamed' })).toBe(1);
    expect(await h.rt.store.channels.findOne({ _id: 'tg:1720000005' })).toMatchObject({ status: 'active', handle: 'sim_night_calls' });
  }, 180000);

  it('probes candidates in priority order, within a budget per job, and the next job goes on with those still due', async () => {
    const beta = await h.rt.store.channels.findOne({ _id: 'tg:1720000002' });
    expect(beta?.status).toBe('removed');
    // a new interval for this channel: nothing cached, nothing probed
    await clearProbeCache(h.rt.store);
    await candidates().deleteMany({ _id: { $regex: '^cand:tg:1720000002:' } });
    const settings = { ...h.rt.settings, resurface: { ...h.rt.settings.resurface, probesPerJob: 2 } };
    const stage = { store: h.rt.store, fetcher: h.rt.fetcher, limiter: h.rt.limiter, settings };
    const job: DiscoveryJobData = { source: src('sim_twin_beta'), channelKey: 'tg:1720000002', requestedAt: new Date().toISOString() };
    const pointed = ['sim_shared_spot', 'sim_nobody_here', 'sim_night_calls'];
    const order: string[] = [];
    let steps = 0;
    for (;;) {
      const from = h.sim.requests.length;
      const r = await runDiscoveryJob(stage, job);
      const probed = statusProbes(from);
      steps++;
      expect(probed.length).toBeLessThanOrEqual(2); // the budget per job
      order.push(...probed);
      if (!r.more) break;
      expect(probed).toHaveLength(2);
      expect(steps).toBeLessThan(40);
    }
    // the handles the network points at first, then the variants in the order handleVariants gives, each once
    expect(order.slice(0, 3).sort()).toEqual([...pointed].sort());
    const variants = handleVariants('sim_twin_beta', h.rt.settings.resurface.maxVariants, {
      ...(beta?.removedAt ? { removedAt: beta.removedAt } : {}),
      ...(beta?.title ? { title: beta.title } : {}),
    }).filter((v) => !pointed.includes(v));
    expect(order.slice(3)).toEqual(variants);
    expect(steps).toBe(Math.ceil(order.length / 2));
  }, 180000);

  it('merges the ticks of one channel into one job, and a job that is running re-queues once', async () => {
    const queue = createDiscoveryQueue(h.rt.redis, { ...h.rt.settings.queue, name: uniqueName('merge') });
    const conn = h.rt.workerConnection();
    const data = (): DiscoveryJobData => ({ source: src('sim_twin_beta'), channelKey: 'tg:1720000002', requestedAt: new Date().toISOString() });
    let worker: Worker<DiscoveryJobData, DiscoveryJobResult> | undefined;
    try {
      for (let i = 0; i < 5; i++) expect(await requestDiscovery(queue, h.rt.redis, data())).toBe('queued');
      expect((await queue.getJobCounts('waiting')).waiting).toBe(1);
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      let runs = 0;
      const requeued: boolean[] = [];
      worker = new Worker<DiscoveryJobData, DiscoveryJobResult>(
        queue.name,
        async (job) => {
          runs++;
          if (runs === 1) await gate;
          return { channelKey: job.data.channelKey, resurfaced: [] };
        },
        { connection: conn, prefix: h.rt.settings.queue.prefix },
      );
      worker.on('completed', (job) => void afterDiscovery(queue, h.rt.redis, job.data, false).then((q) => requeued.push(q)));
      await waitFor('the first job running', () => runs === 1);
      // three ticks while it runs: one mark, not three jobs
      for (let i = 0; i < 3; i++) expect(await requestDiscovery(queue, h.rt.redis, data())).toBe('marked');
      release();
      await waitFor('two completions', () => requeued.length === 2);
      expect(requeued).toEqual([true, false]);
      expect(runs).toBe(2);
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
      expect((counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0)).toBe(0);
      // candidates left over: the next step is queued at once
      expect(await afterDiscovery(queue, h.rt.redis, data(), true)).toBe(true);
      await waitFor('the follow-up step', () => runs === 3);
      // none left now: the next step waits until the next candidate falls due; a tick meanwhile runs it at once
      await waitFor('the follow-up done', async () => (await queue.getJobCounts('active', 'waiting')).active === 0);
      expect(await afterDiscovery(queue, h.rt.redis, data(), false, 600_000)).toBe(true);
      expect((await queue.getJobCounts('delayed')).delayed).toBe(1);
      expect(await requestDiscovery(queue, h.rt.redis, data())).toBe('queued');
      await waitFor('the promoted step', () => runs === 4);
      expect((await queue.getJobCounts('delayed')).delayed).toBe(0);
      // nothing left in the search window: no next step
      expect(await afterDiscovery(queue, h.rt.redis, data(), false, undefined)).toBe(false);
    } finally {
      await worker?.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  }, 60000);

  it('raises the alert the moment the successor crosses the threshold, and records a restoration under a new handle', async () => {
    h.sim.advanceTo(2); // the successor, mentioned by the hub; the removed mill radio is back under a new handle
    await clearProbeCache(h.rt.store); // a new interval
    seen.length = 0;
    await crawl('t2', ['sim_net_hub', 'sim_twin_alpha', 'sim_mill_radio']);
    const ev = await h.rt.store.events.findOne({ type: 'resurfaced', 'data.predecessor': 'tg:1720000001' });
    expect(ev).toMatchObject({ channelKey: 'tg:1720000101', handle: 'sim_bright_valley' });
    expect(ev?.data.foundVia).toEqual(['mention']);
    // the alert was stored while the search still went on: later candidates (look-alike variants) were probed after it
    const firstAlerted = seen.findIndex((s) => s.alerted);
    expect(firstAlerted).toBeGreaterThan(0);
    const variants = new Set(handleVariants('sim_twin_alpha', 40));
    const probedAfter = seen
      .slice(firstAlerted)
      .map((s) => /\/([A-Za-z0-9_]+)$/.exec(new URL(s.url).pathname)?.[1])
      .filter((x): x is string => !!x && variants.has(x));
    expect(probedAfter.length).toBeGreaterThan(0);
    expect(seen.slice(0, firstAlerted).some((s) => s.url.endsWith('/s/sim_bright_valley'))).toBe(true);

    // restored under its old id with a new handle: a restoration and a rename, no successor
    const mill = await h.rt.store.channels.findOne({ _id: 'tg:1720000006' });
    expect(mill).toMatchObject({ status: 'active', handle: 'sim_mill_radio_new' });
    expect(mill?.removedAt).toBeUndefined();
    const restored = await h.rt.store.events.find({ channelKey: 'tg:1720000006', type: 'restored' }).toArray();
    expect(restored).toHaveLength(1);
    expect(restored[0]?.data).toMatchObject({ from: 'removed', fromHandle: 'sim_mill_radio', toHandle: 'sim_mill_radio_new', via: 'probe' });
    expect(await h.rt.store.events.countDocuments({ channelKey: 'tg:1720000006', type: 'renamed' })).toBe(1);
    expect(await h.rt.store.events.countDocuments({ type: 'resurfaced', 'data.predecessor': 'tg:1720000006' })).toBe(0);
    expect(await findFollowedHandle(h.rt.store, 'mill-radio')).toMatchObject({ handle: 'sim_mill_radio_new' });
  }, 180000);

  it('mails a details link that opens the dashboard view of the resurfacing, with the token', async () => {
    const alert = await alertsCollection(h.rt.store).findOne({ _id: ALERT_ID });
    const link = /Details: (\S+)/.exec(alert?.text ?? '')?.[1] ?? '';
    expect(link.startsWith('http://dashboard.example:8080/dashboard/#resurfacing=')).toBe(true);
    expect(alert?.html).toContain(link.replace(/&/g, '&amp;'));
    const url = new URL(link);
    const id = decodeURIComponent(url.hash.replace(/^#resurfacing=/, ''));
    expect(id).toBe('tg:1720000101:resurfaced:tg:1720000001');
    // the page itself
    const page = await fetch(`${apiBase}${url.pathname}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="resurfacing"');
    // the view's data: token-protected
    const route = `${apiBase}/api/v1/resurfacings/${encodeURIComponent(id)}`;
    expect((await fetch(route)).status).toBe(401);
    const r = await fetch(route, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { resurfacing: Record<string, unknown> };
    expect(body.resurfacing).toMatchObject({
      id,
      predecessor: { key: 'tg:1720000001', handle: 'sim_twin_alpha' },
      successor: { key: 'tg:1720000101', handle: 'sim_bright_valley' },
      foundVia: ['mention'],
    });
    const signals = body.resurfacing.signals as Record<string, number>;
    for (const k of ['handle', 'title', 'avatar', 'description', 'sharedMedia', 'sharedText', 'network', 'timing']) expect(typeof signals[k]).toBe('number');
    const shared = body.resurfacing.sharedMedia as Array<{ clusterId: string; items: Array<{ sha256: string; pdq?: string }> }>;
    expect(shared.length).toBeGreaterThan(0);
    for (const c of shared) {
      expect(c.items.length).toBeGreaterThan(0);
      for (const it of c.items) expect(it.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(JSON.stringify(body)).not.toMatch(/"(bytes|data:image)/); // hashes and ids, never the media
    expect(
      (await fetch(`${apiBase}/api/v1/resurfacings/${encodeURIComponent('tg:1:resurfaced:tg:2')}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(404);
  }, 60000);
});
