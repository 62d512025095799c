import { hashToken } from '../../src/api/auth';
import { buildApi, type Api } from '../../src/api/server';
import { raiseAlert } from '../../src/alerts/outbox';
import { AlertSender, smtpTransport } from '../../src/alerts/sender';
import type { Settings } from '../../src/config/schema';
import type { ReportCase } from '../../src/core/report-case';
import { onCaseReported, recordReportDeliveries, sendCase } from '../../src/reports/lifecycle';
import { getCase, getReportTarget, outboxCollection } from '../../src/store/repos/report-cases';
import { ensureIndexes, openStore, type Store } from '../../src/store/store';
import type { ChannelDoc } from '../../src/store/repos/channels';
import type { PostDoc } from '../../src/store/repos/posts';
import { storeDb } from '../../src/store/db-handle';
import { listenOnFreePort } from '../support/listen';
import { testSettings } from '../support/pipeline-harness';
import { mongoUrl, uniqueName } from '../support/services';
import { startSmtpSink } from '../support/smtp-sink';
import { waitFor } from '../support/wait-for';

const ANALYST = 'analyst-token-0123456789abcdef';
const RESEARCHER = 'researcher-token-0123456789abcdef';
const removedAt = new Date('2026-11-28T08:30:00Z');

/** Quoted-printable soft breaks and escapes undone: the mail's text as a reader sees it. */
function readable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function channel(id: string, handle: string, extra: Partial<ChannelDoc> = {}): ChannelDoc {
  const at = new Date('2026-11-20T00:00:00Z');
  return {
    _id: id,
    platform: 'telegram',
    sourceIds: ['s1'],
    status: 'active',
    handle,
    handles: [handle],
    firstSeenAt: at,
    consecutiveFailures: 0,
    lastCheckedAt: at,
    ...extra,
  };
}

