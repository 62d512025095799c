import { settingsSchema } from '../../src/config/schema';
import { webhookRetryDelayMs } from '../../src/share/webhooks/deliverer';
import { matchingWebhooks, webhookEventId, webhookPayload, type WebhookEvent } from '../../src/share/webhooks/outbox';
import { newWebhookSecret, signWebhook, verifyWebhook } from '../../src/share/webhooks/signature';

// The Standard Webhooks specification's published test vector (spec "Signature scheme", also the reference libraries' tests).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('webhook signatures (Standard Webhooks)', () => {
  it("reproduces the spec's test vector", () => {
    const h = signWebhook(VECTOR.secret, VECTOR.id, new Date(VECTOR.timestamp * 1000), VECTOR.body);
    expect(h).toEqual({ 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature });
  });

  it('verifies a fresh signature, and refuses a tampered body, another secret or an old timestamp', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ type: 'removed', id: 'msg_1', data: { channel: 'tg:1' } });
    const h = { ...signWebhook(secret, 'msg_1', new Date(), body) };
    expect(verifyWebhook(secret, body, h)).toBe(true);
    expect(verifyWebhook(secret, body.replace('tg:1', 'tg:2'), h)).toBe(false);
    expect(verifyWebhook(newWebhookSecret(), body, h)).toBe(false);
    const old = signWebhook(secret, 'msg_1', new Date(Date.now() - 3600_000), body);
    expect(verifyWebhook(secret, body, { ...old })).toBe(false);
  });
});

describe('webhook outbox (pure)', () => {
  const settings = settingsSchema.parse({
    alerts: { dashboardUrl: 'https://hw.example.org/' },
    webhooks: [
      { name: 'all', url: 'https://a.example.org/hook', secret: VECTOR.secret, kinds: ['removed', 'resurfaced'] },
      { name: 'tagged', url: 'https://b.example.org/hook', secret: VECTOR.secret, kinds: ['removed'], tags: ['far-right'] },
      { name: 'one-source', url: 'https://c.example.org/hook', secret: VECTOR.secret, kinds: ['removed'], sources: ['other'] },
    ],
  });
  const event: WebhookEvent = {
    kind: 'resurfaced',
    key: 'resurfaced:tg:1:tg:2',
    sourceId: 's1',
    tags: ['far-right'],
    at: new Date('2026-12-01T10:00:00Z'),
    facts: { predecessor: 'tg:1', successor: 'tg:2', score: 0.91 },
  };

  it('matches subscriptions by kind, tags and sources', () => {
    expect(matchingWebhooks(event, settings.webhooks).map((s) => s.name)).toEqual(['all']);
    expect(matchingWebhooks({ ...event, kind: 'removed' }, settings.webhooks).map((s) => s.name)).toEqual(['all', 'tagged']);
  });

  it('names the event, the channel, the evidence and links into the API; the id is stable per event key', () => {
    const p = webhookPayload(event, settings.alerts.dashboardUrl);
    expect(p.type).toBe('resurfaced');
    expect(p.id).toBe(webhookEventId(event.key));
    expect(p.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(p.data.channel).toBe('tg:1');
    expect(p.data.channels).toEqual(['tg:1', 'tg:2']);
    expect(p.data.evidence).toEqual(event.facts);
    expect(p.data.links).toEqual({
      channel: 'https://hw.example.org/api/v1/channels/tg%3A1',
      successor: 'https://hw.example.org/api/v1/channels/tg%3A2',
      alerts: 'https://hw.example.org/api/v1/alerts?kind=resurfaced',
    });
  });

  it('refuses a secret that is not whsec_<base64> and a name used twice', () => {
    const bad = settingsSchema.safeParse({ webhooks: [{ name: 'x', url: 'https://a.example.org/', secret: 'hunter2', kinds: ['removed'] }] });
    expect(bad.success).toBe(false);
    const twice = settingsSchema.safeParse({
      webhooks: [
        { name: 'x', url: 'https://a.example.org/', secret: VECTOR.secret, kinds: ['removed'] },
        { name: 'x', url: 'https://b.example.org/', secret: VECTOR.secret, kinds: ['removed'] },
      ],
    });
    expect(twice.success).toBe(false);
  });
});

describe('webhook retry schedule', () => {
  it('doubles from retryBaseMs up to retryMaxMs (jitter at its top), and stays within [half, full] with jitter', () => {
    const d = settingsSchema.parse({ webhookDelivery: { retryBaseMs: 1000, retryMaxMs: 30_000 } }).webhookDelivery;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => webhookRetryDelayMs(n, d, () => 1))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(webhookRetryDelayMs(3, d, () => 0)).toBe(2000);
    for (let i = 0; i < 50; i++) {
      const ms = webhookRetryDelayMs(4, d);
      expect(ms).toBeGreaterThanOrEqual(4000);
      expect(ms).toBeLessThanOrEqual(8000);
    }
  });
});
