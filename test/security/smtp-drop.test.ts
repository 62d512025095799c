import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AlertSender, smtpTransport } from '../../src/alerts/sender';
import { raiseAlert } from '../../src/alerts/outbox';
import { alertsCollection } from '../../src/store/repos/alerts';
import { classifySmtpFailure, stableMessageId } from '../../src/alerts/delivery-outcome';
import { settingsSchema, type Settings } from '../../src/config/schema';
import { openStore, type Store } from '../../src/store/store';
import { mongoUrl, uniqueName } from '../support/services';
import { startSmtpSink } from '../support/smtp-sink';
import { storeDb } from '../../src/store/db-handle';

type Mode = 'pass' | 'drop-before-final-ok' | 'drop-at-data';

/**
 * A TCP relay in front of a real SMTP server (smtp-server). `drop-before-final-ok`: the message reaches the server,
 * which accepts it, but the connection is cut before its final "250" gets back: the client cannot know.
 * `drop-at-data`: the connection is cut when the client says DATA: the server surely has nothing.
 */
async function startRelay(targetPort: number): Promise<{ url: string; mode: Mode; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const relay = { url: '', mode: 'pass' as Mode, close: async () => undefined as void };
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let swallowReply = false;
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      if (relay.mode === 'drop-at-data' && /(^|\r\n)DATA\r\n/.test(text)) return cut();
      if (relay.mode === 'drop-before-final-ok' && /\r\n\.\r\n$/.test(text)) swallowReply = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (swallowReply) return cut(); // the server's "250 OK: queued" never reaches the client
      client.write(chunk);
    });
    client.on('error', () => undefined).on('close', () => upstream.destroy());
    upstream.on('error', () => undefined).on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  relay.url = `smtp://127.0.0.1:${(server.address() as AddressInfo).port}?tls=off`;
  relay.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return relay;
}

describe('alert mail when the SMTP connection drops (exactly once, at most once when unknown)', () => {
  let store: Store;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwsmtp') });
    sink = await startSmtpSink();
    relay = await startRelay(sink.port);
  });
  afterAll(async () => {
    await relay.close();
    await sink.close();
    await storeDb(store).dropDatabase();
    await store.close();
  });
  beforeEach(async () => {
    sink.mails.length = 0;
    relay.mode = 'pass';
    await alertsCollection(store).deleteMany({});
  });

  const settingsFor = (smtpUrl: string): Settings =>
    settingsSchema.parse({
      alerts: {
        smtpUrl,
        retryBaseMs: 100,
        retryMaxMs: 1000,
        maxPerHourPerRecipient: 1000,
        rules: [{ name: 'desk', to: ['desk@example.org'], kinds: ['removed'] }],
      },
    });
  const raise8 = async (settings: Settings, prefix: string): Promise<void> => {
    for (let i = 0; i < 8; i++) {
      await raiseAlert(store, settings, {
        kind: 'removed',
        key: `${prefix}${i}`,
        sourceId: 's1',
        tags: [],
        at: new Date(Date.now() - 60_000),
        facts: { handle: `h${i}`, channelKey: `tg:h${i}` },
      });
    }
  };
  /** Runs delivery rounds, moving the clock an hour each time so every backoff has passed. */
  async function rounds(settings: Settings, smtpUrl: string, n: number): Promise<void> {
    let t = Date.now();
    const sender = new AlertSender(store, settings, smtpTransport(smtpUrl, 3000), () => new Date(t));
    for (let i = 0; i < n; i++) {
      await sender.tick();
      t += 3600_000;
    }
    await sender.stop();
  }

  it('the server drops the connection before its final OK: 8 alerts give 8 emails, not 30; marked unconfirmed', async () => {
    const settings = settingsFor(relay.url);
    await raise8(settings, 'drop');
    relay.mode = 'drop-before-final-ok';
    await rounds(settings, relay.url, 4);
    expect(sink.mails).toHaveLength(8); // the server did get each one, once
    const docs = await alertsCollection(store).find({}).toArray();
    expect(docs.map((d) => d.status)).toEqual(Array(8).fill('unconfirmed'));
    for (const d of docs) {
      expect(d.messageId).toBe(stableMessageId([d._id], settings.alerts.from));
      expect(d.lastError).toMatch(/SMTP outcome unknown/);
      expect(d.attemptStartedAt).toBeUndefined();
    }
    const ids = sink.mails.map((m) => /^Message-ID: (.*)$/im.exec(m.raw)?.[1]?.trim()).sort();
    expect(ids).toEqual(docs.map((d) => d.messageId).sort());
  });

  it('a drop before DATA is surely not accepted: retried with the same Message-ID until delivered, once each', async () => {
    const settings = settingsFor(relay.url);
    await raise8(settings, 'early');
    relay.mode = 'drop-at-data';
    await rounds(settings, relay.url, 2);
    expect(sink.mails).toHaveLength(0);
    const pending = await alertsCollection(store).find({}).toArray();
    expect(pending.map((d) => [d.status, d.attempts])).toEqual(Array(8).fill(['pending', 2]));
    relay.mode = 'pass';
    await rounds(settings, relay.url, 3);
    expect(sink.mails).toHaveLength(8);
    const sent = await alertsCollection(store).find({}).toArray();
    expect(sent.map((d) => d.status)).toEqual(Array(8).fill('sent'));
    const headerIds = sink.mails.map((m) => /^Message-ID: (.*)$/im.exec(m.raw)?.[1]?.trim()).sort();
    expect(headerIds).toEqual(pending.map((d) => d.messageId).sort()); // the id recorded at the first attempt
  });

  it('SMTP down (connection refused): pending and retried, never unconfirmed', async () => {
    const downUrl = 'smtp://127.0.0.1:1?tls=off';
    const settings = settingsFor(downUrl);
    await raise8(settings, 'down');
    await rounds(settings, downUrl, 1);
    const docs = await alertsCollection(store).find({}).toArray();
    expect(docs.map((d) => d.status)).toEqual(Array(8).fill('pending'));
    expect(docs.every((d) => d.attempts === 1 && /SMTP/.test(d.lastError ?? ''))).toBe(true);
  });

  it('a send interrupted by a dead worker (attempt on record, no outcome) is not sent again', async () => {
    const settings = settingsFor(sink.url);
    await raise8(settings, 'crash');
    await alertsCollection(store).updateOne({ _id: 'alert:crash0:desk@example.org' }, { $set: { attemptStartedAt: new Date(Date.now() - 600_000) } });
    await rounds(settings, sink.url, 2);
    expect(sink.mails).toHaveLength(7);
    expect((await alertsCollection(store).findOne({ _id: 'alert:crash0:desk@example.org' }))?.status).toBe('unconfirmed');
  });

  it('classification (pure)', () => {
    expect(classifySmtpFailure({ code: 'ESOCKET' }, false)).toBe('not-accepted');
    expect(classifySmtpFailure({ code: 'ECONNECTION' }, true)).toBe('unknown');
    expect(classifySmtpFailure({ code: 'ETIMEDOUT' }, true)).toBe('unknown');
    expect(classifySmtpFailure({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, true)).toBe('not-accepted'); // even without a probe
    expect(classifySmtpFailure({ code: 'EENVELOPE', responseCode: 451 }, false)).toBe('not-accepted');
    expect(classifySmtpFailure({ code: 'EMESSAGE', responseCode: 452 }, true)).toBe('not-accepted');
    expect(stableMessageId(['b', 'a'], 'hw <alerts@hw.example>')).toBe(stableMessageId(['a', 'b'], 'x <y@hw.example>'));
  });
});
