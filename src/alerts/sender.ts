import nodemailer, { type Transporter } from 'nodemailer';
import type { Settings } from '../config/schema';
import { computeBackoffMs } from '../queue/backoff';
import type { Store } from '../store/store';
import { TypedEmitter } from '../util/typed-emitter';
import { alertsCollection } from './outbox';
import { renderDigest } from './render';
import type { AlertDoc } from './types';

export interface SenderEvents {
  sent: (e: { id: string; to: string; subject: string }) => void;
  failed: (e: { id: string; to: string; error: string; attempts: number }) => void;
}

export function smtpTransport(smtpUrl: string, timeoutMs: number): Transporter {
  const u = new URL(smtpUrl);
  return nodemailer.createTransport({
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)),
    secure: u.protocol === 'smtps:',
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    ignoreTLS: u.searchParams.get('tls') === 'off',
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

/**
 * Delivers stored alerts over SMTP. Each alert is claimed with a lease (several workers may run senders), sent, then
 * marked sent; a failure (SMTP down) keeps it pending with exponential backoff, so no alert is lost. Per-recipient
 * hourly throttle; digest rules are collected into one email per recipient per `digestMinutes`.
 */
export class AlertSender extends TypedEmitter<SenderEvents> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly store: Store, private readonly settings: Settings, private readonly transport: Transporter, private readonly now: () => Date = () => new Date()) {
    super();
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.settings.alerts.sendIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.transport.close();
  }

  /** One delivery round (also called by tests and the CLI). */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async claim(doc: AlertDoc, now: Date): Promise<boolean> {
    const r = await alertsCollection(this.store).updateOne(
      { _id: doc._id, status: 'pending', $or: [{ lockedUntil: { $exists: false } }, { lockedUntil: { $lt: now } }] },
      { $set: { lockedUntil: new Date(now.getTime() + this.settings.alerts.smtpTimeoutMs * 4) } },
    );
    return r.modifiedCount === 1;
  }

  private async round(): Promise<void> {
    const now = this.now();
    const col = alertsCollection(this.store);
    const due = await col.find({ status: 'pending', nextAttemptAt: { $lte: now } }).sort({ createdAt: 1 }).limit(100).toArray();
    const digests = new Map<string, AlertDoc[]>();
    for (const a of due) {
      if (a.digest) {
        if (now.getTime() - a.createdAt.getTime() >= this.settings.alerts.digestMinutes * 60_000) digests.set(a.to, [...(digests.get(a.to) ?? []), a]);
        continue;
      }
      if (!(await this.claim(a, now))) continue;
      if (await this.throttled(a.to, now)) {
        await col.updateOne({ _id: a._id }, { $set: { nextAttemptAt: new Date(now.getTime() + 5 * 60_000) }, $unset: { lockedUntil: '' } });
        continue;
      }
      await this.deliver([a], { subject: a.subject, text: a.text, html: a.html });
    }
    for (const [, list] of digests) {
      const claimed: AlertDoc[] = [];
      for (const a of list) if (await this.claim(a, now)) claimed.push(a);
      if (claimed.length) await this.deliver(claimed, renderDigest(claimed));
    }
  }

  private async throttled(to: string, now: Date): Promise<boolean> {
    const since = new Date(now.getTime() - 3600_000);
    const n = await alertsCollection(this.store).countDocuments({ to, status: 'sent', sentAt: { $gte: since } });
    return n >= this.settings.alerts.maxPerHourPerRecipient;
  }

  private async deliver(alerts: AlertDoc[], mail: { subject: string; text: string; html: string }): Promise<void> {
    const col = alertsCollection(this.store);
    const to = (alerts[0] as AlertDoc).to;
    try {
      const info = (await this.transport.sendMail({ from: this.settings.alerts.from, to, subject: mail.subject, text: mail.text, html: mail.html })) as { messageId?: string };
      const sentAt = this.now();
      for (const a of alerts) {
        await col.updateOne({ _id: a._id }, { $set: { status: 'sent', sentAt, attempts: a.attempts + 1, ...(info.messageId ? { messageId: info.messageId } : {}) }, $unset: { lockedUntil: '', lastError: '' } });
        this.emit('sent', { id: a._id, to, subject: mail.subject });
      }
    } catch (err) {
      const error = (err as Error).message;
      for (const a of alerts) {
        const attempts = a.attempts + 1;
        const delay = computeBackoffMs(attempts, { baseMs: this.settings.alerts.retryBaseMs, maxMs: this.settings.alerts.retryMaxMs });
        await col.updateOne({ _id: a._id }, { $set: { attempts, lastError: `SMTP: ${error}`, nextAttemptAt: new Date(this.now().getTime() + delay) }, $unset: { lockedUntil: '' } });
        this.emit('failed', { id: a._id, to, error, attempts });
      }
    }
  }
}
