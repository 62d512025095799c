import { openRuntime, type Runtime } from '../../src/app/runtime';
import { targetId, type ReportCase, type ReportTarget } from '../../src/core/report-case';
import { alertsCollection } from '../../src/store/repos/alerts';
import { storeDb } from '../../src/store/db-handle';
import { webhookDeliveriesCollection } from '../../src/store/repos/webhook-deliveries';
import { startAbuseDesk } from '../../src/simulator/abuse-desk';
import { parseScenario } from '../../src/simulator/scenario';
import { startSimulator, type SimulatorHandle } from '../../src/simulator/server';
import { getCase, insertCase, reportTargets } from '../../src/store/repos/report-cases';
import { watchedChannelOffline } from '../../src/reports/offline';
import { runOverdueCheck, runTargetRecheck, type RecheckDeps } from '../../src/reports/recheck';
import { createRecheckQueue, recheckJobId, reportingTimes, scheduleAfterReport, type RecheckQueue } from '../../src/reports/recheck-job';
import { testSettings } from '../support/pipeline-harness';
import { createTransport } from 'nodemailer';

// Re-checks of reported targets against the simulator's real-format pages (t.me status and preview pages, YouTube
// watch pages, Internet Archive metadata), on real Redis and FerretDB.

const scenario = parseScenario(
  {
    name: 'report-recheck',
    channels: [
      { handle: 'ash_news_official', channelId: '7000001', title: 'Ash News', posts: [{ text: 'one' }, { text: 'two' }, { text: 'three' }] },
      { handle: 'ash_news_backup', channelId: '7000002', title: 'Ash News', posts: [{ text: 'hello' }, { text: 'second' }, { text: 'third' }] },
      { handle: 'ash_news_gone', channelId: '7000003', title: 'x' },
      { handle: 'ash_news_keep', channelId: '7000004', title: 'y' },
    ],
    youtube: {
      channels: [
        {
          channelId: 'UCaaaaaaaaaaaaaaaaaaaaaa',
          title: 'Synthetic',
          videos: [{ id: 'vid00000001', title: 'v1', thumb: 3, views: 120 }],
        },
      ],
    },
    archive: { items: [{ identifier: 'synthetic-item-1', title: 'item', image: 4 }] },
  },
  'report-recheck',
);

let sim: SimulatorHandle;
let rt: Runtime;
let queue: RecheckQueue;
let deps: RecheckDeps;
let clock = new Date('2026-12-01T12:00:00Z');

beforeAll(async () => {
  sim = await startSimulator({ scenario });
  const settings = testSettings();
  rt = await openRuntime({ configDir: '/nonexistent', settings, log: () => undefined, ensureRollups: false });
  queue = createRecheckQueue(rt.redis, settings.queue);
  deps = { store: rt.store, settings, queue, fetcher: rt.fetcher, parser: rt.parser, times: reportingTimes(settings.reporting), now: () => clock };
}, 60_000);

afterAll(async () => {
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  await storeDb(rt.store)
    .dropDatabase()
    .catch(() => undefined);
  await rt.close();
  await sim.close();
});

function reportedCase(id: string, targets: ReportTarget[], reportedAt: Date): ReportCase {
  return {
    _id: id,
    platform: 'telegram',
    kind: 'channel',
    state: 'sent',
    openedBy: 'token:ana',
    sourceIds: ['ash'],
    tags: ['t'],
    targets,
    evidence: {},
    history: [{ state: 'sent', at: reportedAt, by: 'token:ana' }],
    createdAt: reportedAt,
    updatedAt: reportedAt,
    day: reportedAt.toISOString().slice(0, 10),
    reportedAt,
  };
}

async function report(c: ReportCase): Promise<void> {
  await insertCase(rt.store, c);
  for (const t of c.targets)
    await reportTargets(rt.store).insertOne({
      _id: t.id,
      caseId: c._id,
      platform: c.platform,
      url: t.url,
      kind: t.kind,
      watched: t.watched,
      reportedAt: c.reportedAt as Date,
      checks: 0,
      ...(t.channelKey ? { channelKey: t.channelKey } : {}),
    });
}

