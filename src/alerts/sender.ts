import nodemailer, { type Transporter } from 'nodemailer';
import type { Settings } from '../config/schema';
import { computeBackoffMs } from '../queue/backoff';
import type { Store } from '../store/store';
import { TypedEmitter } from '../util/typed-emitter';
import { renderReportDigest } from '../reports/packs/digest';
import { renderDigest } from './render';
import {
  claimAlert,
  countReportsSentSince,
  countSentSince,
  deferAlert,
  dueAlerts,
  markAlertRetry,
  markAlertSent,
  markAlertUnconfirmed,
  markAttemptStarted,
  type AlertDoc,
} from '../store/repos/alerts';
import { attachProbe, classifySmtpFailure, DataPhaseProbe, probeOf, stableMessageId, type SmtpFailure } from './delivery-outcome';

export interface SenderEvents {
  /** `latencyMs`: from the alert being raised to the server accepting it. */
  sent: (e: { id: string; to: string; subject: string; kind: string; latencyMs: number }) => void;
  failed: (e: { id: string; to: string; kind: string; error: string; attempts: number }) => void;
  /** The message may or may not have been accepted; it is not sent again (at most once when unknown). */
  unconfirmed: (e: { id: string; to: string; error: string; messageId: string }) => void;
}

export interface SenderHooks {
  /** Runs after every delivery round (the report cases record their sent mails: src/reports/lifecycle.ts). */
  afterRound?: () => Promise<void>;
}

export function smtpTransport(smtpUrl: string, timeoutMs: number): Transporter {
  const u = new URL(smtpUrl);
  const probe = new DataPhaseProbe();
  return attachProbe(
    nodemailer.createTransport({
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)),
      secure: u.protocol === 'smtps:',
      ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
      ignoreTLS: u.searchParams.get('tls') === 'off',
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // the transaction log (commands and replies, never the message) tells whether the body was invited
      transactionLog: true,
      logger: probe.logger,
    }),
    probe,
  );
}

/**
 * Delivers stored alerts over SMTP. Each alert is claimed with a lease (several workers may run senders), the
 * attempt is recorded with a stable Message-ID before the SMTP transaction, then the outcome:
 * - accepted (final 250): `sent`;
 * - surely not accepted (no connection, a refusal before the body, a negative final reply): stays `pending`, retried
 *   with exponential backoff, so no alert is lost while SMTP is down;
 * - unknown (the body went out and the final reply never came, or a worker died mid-send): `unconfirmed`, never
 *   sent again. The promise is: each alert mail is sent once, at most once when the outcome is unknown.
 * Per-recipient hourly throttle; digest rules are collected into one email per recipient per `digestMinutes`.
 */
