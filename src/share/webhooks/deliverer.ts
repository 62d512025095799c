import { request } from 'undici';
import type { Settings } from '../../config/schema';
import { EgressDeniedError, findEgressDenied, type EgressGuard } from '../../net/egress/guard';
import { computeBackoffMs } from '../../queue/backoff';
import type { Store } from '../../store/store';
import { TypedEmitter } from '../../util/typed-emitter';
import { ensureWebhookIndexes, webhookDeliveries, type WebhookSubscription } from './outbox';
import { signWebhook } from './signature';
import type { WebhookDeliveryDoc } from './types';

/** A receiver that did not answer within `webhookDelivery.timeoutMs`. Retried. */
export class WebhookTimeoutError extends Error {
  readonly code = 'WEBHOOK_TIMEOUT';
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`WEBHOOK_TIMEOUT: ${url} did not answer within ${timeoutMs} ms`);
    this.name = 'WebhookTimeoutError';
  }
}

export interface DelivererEvents {
  delivered: (e: { id: string; subscription: string; status: number; attempts: number; latencyMs: number }) => void;
  failed: (e: { id: string; subscription: string; error: string; attempts: number; retryInMs: number }) => void;
  dead: (e: { id: string; subscription: string; error: string; attempts: number }) => void;
}

/** Pure: the delay before attempt `attempts + 1` (exponential with full jitter, `random` fixed in tests). */
export function webhookRetryDelayMs(attempts: number, d: Settings['webhookDelivery'], random: () => number = Math.random): number {
  return computeBackoffMs(attempts, { baseMs: d.retryBaseMs, maxMs: d.retryMaxMs }, undefined, random);
}

type Outcome = { ok: true; status: number } | { ok: false; error: string; final: boolean; status?: number };

/**
 * Delivers `webhook_deliveries` (the outbox `enqueueWebhooks` fills): each due delivery is claimed with a lease,
 * signed (Standard Webhooks) and POSTed through the egress guard with a time limit. A 2xx answer: `delivered`. Any
 * other answer, a timeout or a connection error: retried with exponential backoff until `maxAttempts`, then `dead`.
 * A URL the egress policy refuses, or a subscription no longer in the settings: `dead` at once. The `webhook-id` is the
 * event's id on every attempt, so a receiver deduplicates retries (at least once, exactly once for a receiver that
 * keeps the ids it has seen).
 */
export class WebhookDeliverer extends TypedEmitter<DelivererEvents> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private indexed = false;

  constructor(
    private readonly store: Store,
    private readonly settings: () => Pick<Settings, 'webhooks' | 'webhookDelivery'>,
    private readonly egress: EgressGuard,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
  }

  start(): void {
    this.timer = setInterval(() => void this.tick().catch(() => undefined), this.settings().webhookDelivery.sendIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One delivery round (also called by tests). */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<void> {
    if (!this.indexed) {
      await ensureWebhookIndexes(this.store);
      this.indexed = true;
    }
    const now = this.now();
    const due = await webhookDeliveries(this.store)
      .find({ status: 'pending', nextAttemptAt: { $lte: now } })
      .sort({ nextAttemptAt: 1 })
      .limit(100)
      .toArray();
    for (const d of due) if (await this.claim(d, now)) await this.deliver(d);
  }

  private async claim(d: WebhookDeliveryDoc, now: Date): Promise<boolean> {
    const r = await webhookDeliveries(this.store).updateOne(
      { _id: d._id, status: 'pending', $or: [{ lockedUntil: { $exists: false } }, { lockedUntil: { $lt: now } }] },
      { $set: { lockedUntil: new Date(now.getTime() + this.settings().webhookDelivery.timeoutMs * 3) } },
    );
    return r.modifiedCount === 1;
  }

  private async deliver(d: WebhookDeliveryDoc): Promise<void> {
    const sub = this.settings().webhooks.find((s) => s.name === d.subscription);
    const outcome: Outcome = sub ? await this.post(sub, d) : { ok: false, error: `subscription "${d.subscription}" is no longer in the settings`, final: true };
    const attempts = d.attempts + 1;
    const at = this.now();
    const col = webhookDeliveries(this.store);
    if (outcome.ok) {
      await col.updateOne(
        { _id: d._id },
        { $set: { status: 'delivered', deliveredAt: at, attempts, lastStatus: outcome.status }, $unset: { lockedUntil: '', lastError: '' } },
      );
      this.emit('delivered', { id: d._id, subscription: d.subscription, status: outcome.status, attempts, latencyMs: at.getTime() - d.createdAt.getTime() });
      return;
    }
    const status = outcome.status !== undefined ? { lastStatus: outcome.status } : {};
    if (outcome.final || attempts >= this.settings().webhookDelivery.maxAttempts) {
      await col.updateOne({ _id: d._id }, { $set: { status: 'dead', deadAt: at, attempts, lastError: outcome.error, ...status }, $unset: { lockedUntil: '' } });
      this.emit('dead', { id: d._id, subscription: d.subscription, error: outcome.error, attempts });
      return;
    }
    const retryInMs = webhookRetryDelayMs(attempts, this.settings().webhookDelivery);
    await col.updateOne(
      { _id: d._id },
      { $set: { attempts, lastError: outcome.error, nextAttemptAt: new Date(at.getTime() + retryInMs), ...status }, $unset: { lockedUntil: '' } },
    );
    this.emit('failed', { id: d._id, subscription: d.subscription, error: outcome.error, attempts, retryInMs });
  }

  /** One signed POST under the egress guard and the time limit. */
  private async post(sub: WebhookSubscription, d: WebhookDeliveryDoc): Promise<Outcome> {
    const timeoutMs = this.settings().webhookDelivery.timeoutMs;
    const headers = { 'content-type': 'application/json', 'user-agent': 'hydrawatch-webhooks/1', ...signWebhook(sub.secret, d.eventId, this.now(), d.body) };
    try {
      this.egress.checkUrl(sub.url);
      const res = await request(sub.url, {
        method: 'POST',
        headers,
        body: d.body,
        dispatcher: this.egress.dispatcher(),
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await res.body.dump().catch(() => undefined);
      if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true, status: res.statusCode };
      return { ok: false, error: `HTTP ${res.statusCode} from ${sub.url}`, final: false, status: res.statusCode };
    } catch (err) {
      const denied = err instanceof EgressDeniedError ? err : findEgressDenied(err);
      if (denied) return { ok: false, error: `EGRESS_DENIED: ${denied.message} (add it to net.allow to allow it)`, final: true };
      if (isTimeout(err)) return { ok: false, error: new WebhookTimeoutError(sub.url, timeoutMs).message, final: false };
      return { ok: false, error: `${sub.url}: ${describe(err)}`, final: false };
    }
  }
}

function isTimeout(err: unknown): boolean {
  const e = err as { name?: string; code?: string };
  return e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT';
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: { message?: string; code?: string } };
  return e.cause?.code ? `${e.message} (${e.cause.code})` : e.message;
}