describe('re-checks of reported targets', () => {
  it('sees a Telegram channel online, then removed with the banner, and closes the case with the time and the words', async () => {
    const tid = targetId('telegram', 'channel', 'ash_news_official');
    const at = new Date(clock);
    await report(reportedCase(tid, [{ id: tid, url: `${sim.url}/ash_news_official`, kind: 'channel', watched: false, viewsFirstSeen: 900 }], at));

    clock = new Date(at.getTime() + 10 * 60_000);
    const first = await runTargetRecheck(deps, tid, 0);
    expect(first).toMatchObject({ outcome: 'online', next: 30 * 60_000 });
    const waiting = await queue.getJob(recheckJobId({ kind: 'recheck', targetId: tid, attempt: 1 }));
    expect(waiting?.opts.delay).toBe(30 * 60_000);
    expect((await getCase(rt.store, tid))?.targets[0]?.viewsNow).toBe(1000); // subscribers, from the status page

    sim.apply({ step: 1, action: 'remove', channel: 'ash_news_official' });
    clock = new Date(at.getTime() + 40 * 60_000);
    expect(await runTargetRecheck(deps, tid, 1)).toMatchObject({ outcome: 'offline' });
    const c = await getCase(rt.store, tid);
    expect(c?.state).toBe('offline');
    expect(c?.offlineAt?.getTime()).toBe(clock.getTime());
    expect(c?.targets[0]?.offline).toMatchObject({ how: 'removed_banner', words: expect.stringMatching(/violat/i) });
    expect(c?.history.at(-1)).toMatchObject({ state: 'offline', by: 'system' });
    // a late duplicate of that job does nothing
    expect(await runTargetRecheck(deps, tid, 1)).toMatchObject({ outcome: 'done' });
  });

  it('sees a post gone from a live channel, a YouTube video removed for its terms and an Archive item taken dark', async () => {
    const at = new Date(clock);
    const post = targetId('telegram', 'post', 'ash_news_backup/2');
    const vid = targetId('youtube', 'post', 'vid00000001');
    const item = targetId('archive', 'post', 'synthetic-item-1');
    await report(reportedCase(post, [{ id: post, url: `${sim.url}/ash_news_backup/2`, kind: 'post', watched: false }], at));
    await report({ ...reportedCase(vid, [{ id: vid, url: `${sim.url}/watch?v=vid00000001`, kind: 'post', watched: false }], at), platform: 'youtube' });
    await report({ ...reportedCase(item, [{ id: item, url: `${sim.url}/details/synthetic-item-1`, kind: 'post', watched: false }], at), platform: 'archive' });

    expect(await runTargetRecheck(deps, post, 0)).toMatchObject({ outcome: 'online' });
    expect(await runTargetRecheck(deps, vid, 0)).toMatchObject({ outcome: 'online' });
    expect((await getCase(rt.store, vid))?.targets[0]?.viewsNow).toBe(120);
    expect(await runTargetRecheck(deps, item, 0)).toMatchObject({ outcome: 'online' });

    sim.apply({ step: 2, action: 'youtube_video_state', video: 'vid00000001', state: 'tos' });
    sim.apply({ step: 2, action: 'archive_item_state', identifier: 'synthetic-item-1', state: 'dark' });
    sim.apply({ step: 2, action: 'post', channel: 'ash_news_backup', post: { text: 'newer', photos: [], links: [] } });
    const ch = sim.world.channel('ash_news_backup');
    if (ch) ch.posts = ch.posts.filter((p) => p.id !== 2);
    sim.world.version++;

    expect(await runTargetRecheck(deps, vid, 1)).toMatchObject({ outcome: 'offline' });
    expect((await getCase(rt.store, vid))?.targets[0]?.offline).toMatchObject({ how: 'removed_banner', words: expect.stringMatching(/Terms of Service/) });
    expect(await runTargetRecheck(deps, item, 1)).toMatchObject({ outcome: 'offline' });
    expect((await getCase(rt.store, item))?.targets[0]?.offline).toMatchObject({ how: 'gone', words: 'the item was taken dark' });
    expect(await runTargetRecheck(deps, post, 1)).toMatchObject({ outcome: 'offline' });
    expect((await getCase(rt.store, post))?.targets[0]?.offline).toMatchObject({ how: 'gone', words: "post 2 is no longer in the channel's preview" });
  });

  it('at the due time, a case still online goes still_online and raises report_overdue once; an answered one stays', async () => {
    const at = new Date(clock);
    const tid = targetId('telegram', 'channel', 'ash_news_backup');
    await report(reportedCase(tid, [{ id: tid, url: `${sim.url}/ash_news_backup`, kind: 'channel', watched: false }], at));
    const settingsWithRule = {
      ...deps.settings,
      alerts: {
        ...deps.settings.alerts,
        rules: [{ name: 'ops', to: ['ops@example.org'], kinds: ['report_overdue' as const], tags: [], sources: [], digest: false }],
      },
      webhooks: [
        {
          name: 'cases',
          url: 'http://127.0.0.1:9/hook',
          secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
          kinds: ['report_case' as const],
          tags: [],
          sources: [],
        },
      ],
    };
    clock = new Date(at.getTime() + 24 * 3_600_000);
    const r = await runOverdueCheck({ ...deps, settings: settingsWithRule }, tid, at.toISOString());
    expect(r.outcome).toBe('overdue');
    expect((await getCase(rt.store, tid))?.state).toBe('still_online');
    const alerts = await alertsCollection(rt.store).find({ kind: 'report_overdue' }).toArray();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toContain(`${sim.url}/ash_news_backup`);
    // the state change goes to the report_case webhook subscription, once
    const hooks = await webhookDeliveriesCollection(rt.store).find({ kind: 'report_case' }).toArray();
    expect(hooks).toHaveLength(1);
    expect(JSON.parse(hooks[0]?.body ?? '{}')).toMatchObject({ type: 'report_case', data: { evidence: { caseId: tid, state: 'still_online' } } });
    // the same due job again (a retry): no second alert, no change
    expect((await runOverdueCheck({ ...deps, settings: settingsWithRule }, tid, at.toISOString())).outcome).toBe('answered');
    expect(await alertsCollection(rt.store).countDocuments({ kind: 'report_overdue' })).toBe(1);
  });

  it('closes a watched target from its channel: at once from the crawl step, or at the due check from the stored state', async () => {
    const at = new Date(clock);
    const a = targetId('telegram', 'channel', 'watched_a');
    const b = targetId('telegram', 'channel', 'watched_b');
    await report(reportedCase(a, [{ id: a, url: `${sim.url}/watched_a`, kind: 'channel', watched: true, channelKey: 'tg:9100001' }], at));
    await report(reportedCase(b, [{ id: b, url: `${sim.url}/watched_b`, kind: 'channel', watched: true, channelKey: 'tg:9100002' }], at));
    const removedAt = new Date(at.getTime() + 3_600_000);
    expect(await watchedChannelOffline(rt.store, 'tg:9100001', { at: removedAt, how: 'removed_banner', words: 'banner' })).toBe(1);
    expect(await getCase(rt.store, a)).toMatchObject({ state: 'offline', offlineAt: removedAt });
    // b's channel was stored removed but the step that closes its targets never ran
    await rt.store.channels.insertOne({
      _id: 'tg:9100002',
      platform: 'telegram',
      sourceIds: ['s'],
      status: 'removed',
      statusDetail: 'banner words',
      handle: 'watched_b',
      handles: ['watched_b'],
      firstSeenAt: at,
      consecutiveFailures: 0,
      lastCheckedAt: removedAt,
    });
    clock = new Date(at.getTime() + 24 * 3_600_000);
    expect((await runOverdueCheck(deps, b, at.toISOString())).outcome).toBe('answered');
    expect(await getCase(rt.store, b)).toMatchObject({ state: 'offline', offlineAt: removedAt });
  });

  it('schedules one delayed re-check per unwatched target and the due check, with ids that make a second call a no-op', async () => {
    const at = new Date(clock);
    const a = targetId('telegram', 'channel', 'sched_a');
    const b = targetId('telegram', 'channel', 'sched_b');
    const c = reportedCase(
      a,
      [
        { id: a, url: `${sim.url}/sched_a`, kind: 'channel', watched: false },
        { id: b, url: `${sim.url}/sched_b`, kind: 'channel', watched: true },
      ],
      at,
    );
    const before = await queue.getDelayedCount();
    expect(await scheduleAfterReport(queue, c, deps.times)).toBe(1);
    await scheduleAfterReport(queue, c, deps.times);
    expect((await queue.getDelayedCount()) - before).toBe(2); // a's re-check and the due check, once each
    const due = await queue.getJob(recheckJobId({ kind: 'overdue', caseId: a, reportedAt: at.toISOString() }));
    expect(due?.opts.delay).toBe(24 * 3_600_000);
  });
});