export class AlertSender extends TypedEmitter<SenderEvents> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly store: Store,
    private readonly settings: Settings,
    private readonly transport: Transporter,
    private readonly now: () => Date = () => new Date(),
    private readonly hooks: SenderHooks = {},
  ) {
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

  private claim(doc: AlertDoc, now: Date): Promise<boolean> {
    return claimAlert(this.store, doc._id, now, new Date(now.getTime() + this.settings.alerts.smtpTimeoutMs * 4));
  }

  private async round(): Promise<void> {
    const now = this.now();
    const due = await dueAlerts(this.store, now, 100);
    const digests = new Map<string, AlertDoc[]>();
    for (const a of due) {
      if (a.digest) {
        // alerts to analysts and report mails to platforms never share a digest, each with its own period
        const waitMin = a.kind === 'report' ? this.settings.reporting.digestMinutes : this.settings.alerts.digestMinutes;
        const key = `${a.kind === 'report' ? 'report' : 'alert'}:${a.to}`;
        if (now.getTime() - a.createdAt.getTime() >= waitMin * 60_000) digests.set(key, [...(digests.get(key) ?? []), a]);
        continue;
      }
      if (!(await this.claim(a, now))) continue;
      if (a.attemptStartedAt) {
        await this.markUnconfirmed([a], 'a send was in progress when its worker stopped; the outcome is unknown');
        continue;
      }
      if ((await this.throttled(a.to, now)) || (a.kind === 'report' && (await this.reportsThrottled(now)))) {
        await deferAlert(this.store, a._id, new Date(now.getTime() + 5 * 60_000));
        continue;
      }
      await this.deliver([a], { subject: a.subject, text: a.text, html: a.html });
    }
    for (const [key, list] of digests) {
      if (key.startsWith('report:') && (await this.reportsThrottled(now))) {
        for (const a of list) await deferAlert(this.store, a._id, new Date(now.getTime() + 5 * 60_000));
        continue;
      }
      const claimed: AlertDoc[] = [];
      for (const a of list) if (await this.claim(a, now)) claimed.push(a);
      const interrupted = claimed.filter((a) => a.attemptStartedAt);
      if (interrupted.length) await this.markUnconfirmed(interrupted, 'a send was in progress when its worker stopped; the outcome is unknown');
      const fresh = claimed.filter((a) => !a.attemptStartedAt);
      if (fresh.length) await this.deliver(fresh, key.startsWith('report:') ? renderReportDigest(fresh) : renderDigest(fresh));
    }
    await this.hooks.afterRound?.();
  }

  /** Report mails to platforms: at most `reporting.maxReportsPerHour`, all recipients together; the rest wait. */
  private async reportsThrottled(now: Date): Promise<boolean> {
    const since = new Date(now.getTime() - 3600_000);
    return (await countReportsSentSince(this.store, since)) >= this.settings.reporting.maxReportsPerHour;
  }

  private async throttled(to: string, now: Date): Promise<boolean> {
    const since = new Date(now.getTime() - 3600_000);
    const n = await countSentSince(this.store, to, since);
    return n >= this.settings.alerts.maxPerHourPerRecipient;
  }

  /** The outcome is unknown: never resent (a duplicate would be worse than the honest record). */
  private async markUnconfirmed(alerts: AlertDoc[], error: string): Promise<void> {
    const at = this.now();
    for (const a of alerts) {
      const messageId = a.messageId ?? stableMessageId([a._id], this.settings.alerts.from);
      await markAlertUnconfirmed(this.store, a._id, at, error);
      this.emit('unconfirmed', { id: a._id, to: a.to, error, messageId });
    }
  }

  private async deliver(alerts: AlertDoc[], mail: { subject: string; text: string; html: string }): Promise<void> {
    const to = (alerts[0] as AlertDoc).to;
    const messageId = stableMessageId(
      alerts.map((a) => a._id),
      this.settings.alerts.from,
    );
    // 1. the attempt is on record before the server sees anything
    const startedAt = this.now();
    for (const a of alerts) await markAttemptStarted(this.store, a._id, startedAt, messageId);
    const probe = probeOf(this.transport);
    probe?.reset();
    try {
      // a report digest goes to one platform's addresses: its copies too
      const cc = alerts.length === 1 || alerts.every((a) => a.kind === 'report') ? alerts[0]?.cc : undefined;
      await this.transport.sendMail({
        from: this.settings.alerts.from,
        to,
        ...(cc?.length ? { cc } : {}),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId,
      });
    } catch (err) {
      const error = (err as Error).message;
      // a transport without a probe cannot tell a drop before the body from one after it: assume the worst
      const outcome = classifySmtpFailure(err as SmtpFailure, probe ? probe.bodyInvited : true);
      if (outcome === 'unknown') {
        await this.markUnconfirmed(
          alerts.map((a) => ({ ...a, messageId })),
          error,
        );
        return;
      }
      for (const a of alerts) {
        const attempts = a.attempts + 1;
        const delay = computeBackoffMs(attempts, { baseMs: this.settings.alerts.retryBaseMs, maxMs: this.settings.alerts.retryMaxMs });
        await markAlertRetry(this.store, a._id, { attempts, error, next: new Date(this.now().getTime() + delay) });
        this.emit('failed', { id: a._id, to, kind: a.kind, error, attempts });
      }
      return;
    }
    const sentAt = this.now();
    for (const a of alerts) {
      await markAlertSent(this.store, a._id, { sentAt, attempts: a.attempts + 1, messageId });
      this.emit('sent', { id: a._id, to, subject: mail.subject, kind: a.kind, latencyMs: sentAt.getTime() - a.createdAt.getTime() });
    }
  }
}
