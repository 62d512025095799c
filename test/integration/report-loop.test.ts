import { hashToken } from '../../src/api/auth';
import { buildApi, type Api } from '../../src/api/server';
import { AlertSender, smtpTransport } from '../../src/alerts/sender';
import { startRecheckWorker } from '../../src/app/recheck-worker';
import { sourceSchema } from '../../src/config/schema';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { recordReportDeliveries } from '../../src/reports/lifecycle';
import { startAbuseDesk, type AbuseDesk } from '../../src/simulator/abuse-desk';
import { alertsCollection } from '../../src/store/repos/alerts';
import { clearProbeCache } from '../../src/store/repos/probe-cache';
import { getCase, reportCases } from '../../src/store/repos/report-cases';
import { harnessDeps, startHarness, tgSource, type Harness } from '../support/pipeline-harness';
import { listenOnFreePort } from '../support/listen';
import { waitFor } from '../support/wait-for';

/**
 * The reporting loop end to end, on real Redis, FerretDB, BullMQ and SMTP against the simulator: two channels are
 * removed and come back under look-alike handles; the resurfacings open draft cases (a reporting rule); an analyst
 * approves and sends them through the API; exactly one report mail per case reaches the platform's abuse desk; the
 * desk takes one successor down and ignores the other; the re-check queue sees the first offline, the second is
 * still online at its due time (`still_online`, `report_overdue`), and the scorecard gives the time to removal.
 */
