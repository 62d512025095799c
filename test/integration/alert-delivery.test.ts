import { AlertSender, smtpTransport } from '../../src/alerts/sender';
import { raiseAlert } from '../../src/alerts/outbox';
import { alertsCollection } from '../../src/store/repos/alerts';
import { openStore, type Store } from '../../src/store/store';
import { testSettings } from '../support/pipeline-harness';
import { mongoUrl, uniqueName } from '../support/services';
import { startSmtpSink } from '../support/smtp-sink';
import { storeDb } from '../../src/store/db-handle';

/** Alert delivery on FerretDB and a real SMTP server: dedup by key, digest mode, hourly throttle. */
describe('alert delivery', () => {
  let store: Store;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwalerts') });
    smtp = await startSmtpSink();
  });
  afterAll(async () => {
    await storeDb(store).dropDatabase();
    await store.close();
    await smtp.close();
  });

  const draft = (key: string, kind: 'removed' | 'hashlist_match' = 'removed') => ({
    kind,
    key,
    sourceId: 's1',
    tags: ['t'],
    at: new Date(Date.now() - 2 * 3600_000),
    facts: { handle: key, channelKey: `tg:${key}` },
  });

  it("dedups by key, digests a rule's alerts into one email, and throttles per recipient without dropping", async () => {
    const settings = testSettings({
      alerts: {
        smtpUrl: smtp.url,
        digestMinutes: 60,
        maxPerHourPerRecipient: 2,
        rules: [
          { name: 'now', to: ['now@example.org'], kinds: ['removed'] },
          { name: 'digest', to: ['digest@example.org'], kinds: ['hashlist_match'], digest: true },
        ],
      },
    });
    expect(await raiseAlert(store, settings, draft('a'))).toBe(1);
    expect(await raiseAlert(store, settings, draft('a'))).toBe(0); // same key: nothing new
    await raiseAlert(store, settings, draft('b'));
    await raiseAlert(store, settings, draft('c'));
    for (const k of ['x', 'y', 'z']) await raiseAlert(store, settings, draft(k, 'hashlist_match'));
    const sender = new AlertSender(store, settings, smtpTransport(smtp.url, 5000));
    await sender.tick();
    await sender.stop();
    const now = smtp.mails.filter((m) => m.to.includes('now@example.org'));
    expect(now).toHaveLength(2); // throttled at 2 per hour
    const waiting = await alertsCollection(store).find({ to: 'now@example.org', status: 'pending' }).toArray();
    expect(waiting).toHaveLength(1); // kept, postponed
    expect(waiting[0]?.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    const digest = smtp.mails.filter((m) => m.to.includes('digest@example.org'));
    expect(digest).toHaveLength(1);
    expect(digest[0]?.subject).toBe('[hydrawatch] digest: 3 alerts');
    expect(await alertsCollection(store).countDocuments({ to: 'digest@example.org', status: 'sent' })).toBe(3);
  });
});