describe('the abuse desks', () => {
  it('take down a reported channel after the delay, and leave an ignored one online', async () => {
    const desk = await startAbuseDesk(sim.world, sim.url, { addresses: ['abuse@telegram.sim'], takedownAfterMs: 200, ignore: ['ash_news_keep'] });
    try {
      const mail = createTransport({ url: desk.smtpUrl });
      const long = 'x'.repeat(200); // long lines: nodemailer sends quoted-printable, which the desk decodes
      await mail.sendMail({
        from: 'hw@example.org',
        to: 'abuse@telegram.sim',
        subject: 'report',
        text: `${long}\nURLs:\n${sim.url}/ash_news_gone\n${sim.url}/ash_news_keep\n`,
      });
      await mail.sendMail({ from: 'hw@example.org', to: 'analyst@example.org', subject: 'alert', text: `${sim.url}/ash_news_keep` });
      expect(desk.inbox).toHaveLength(1);
      expect(desk.inbox[0]?.urls.map((u) => [u.target, u.action])).toEqual([
        ['ash_news_gone', 'takedown_scheduled'],
        ['ash_news_keep', 'ignored'],
      ]);
      expect(desk.others.map((o) => o.subject)).toEqual(['alert']);
      expect(sim.world.channel('ash_news_gone')?.state).toBe('active');
      await new Promise((r) => setTimeout(r, 400));
      expect(sim.world.channel('ash_news_gone')?.state).toBe('removed');
      expect(sim.world.channel('ash_news_keep')?.state).toBe('active');
      mail.close();
    } finally {
      await desk.close();
    }
  });
});