describe('report loop: detection → case → approval → one mail → re-checks → offline / overdue → scorecard', () => {
  let h: Harness;
  let desk: AbuseDesk;
  let deps: PipelineDeps;
  let api: Api;
  let base: string;
  let sender: AlertSender;
  let worker: ReturnType<typeof startRecheckWorker>;
  const ANALYST = 'analyst-token-report-loop';
  const RESEARCHER = 'researcher-token-report-loop';
  const watched = ['sim_loop_alpha', 'sim_loop_beta'];

  beforeAll(async () => {
    h = await startHarness('report-loop-test.yaml', {
      resurface: { reprobeMinutes: 0.0001, probeCacheSeconds: 3600, probeBudget: { requests: 1000, perSeconds: 1 }, threshold: 0.55 },
      alerts: {
        retryBaseMs: 100,
        retryMaxMs: 1000,
        sendIntervalMs: 200,
        rules: [{ name: 'desk', to: ['analyst@example.org'], kinds: ['resurfaced', 'report_overdue'] }],
      },
      reporting: {
        notifier: { name: 'Test desk', email: 'desk@example.org' },
        platforms: { telegram: { to: ['abuse@telegram.sim'] } },
        rules: [{ name: 'successors', kinds: ['resurfaced'] }],
        // seconds instead of hours: the first re-check 0.6 s after the report, then every 0.7 s; due after 6 s
        recheckMinutes: [0.01],
        recheckEveryHours: 0.0002,
        overdueHours: 6 / 3600,
        recheckBudget: { requests: 100, perSeconds: 1 },
      },
    });
    // the reports name t.me URLs; the re-checks read them at the simulator, as a deployment would at a mirror
    h.rt.settings.reporting.recheckBaseUrls.telegram = h.sim.url;
    desk = await startAbuseDesk(h.sim.world, h.sim.url, { addresses: ['abuse@telegram.sim'], takedownAfterMs: 300, ignore: ['sim_loop_beta2'] });
    deps = harnessDeps(h);
    api = await buildApi({
      store: h.rt.store,
      settings: h.rt.settings,
      tokens: [
        { name: 'ana', role: 'analyst', sha256: hashToken(ANALYST) },
        { name: 'rea', role: 'researcher', sha256: hashToken(RESEARCHER) },
      ],
      sourcesPath: `${h.configDir}/sources.yaml`,
      settingsPath: `${h.configDir}/settings.yaml`,
      onReported: h.rt.onReported,
    });
    base = await listenOnFreePort(api);
    const settings = h.rt.settings;
    sender = new AlertSender(h.rt.store, settings, smtpTransport(desk.smtpUrl, 5000), undefined, {
      afterRound: async () => void (await recordReportDeliveries({ store: h.rt.store, settings, onReported: h.rt.onReported })),
    });
    sender.start();
    worker = startRecheckWorker(h.rt, () => undefined);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await sender?.stop();
    await api?.close();
    await desk?.close();
    await h.rt.recheckQueue.obliterate({ force: true }).catch(() => undefined);
    await h?.close();
  });

  const src = (handle: string) =>
    sourceSchema.parse(tgSource(h.sim, handle.replace(/_/g, '-'), handle, { tags: ['loop'], rateLimit: { requests: 1000, perSeconds: 1 } }));
  const crawlAll = async (tag: string) => {
    for (const s of watched.map(src)) await runCrawl(deps, s, { jobId: `${tag}-${s.id}`, attempt: 1 });
  };
  const call = async (method: string, path: string, token = ANALYST, body?: unknown) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it('closes the loop', async () => {
    await crawlAll('t0');
    h.sim.advanceTo(1);
    await clearProbeCache(h.rt.store);
    await crawlAll('t1');
    h.sim.advanceTo(2);
    await clearProbeCache(h.rt.store);
    await crawlAll('t2');

    // both successors found; a reporting rule opened one draft case each, with the evidence
    const drafts = await waitFor('two draft cases', async () => {
      const cs = await reportCases(h.rt.store).find({}).toArray();
      return cs.length === 2 ? cs : undefined;
    });
    const alpha = drafts.find((c) => c.targets.some((t) => t.url === 'https://t.me/sim_loop_alpha2'));
    const beta = drafts.find((c) => c.targets.some((t) => t.url === 'https://t.me/sim_loop_beta2'));
    expect(alpha?.state).toBe('draft');
    expect(beta?.state).toBe('draft');
    expect(alpha?.evidence.predecessor?.handle).toBe('sim_loop_alpha');
    expect(alpha?.evidence.score).toBeGreaterThanOrEqual(0.55);

    // a researcher may read but not approve; the analyst approves and sends both
    expect((await call('POST', `/api/v1/reports/cases/${encodeURIComponent(alpha?._id ?? '')}/approve`, RESEARCHER, {})).status).toBe(403);
    for (const c of [alpha, beta]) {
      const id = encodeURIComponent(c?._id ?? '');
      expect((await call('POST', `/api/v1/reports/cases/${id}/approve`, ANALYST, {})).status).toBe(200);
      expect((await call('POST', `/api/v1/reports/cases/${id}/send`, ANALYST, {})).status).toBe(200);
      expect((await call('POST', `/api/v1/reports/cases/${id}/send`, ANALYST, {})).status).toBe(200); // a repeated send queues no second mail
    }

    // exactly one mail per case reaches the platform's desk, naming the successor's URL and the evidence
    await waitFor('two report mails', () => (desk.inbox.length >= 2 ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    expect(desk.inbox).toHaveLength(2);
    const mailOf = (handle: string) => desk.inbox.filter((m) => m.urls.some((u) => u.target === handle));
    expect(mailOf('sim_loop_alpha2')).toHaveLength(1);
    expect(mailOf('sim_loop_beta2')).toHaveLength(1);
    expect(mailOf('sim_loop_alpha2')[0]?.text).toContain('sim_loop_alpha');

    // the desk removes alpha2; its re-check records it offline with the banner's words
    const gone = await waitFor('alpha case offline', async () => {
      const c = await getCase(h.rt.store, alpha?._id ?? '');
      return c?.state === 'offline' ? c : undefined;
    });
    expect(gone.targets[0]?.offline).toMatchObject({ how: 'removed_banner', words: expect.stringMatching(/violat/i) });
    expect(gone.offlineAt && gone.reportedAt && gone.offlineAt.getTime() > gone.reportedAt.getTime()).toBe(true);

    // beta2 is ignored: at its due time the case is still_online and report_overdue is raised once
    const still = await waitFor(
      'beta case still online',
      async () => {
        const c = await getCase(h.rt.store, beta?._id ?? '');
        return c?.state === 'still_online' ? c : undefined;
      },
      20_000,
    );
    expect(still.targets[0]?.offline).toBeUndefined();
    await waitFor('report_overdue alert', async () => (await alertsCollection(h.rt.store).countDocuments({ kind: 'report_overdue' })) === 1 || undefined);

    // the scorecard: two reported, one offline, with the time from report to offline
    const today = new Date().toISOString().slice(0, 10);
    const sc = await call('GET', `/api/v1/reports/scorecard?from=${today}&to=${today}`, RESEARCHER);
    expect(sc.status).toBe(200);
    const tg = (sc.body.platforms as Array<Record<string, unknown>>).find((p) => p.platform === 'telegram');
    expect(tg).toMatchObject({ opened: 2, reported: 2, offline: 1, offlinePct: 50, stillOnline: 1 });
    expect((tg?.reportToOffline as { count: number }).count).toBe(1);
    expect((tg?.stillOnlineTargets as Array<{ url: string }>).map((t) => t.url)).toEqual([expect.stringMatching(/\/sim_loop_beta2$/)]);
  }, 120_000);
});
