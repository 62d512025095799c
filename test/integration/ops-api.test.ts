import { hashToken } from '../../src/api/auth';
import { buildApi, type Api } from '../../src/api/server';
import { raiseAlert } from '../../src/alerts/outbox';
import { startWorkerRole, type WorkerRole } from '../../src/app/roles';
import { sourceSchema } from '../../src/config/schema';
import { enqueueCrawl } from '../../src/queue/crawl-queue';
import { stageQueueName } from '../../src/queue/stages';
import { listenOnFreePort } from '../support/listen';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';
import { startSmtpSink } from '../support/smtp-sink';
import { waitFor } from '../support/wait-for';

const ANALYST = 'ops-analyst-token-0123456789';
const RESEARCHER = 'ops-researcher-token-0123456789';
const tokens = [
  { name: 'ana', role: 'analyst' as const, sha256: hashToken(ANALYST) },
  { name: 'res', role: 'researcher' as const, sha256: hashToken(RESEARCHER) },
];

/** One sample's value from the Prometheus text, e.g. sample(text, 'hydrawatch_checks_total', { source: 'alpha' }). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

interface Res {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
  json(): any;
}

/** Real HTTP (fastify's inject needs an ESM-only package jest cannot load). */
async function get(base: string, url: string, headers: Record<string, string> = {}): Promise<Res> {
  const r = await fetch(`${base}${url}`, { headers });
  const body = await r.text();
  const hs: Record<string, string> = {};
  r.headers.forEach((v, k) => (hs[k] = v));
  return { statusCode: r.status, body, headers: hs, json: () => JSON.parse(body) };
}

