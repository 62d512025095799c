import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { storeDb } from '../../src/store/db-handle';
import { raiseAlert } from '../../src/alerts/outbox';
import { hashToken } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import type { Settings } from '../../src/config/schema';
import { WebhookDeliverer } from '../../src/share/webhooks/deliverer';
import { webhookDeliveries } from '../../src/share/webhooks/outbox';
import { verifyWebhook } from '../../src/share/webhooks/signature';
import { openStore, type Store } from '../../src/store/store';
import { testEgressGuard } from '../support/egress';
import { listenOnFreePort } from '../support/listen';
import { testSettings } from '../support/pipeline-harness';
import { mongoUrl, uniqueName } from '../support/services';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

interface Receiver {
  url: string;
  /** Every request: its webhook-id and whether its signature verified. */
  requests: { id: string; verified: boolean; body: Record<string, unknown> }[];
  /** The ids processed once (a receiver deduplicating by webhook-id). */
  processed: Set<string>;
  close(): Promise<void>;
}

/** A real HTTP receiver on loopback that verifies each delivery's signature; `answer` decides the status (or stalls). */
async function startReceiver(answer: (id: string, seen: number) => number | 'stall'): Promise<Receiver> {
  const r: Omit<Receiver, 'url' | 'close'> = { requests: [], processed: new Set() };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const verified = verifyWebhook(SECRET, body, headers);
      const id = headers['webhook-id'] ?? '';
      const seen = r.requests.filter((x) => x.id === id).length;
      r.requests.push({ id, verified, body: JSON.parse(body) as Record<string, unknown> });
      const a = answer(id, seen);
      if (a === 'stall') return; // never answers
      if (a >= 200 && a < 300 && verified) r.processed.add(id);
      res.writeHead(a).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    ...r,
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Signed webhooks against real receivers on loopback and FerretDB: signatures, retries by id, timeouts, the egress guard. */
describe('webhook delivery', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwhooks') });
  });
  afterAll(async () => {
    await storeDb(store).dropDatabase();
    await store.close();
  });

  const settingsFor = (url: string, extra: Record<string, unknown> = {}): Settings =>
    testSettings({
      webhooks: [{ name: 'rx', url, secret: SECRET, kinds: ['removed', 'resurfaced'] }],
      webhookDelivery: { timeoutMs: 400, retryBaseMs: 100, retryMaxMs: 1000, maxAttempts: 3 },
      ...extra,
    });
  const draft = (key: string) => ({
    kind: 'removed' as const,
    key,
    sourceId: 's1',
    tags: ['t'],
    at: new Date(),
    facts: { channelKey: `tg:${key}`, handle: key },
  });
  /** Delivery rounds, one after the other. */
  async function drain(d: WebhookDeliverer, rounds: number): Promise<void> {
    for (let i = 0; i < rounds; i++) await d.tick();
  }

  it('signs each delivery so that the receiver verifies it, and names the event, channel and links', async () => {
    const rx = await startReceiver(() => 200);
    const settings = settingsFor(rx.url);
    await raiseAlert(store, settings, draft('sig1'));
    await raiseAlert(store, settings, draft('sig1')); // the same event: no second delivery
    const d = new WebhookDeliverer(store, () => settings, testEgressGuard());
    await d.tick();
    await rx.close();
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0]?.verified).toBe(true);
    expect(rx.requests[0]?.body).toMatchObject({ type: 'removed', data: { channel: 'tg:sig1', evidence: { handle: 'sig1' } } });
    const doc = await webhookDeliveries(store).findOne({ eventId: rx.requests[0]?.id });
    expect(doc?.status).toBe('delivered');
    expect(doc?._id).toBe(`rx:${rx.requests[0]?.id}`);
  });

  it('retries a receiver that answers 500 then 200 with the same id: each event processed exactly once', async () => {
    const rx = await startReceiver((_id, seen) => (seen === 0 ? 500 : 200)); // each id: 500 first, then 200
    const settings = settingsFor(rx.url);
    for (const k of ['r1', 'r2']) await raiseAlert(store, settings, draft(k));
    let clock = Date.now();
    const d = new WebhookDeliverer(
      store,
      () => settings,
      testEgressGuard(),
      () => new Date(clock),
    );
    const failed: string[] = [];
    d.on('failed', (e) => failed.push(e.error));
    await d.tick();
    clock += 5000; // past the retry delay (retryMaxMs 1 s)
    await drain(d, 3);
    await rx.close();
    const ids = rx.requests.map((r) => r.id);
    expect(new Set(ids).size).toBe(2);
    expect(ids).toHaveLength(4); // each event twice (500, then 200), under its one id
    expect(rx.requests.every((r) => r.verified)).toBe(true);
    expect(rx.processed.size).toBe(2);
    expect(failed.some((e) => e.includes('HTTP 500'))).toBe(true);
    const docs = await webhookDeliveries(store)
      .find({ eventId: { $in: [...rx.processed] } })
      .toArray();
    expect(docs.map((x) => x.status)).toEqual(['delivered', 'delivered']);
    expect(docs.every((x) => x.attempts >= 1 && x.attempts <= 2)).toBe(true);
  });

  it('times out a slow receiver with a named error (WEBHOOK_TIMEOUT), keeps the delivery for a retry', async () => {
    const rx = await startReceiver(() => 'stall');
    const settings = settingsFor(rx.url);
    await raiseAlert(store, settings, draft('slow1'));
    const d = new WebhookDeliverer(store, () => settings, testEgressGuard());
    const started = Date.now();
    await d.tick();
    expect(Date.now() - started).toBeLessThan(3000);
    await rx.close();
    const doc = await webhookDeliveries(store).findOne({ _id: `rx:${rx.requests[0]?.id}` });
    expect(doc?.status).toBe('pending');
    expect(doc?.lastError).toMatch(/^WEBHOOK_TIMEOUT: .* did not answer within 400 ms/);
  });

  it('refuses a loopback receiver not in net.allow (dead-lettered at once, readable through the API)', async () => {
    const rx = await startReceiver(() => 200);
    const settings = settingsFor(rx.url, { net: { allow: [] } });
    await raiseAlert(store, settings, draft('egress1'));
    const d = new WebhookDeliverer(store, () => settings, testEgressGuard([]));
    await d.tick();
    await rx.close();
    expect(rx.requests).toHaveLength(0);
    const app = await buildApi({
      store,
      settings,
      tokens: [
        { name: 'ana', role: 'analyst', sha256: hashToken('analyst-token-0123456789abcdef') },
        { name: 'rea', role: 'researcher', sha256: hashToken('researcher-token-0123456789abcdef') },
      ],
      sourcesPath: '/nonexistent/sources.yaml',
      settingsPath: '/nonexistent/settings.yaml',
    });
    const base = await listenOnFreePort(app);
    const res = await fetch(`${base}/api/v1/webhooks/dead-letters?subscription=rx`, { headers: { authorization: 'Bearer analyst-token-0123456789abcdef' } });
    const forbidden = await fetch(`${base}/api/v1/webhooks/dead-letters`, { headers: { authorization: 'Bearer researcher-token-0123456789abcdef' } });
    const json = await res.json();
    await app.close();
    expect(res.status).toBe(200);
    const items = (json as { items: { lastError: string; attempts: number; payload: { data: { channel: string } } }[] }).items;
    const mine = items.find((i) => i.payload.data.channel === 'tg:egress1');
    expect(mine?.attempts).toBe(1);
    expect(mine?.lastError).toMatch(/^EGRESS_DENIED: refused to fetch http:\/\/127\.0\.0\.1:\d+\/hook: .*net\.allow/);
    expect(forbidden.status).toBe(403);
  });
});