/** Report cases on FerretDB, a real SMTP server and the API over HTTP: from a resurfacing alert to one report mail. */
describe('report cases', () => {
  let store: Store;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let app: Api;
  let base: string;
  let settings: Settings;
  const reported: string[] = [];
  let stopListening: () => void;

  const call = async (method: string, path: string, payload?: unknown, token = ANALYST): Promise<{ status: number; body: any; text: string }> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), authorization: `Bearer ${token}` },
      body: payload === undefined ? null : JSON.stringify(payload),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text };
  };
  const casePath = (id: string): string => `/api/v1/reports/cases/${encodeURIComponent(id)}`;

  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwreports') });
    await ensureIndexes(store);
    smtp = await startSmtpSink();
    settings = testSettings({
      alerts: { smtpUrl: smtp.url, retryBaseMs: 100, retryMaxMs: 1000, from: 'hydrawatch <alerts@hw.example>' },
      api: { authFailures: { burst: 1000, perMinute: 1000 } },
      reporting: {
        notifier: { name: 'Desk A', email: 'desk@example.org' },
        rules: [{ name: 'comebacks', kinds: ['resurfaced'], tags: ['net-a'] }],
        platforms: { telegram: { to: ['abuse@telegram.example'] } },
        dsa: true,
      },
    });
    await store.channels.insertOne(channel('tg:1', 'foo_official', { status: 'removed', removedAt }));
    await store.channels.insertOne(channel('tg:2', 'foo_back'));
    await store.handles.insertOne({ _id: 'tg:foo_back', channelKey: 'tg:2', handle: 'foo_back', at: removedAt });
    const posts = [1, 2, 3].map((n) => ({ _id: `tg:2:${n}`, channelKey: 'tg:2', postId: String(n), platform: 'telegram', handle: 'foo_back' }));
    await store.posts.insertMany(posts as unknown as PostDoc[]);
    app = await buildApi({
      store,
      settings,
      tokens: [
        { name: 'ana', role: 'analyst', sha256: hashToken(ANALYST) },
        { name: 'rea', role: 'researcher', sha256: hashToken(RESEARCHER) },
      ],
      sourcesPath: '/nonexistent/sources.yaml',
      settingsPath: '/nonexistent/settings.yaml',
    });
    base = await listenOnFreePort(app);
    stopListening = onCaseReported((c) => void reported.push(c._id));
  });
  afterAll(async () => {
    stopListening();
    await app.close();
    await smtp.close();
    await storeDb(store).dropDatabase();
    await store.close();
  });

  const resurfacing = {
    kind: 'resurfaced' as const,
    key: 'resurfaced:tg:1:tg:2',
    sourceId: 's1',
    tags: ['net-a'],
    at: new Date(),
    facts: {
      predecessor: 'tg:1',
      predecessorHandle: 'foo_official',
      successor: 'tg:2',
      successorHandle: 'foo_back',
      score: 0.93,
      signals: { handle: 0.8, avatar: 1 },
      removedAt,
    },
  };
  const id = 'telegram:channel:tg:2';

  it('opens a draft case from a resurfacing alert (reporting rule), merges a duplicate, and guards the steps by role', async () => {
    await raiseAlert(store, settings, resurfacing);
    await raiseAlert(store, settings, resurfacing); // the same alert again: no second case, no second step
    const c = (await getCase(store, id)) as ReportCase;
    expect(c).toMatchObject({ state: 'draft', platform: 'telegram', kind: 'resurfaced', openedBy: 'rule:comebacks' });
    expect(c.targets).toEqual([expect.objectContaining({ url: 'https://t.me/foo_back', channelKey: 'tg:2', watched: true, postCount: 3 })]);
    expect(c.evidence).toMatchObject({ predecessor: { channelKey: 'tg:1', handle: 'foo_official' }, score: 0.93 });
    expect(c.history).toHaveLength(1);

    const dup = await call('POST', '/api/v1/reports/cases', { channel: 'https://t.me/foo_back', note: 'same channel, by hand' });
    expect(dup.status).toBe(200);
    expect(dup.body.outcome).toBe('merged');
    expect(dup.body.case._id).toBe(id);
    expect(dup.body.case.history.at(-1)).toMatchObject({ state: 'merged', by: 'token:ana' });
    expect(dup.body.case.evidence.note).toBe('same channel, by hand');

    expect((await call('POST', `${casePath(id)}/approve`, {}, RESEARCHER)).status).toBe(403);
    expect((await call('GET', casePath(id), undefined, RESEARCHER)).status).toBe(200);
    const unknown = await call('POST', `${casePath('telegram:channel:tg:nope')}/approve`, {});
    expect(unknown.status).toBe(404);
    const bad = await call('POST', '/api/v1/reports/cases', { post: 'https://unknown.example/a/1' });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(/no platform knows the URL/);
    const early = await call('POST', `${casePath(id)}/send`, {});
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/cannot go from "draft" to "sent"/);
  });

  it('approve → send: exactly one report mail with the URLs and evidence, the case sent with its Message-ID', async () => {
    const approved = await call('POST', `${casePath(id)}/approve`, { note: 'checked' });
    expect(approved.status).toBe(200);
    expect(approved.body.case.history.at(-1)).toMatchObject({ state: 'approved', by: 'token:ana', note: 'checked' });
    const queued = await call('POST', `${casePath(id)}/send`, {});
    expect(queued.status).toBe(200);
    expect(queued.body.case.state).toBe('approved');
    expect(queued.body.case.sending.outboxId).toBe(`report:${id}:1`);
    expect((await call('POST', `${casePath(id)}/send`, {})).status).toBe(200); // again: the same outbox entry
    const sender = new AlertSender(store, settings, smtpTransport(smtp.url, 5000), undefined, {
      afterRound: async () => void (await recordReportDeliveries({ store, settings })),
    });
    await sender.tick();
    await sender.tick();
    await sender.stop();
    const mails = smtp.mails.filter((m) => m.to.includes('abuse@telegram.example'));
    expect(mails).toHaveLength(1);
    const text = readable(mails[0]?.raw ?? '');
    expect(text).toContain('https://t.me/foo_back');
    expect(text).toContain('@foo_official (tg:1)');
    expect(text).toContain('2026-11-28 08:30 UTC');
    expect(text).toContain('Resurfacing score: 0.93');
    expect(text).toContain('Notifier: Desk A <desk@example.org>');
    expect(text).toContain('Article 16');
    const c = (await getCase(store, id)) as ReportCase;
    expect(c.state).toBe('sent');
    expect(c.messageId).toMatch(/^<hw\.[0-9a-f]+@hw\.example>$/);
    expect(c.history.at(-1)).toMatchObject({ state: 'sent', by: 'token:ana', messageId: c.messageId });
    expect(c.dueAt?.getTime()).toBe((c.reportedAt?.getTime() ?? 0) + 24 * 3_600_000);
    expect(await getReportTarget(store, id)).toMatchObject({
      caseId: id,
      checks: 0,
      channelKey: 'tg:2',
      url: 'https://t.me/foo_back',
      kind: 'channel',
      watched: true,
    });
    expect(reported).toEqual([id]);
    const again = await call('POST', `${casePath(id)}/send`, {});
    expect(again.status).toBe(409);
    const pack = await call('GET', `${casePath(id)}/pack?format=html&variant=dsa`, undefined, RESEARCHER);
    expect(pack.status).toBe(200);
    expect(pack.text).toContain('<!doctype html>');
    const json = await call('GET', `${casePath(id)}/pack?format=json`, undefined, RESEARCHER);
    expect(json.body).toMatchObject({ caseId: id, platform: 'telegram', urls: ['https://t.me/foo_back'], mail: { to: ['abuse@telegram.example'] } });
    // a control character in a note is replaced (PostgreSQL under FerretDB refuses NUL), the rest of the note kept
    const nul = await call('POST', '/api/v1/reports/cases', { channel: 'tg:2', note: 'a\u0000b' });
    expect([200, 201]).toContain(nul.status);
    expect(JSON.stringify(nul.body)).toContain('a\ufffdb');
  });

  it('no address configured: send fails naming the setting; sent-manually records the ticket', async () => {
    const opened = await call('POST', '/api/v1/reports/cases', { post: 'https://www.youtube.com/watch?v=abc123', note: 'video' });
    expect(opened.status).toBe(201);
    const yt = opened.body.case._id as string;
    expect((await call('POST', `${casePath(yt)}/approve`, {})).status).toBe(200);
    const send = await call('POST', `${casePath(yt)}/send`, {});
    expect(send.status).toBe(422);
    expect(send.body.message).toMatch(/reporting\.platforms\.youtube\.to is not set/);
    const manual = await call('POST', `${casePath(yt)}/sent-manually`, { ticket: 'YT-4711' });
    expect(manual.status).toBe(200);
    expect(manual.body.case).toMatchObject({ state: 'sent_manually', ticket: 'YT-4711' });
    expect(reported).toContain(yt);
    const list = await call('GET', '/api/v1/reports/cases?platform=youtube', undefined, RESEARCHER);
    expect(list.body.items.map((c: { _id: string }) => c._id)).toEqual([yt]);
    const withdrawn = await call('POST', `${casePath(yt)}/withdraw`, { note: 'done elsewhere' });
    expect(withdrawn.body.case.state).toBe('withdrawn');
  });

  it('SMTP down: the report mail is kept and retried, then sent once; the case is sent only then', async () => {
    await store.channels.insertOne(channel('tg:3', 'foo_again'));
    const opened = await call('POST', '/api/v1/reports/cases', { channel: 'tg:3' });
    const cid = opened.body.case._id as string;
    await call('POST', `${casePath(cid)}/approve`, {});
    await call('POST', `${casePath(cid)}/send`, {});
    const down = await startSmtpSink();
    const port = down.port;
    await down.close();
    const afterRound = async (): Promise<void> => void (await recordReportDeliveries({ store, settings }));
    const sender = new AlertSender(store, settings, smtpTransport(`smtp://127.0.0.1:${port}?tls=off`, 2000), undefined, { afterRound });
    await sender.tick();
    const mailId = `report:${cid}:1`;
    expect(await outboxCollection(store).findOne({ _id: mailId })).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/SMTP/) });
    expect((await getCase(store, cid))?.state).toBe('approved');
    const up = await startSmtpSink(port);
    try {
      await waitFor(
        'the report after SMTP is back',
        async () => {
          await sender.tick();
          return (await getCase(store, cid))?.state === 'sent';
        },
        20000,
        200,
      );
      await sender.tick();
      expect(up.mails.filter((m) => readable(m.raw).includes('https://t.me/foo_again'))).toHaveLength(1);
    } finally {
      await sender.stop();
      await up.close();
    }
  });

  it('re-reporting: a target reported within reReportDays is not reported again by a new case', async () => {
    expect((await call('POST', `${casePath(id)}/withdraw`, { note: 'closing' })).body.case.state).toBe('withdrawn');
    const reopened = await call('POST', '/api/v1/reports/cases', { channel: 'tg:2' });
    expect(reopened.status).toBe(201);
    expect(reopened.body.case._id).toBe(`${id}#2`); // the closed case keeps its id
    await call('POST', `${casePath(`${id}#2`)}/approve`, {});
    const refused = await call('POST', `${casePath(`${id}#2`)}/send`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/reported within reporting\.reReportDays \(7 days\)/);
  });

  it('rate limit: at most reporting.maxReportsPerHour report mails an hour; the rest wait, not dropped', async () => {
    const limited: Settings = { ...settings, reporting: { ...settings.reporting, maxReportsPerHour: 3 } }; // 2 sent above
    const ids: string[] = [];
    for (const n of [4, 5]) {
      await store.channels.insertOne(channel(`tg:${n}`, `limit_${n}`));
      const opened = await call('POST', '/api/v1/reports/cases', { channel: `tg:${n}` });
      ids.push(opened.body.case._id as string);
      await call('POST', `${casePath(opened.body.case._id as string)}/approve`, {});
      await call('POST', `${casePath(opened.body.case._id as string)}/send`, {});
    }
    const sender = new AlertSender(store, limited, smtpTransport(smtp.url, 5000), undefined, {
      afterRound: async () => void (await recordReportDeliveries({ store, settings })),
    });
    await sender.tick();
    await sender.stop();
    const states = await Promise.all(ids.map(async (i) => (await getCase(store, i))?.state));
    expect(states.sort()).toEqual(['approved', 'sent']);
    const waiting = await outboxCollection(store).findOne({ kind: 'report', status: 'pending' });
    expect(waiting?.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('withdrawn while its report mail is already going out: the case stays withdrawn, and its history records the mail that left', async () => {
    await store.channels.insertOne(channel('tg:7', 'late_7'));
    const opened = await call('POST', '/api/v1/reports/cases', { channel: 'tg:7' });
    const cid = opened.body.case._id as string;
    await call('POST', `${casePath(cid)}/approve`, {});
    const sending = (await call('POST', `${casePath(cid)}/send`, {})).body.case.sending as { outboxId: string };
    // the sender has picked the mail up (an SMTP attempt under way): it can no longer be called back
    await outboxCollection(store).updateOne({ _id: sending.outboxId }, { $set: { attemptStartedAt: new Date() } });
    const withdrawn = await call('POST', `${casePath(cid)}/withdraw`, { note: 'wrong channel' });
    expect(withdrawn.body.case.state).toBe('withdrawn');
    expect(withdrawn.body.case.history.at(-1).note).toMatch(/^wrong channel; the report mail .* had already started going out$/);
    expect(await outboxCollection(store).countDocuments({ _id: sending.outboxId })).toBe(1);
    // the attempt succeeds
    const sentAt = new Date();
    await outboxCollection(store).updateOne({ _id: sending.outboxId }, { $set: { status: 'sent', sentAt, messageId: '<late-7@hydrawatch>' } });
    await recordReportDeliveries({ store, settings });
    await recordReportDeliveries({ store, settings }); // once only
    const after = await getCase(store, cid);
    expect(after?.state).toBe('withdrawn');
    expect(after?.reportedAt?.getTime()).toBe(sentAt.getTime());
    const late = after?.history.filter((h) => h.by === 'system') ?? [];
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ state: 'withdrawn', messageId: '<late-7@hydrawatch>' });
    expect(late[0]?.note).toMatch(/left before the withdrawal could stop it: mailed to abuse@/);
  });

  it('digest: with reporting.platforms.telegram.digest, the cases sent in one period go out in one mail, and each case records it', async () => {
    const digest: Settings = {
      ...settings,
      reporting: {
        ...settings.reporting,
        digestMinutes: 30,
        platforms: { ...settings.reporting.platforms, telegram: { ...settings.reporting.platforms.telegram, digest: true } },
      },
    };
    const ids: string[] = [];
    for (const n of [8, 9]) {
      await store.channels.insertOne(channel(`tg:${n}`, `digest_${n}`));
      const opened = await call('POST', '/api/v1/reports/cases', { channel: `tg:${n}` });
      ids.push(opened.body.case._id as string);
      await call('POST', `${casePath(opened.body.case._id as string)}/approve`, {});
      await sendCase({ store, settings: digest }, opened.body.case._id as string, 'token:ana');
    }
    const before = smtp.mails.length;
    const at = { now: new Date() };
    const sender = new AlertSender(store, digest, smtpTransport(smtp.url, 5000), () => at.now, {
      afterRound: async () => void (await recordReportDeliveries({ store, settings: digest })),
    });
    await sender.tick(); // within the period: the digest waits
    expect(smtp.mails.slice(before).filter((m) => readable(m.raw).includes('digest_'))).toEqual([]);
    expect(await Promise.all(ids.map(async (i) => (await getCase(store, i))?.state))).toEqual(['approved', 'approved']);
    at.now = new Date(Date.now() + 31 * 60_000);
    await sender.tick();
    await sender.stop();
    const mails = smtp.mails.slice(before).filter((m) => readable(m.raw).includes('https://t.me/digest_8'));
    expect(mails).toHaveLength(1);
    const text = readable(mails[0]?.raw ?? '');
    expect(text).toMatch(/^Subject: Reports: 2 cases of terrorist content on Telegram/m);
    expect(text).toContain('https://t.me/digest_8');
    expect(text).toContain('https://t.me/digest_9');
    const cases = await Promise.all(ids.map((i) => getCase(store, i)));
    expect(cases.map((c) => c?.state)).toEqual(['sent', 'sent']);
    expect(cases[0]?.messageId).toBeDefined();
    expect(cases[1]?.messageId).toBe(cases[0]?.messageId);
  });
});