/** /metrics, /health, /ready and the queue view, on a worker that crawls the simulator in this process. */
describe('operations routes', () => {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let app: Api;
  let base: string;
  let worker: WorkerRole;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startHarness('pipeline-test.yaml', {
      alerts: { smtpUrl: smtp.url, sendIntervalMs: 200, rules: [{ name: 'ops', to: ['ops@example.org'], kinds: ['removed'] }] },
    });
    app = await buildApi({
      store: h.rt.store,
      settings: h.settings,
      tokens,
      redis: h.rt.redis,
      queues: [h.rt.queue, h.rt.mediaQueue, h.rt.discoveryQueue],
      sourcesPath: `${h.configDir}/sources.yaml`,
      settingsPath: `${h.configDir}/settings.yaml`,
    });
    base = await listenOnFreePort(app);
    worker = startWorkerRole(h.rt, () => undefined);
  });
  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await h?.close();
    await smtp?.close();
  });

  it('/metrics after a crawl: checks, duration, last success, queue depth and wait, media intake, alerts, store latency', async () => {
    const started = Date.now() / 1000;
    const source = sourceSchema.parse(tgSource(h.sim, 'alpha', 'sim_alpha'));
    const now = new Date();
    const { jobId } = await enqueueCrawl(h.rt.queue, { source, tick: now.toISOString(), reason: 'manual' }, { delayMs: 0, tickAt: now, reason: 'manual' });
    await waitFor('the crawl', async () => (await h.rt.store.runs.findOne({ _id: `run:${jobId}` }))?.status === 'ok', 60000);
    const refs = await h.rt.store.media.countDocuments({ channelKey: 'tg:1700000001' });
    expect(refs).toBeGreaterThan(0);
    await waitFor(
      'media intake of every reference',
      async () => (await h.rt.store.media.countDocuments({ channelKey: 'tg:1700000001', ingestedAt: { $exists: true } })) === refs,
      60000,
    );
    // one alert raised and mailed through the worker's sender
    await raiseAlert(h.rt.store, h.settings, {
      kind: 'removed',
      key: 'removed:ops-test',
      sourceId: 'alpha',
      tags: ['test'],
      at: new Date(),
      facts: { channelKey: 'tg:1700000001', handle: 'sim_alpha' },
    });
    await waitFor('the alert email', () => smtp.mails.length === 1, 20000);

    const crawlQueue = stageQueueName(h.settings.queue, 'crawl');
    const mediaQueue = stageQueueName(h.settings.queue, 'media');
    const text = await waitFor(
      'every media job counted',
      async () => {
        const res = await get(base, '/metrics', auth(RESEARCHER));
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
        const ingested =
          (sample(res.body, 'hydrawatch_media_intake_seconds_count', { kind: 'media', status: 'ingested' }) ?? 0) +
          (sample(res.body, 'hydrawatch_media_intake_seconds_count', { kind: 'media', status: 'failed' }) ?? 0);
        // every job of the crawl done: the media references, the text job, and nothing left active in the queues
        const settled = [crawlQueue, mediaQueue].every((q) => sample(res.body, 'hydrawatch_queue_jobs', { queue: q, state: 'active' }) === 0);
        const texts = sample(res.body, 'hydrawatch_media_intake_seconds_count', { kind: 'text', status: 'ingested' }) === 1;
        const sent = sample(res.body, 'hydrawatch_alerts_sent_total') === 1;
        if (ingested === refs && texts && settled && sent) return res.body;
        throw new Error(`not yet: ${JSON.stringify({ ingested, refs, texts, settled, sent })}`); // waitFor reports the last one
      },
      60000,
    );

    expect(sample(text, 'hydrawatch_checks_total', { source: 'alpha', outcome: 'active' })).toBe(1);
    expect(sample(text, 'hydrawatch_check_duration_seconds_count', { platform: 'telegram', result: 'ok' })).toBe(1);
    expect(sample(text, 'hydrawatch_check_duration_seconds_sum', { platform: 'telegram', result: 'ok' })).toBeGreaterThan(0);
    const last = sample(text, 'hydrawatch_last_successful_check_timestamp_seconds', { source: 'alpha' }) as number;
    expect(last).toBeGreaterThanOrEqual(Math.floor(started));
    expect(last).toBeLessThanOrEqual(Date.now() / 1000);
    // queue depth read from Redis at scrape time: everything done, nothing waiting
    for (const q of [crawlQueue, mediaQueue]) {
      expect(sample(text, 'hydrawatch_queue_jobs', { queue: q, state: 'waiting' })).toBe(0);
      expect(sample(text, 'hydrawatch_queue_jobs', { queue: q, state: 'active' })).toBe(0);
    }
    expect(sample(text, 'hydrawatch_queue_wait_seconds_count', { queue: crawlQueue })).toBe(1);
    // the media queue: one job per reference, plus the crawl's text job
    expect(sample(text, 'hydrawatch_queue_wait_seconds_count', { queue: mediaQueue })).toBe(refs + 1);
    expect(sample(text, 'hydrawatch_media_intake_seconds_count', { kind: 'text', status: 'ingested' })).toBe(1);
    expect(sample(text, 'hydrawatch_alerts_raised_total', { kind: 'removed' })).toBe(1);
    expect(sample(text, 'hydrawatch_alert_latency_seconds_count')).toBe(1);
    expect(sample(text, 'hydrawatch_store_operation_seconds_count', { command: 'find', result: 'ok' })).toBeGreaterThan(0);
    expect(sample(text, 'hydrawatch_store_operation_seconds_count', { command: 'update', result: 'ok' })).toBeGreaterThan(0);
    // series that only move when something goes wrong are declared all the same
    for (const name of [
      'hydrawatch_stalled_jobs_total',
      'hydrawatch_smtp_failures_total',
      'hydrawatch_discovery_probes_total',
      'hydrawatch_discovery_probe_budget_ratio',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(sample(text, 'hydrawatch_checks_total', { source: 'alpha', outcome: 'failed' })).toBeUndefined();
  });

  it('/metrics needs a token', async () => {
    const res = await get(base, '/metrics');
    expect(res.statusCode).toBe(401);
  });

  it('/health answers; /ready checks the store, Redis and SMTP, and names the failing part with a 503', async () => {
    expect((await get(base, '/health')).json()).toEqual({ ok: true });
    const ready = await get(base, '/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ok: true, checks: { store: { ok: true }, redis: { ok: true }, smtp: { ok: true } } });

    // SMTP configured on a port nobody listens on
    const closed = await startSmtpSink();
    await closed.close();
    const bad = await buildApi({
      store: h.rt.store,
      settings: { ...h.settings, alerts: { ...h.settings.alerts, smtpUrl: closed.url }, api: { ...h.settings.api, readyTimeoutMs: 2000 } },
      tokens,
      redis: h.rt.redis,
      sourcesPath: `${h.configDir}/sources.yaml`,
      settingsPath: `${h.configDir}/settings.yaml`,
    });
    try {
      const res = await get(await listenOnFreePort(bad), '/ready');
      expect(res.statusCode).toBe(503);
      const body = res.json();
      expect(body).toMatchObject({ ok: false, error: 'not_ready', checks: { store: { ok: true }, redis: { ok: true }, smtp: { ok: false } } });
      expect(body.message).toMatch(/^not ready: smtp \(/);
    } finally {
      await bad.close();
    }
  });

  it('the queue view refuses without a token and to researchers, and lists the stage queues for analysts', async () => {
    expect((await get(base, '/queues/')).statusCode).toBe(401);
    expect((await get(base, '/queues/api/queues')).statusCode).toBe(401);
    expect((await get(base, '/queues/api/queues', auth(RESEARCHER))).statusCode).toBe(403);
    const page = await get(base, '/queues/', auth(ANALYST));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('hydrawatch queues');
    const res = await get(base, '/queues/api/queues', auth(ANALYST));
    expect(res.statusCode).toBe(200);
    const names = (res.json() as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual([h.settings.queue.name, `${h.settings.queue.name}-discovery`, `${h.settings.queue.name}-media`].sort());
  });

  it('the OpenAPI document has the new routes with every status code, and not the queue view internals', async () => {
    const doc = (await get(base, '/openapi.json')).json() as { paths: Record<string, { get?: { responses: Record<string, unknown> } }> };
    expect(Object.keys(doc.paths['/health']?.get?.responses ?? {})).toEqual(['200']);
    expect(Object.keys(doc.paths['/ready']?.get?.responses ?? {}).sort()).toEqual(['200', '503']);
    expect(Object.keys(doc.paths['/metrics']?.get?.responses ?? {}).sort()).toEqual(['200', '401', '429']);
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/queues'))).toEqual([]);
  });
});
