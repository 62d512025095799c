import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';

/**
 * What an SMTP failure says about delivery. `not-accepted`: the server surely did not take the message (no
 * connection, a refusal before the body was sent, or a negative final reply) — safe to retry. `unknown`: the body
 * was sent and the final reply never came (connection dropped, timeout) — the server may have accepted it.
 */
export type SmtpOutcome = 'not-accepted' | 'unknown';

export interface SmtpFailure {
  code?: string;
  /** The system error under nodemailer's code (ECONNREFUSED under ESOCKET…). */
  originalCode?: string;
  responseCode?: number;
}

/** Errors that mean no SMTP session was ever open: nothing can have been accepted. */
const NEVER_CONNECTED = new Set(['EDNS', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** Pure: classify an SMTP failure, given whether the server had invited the message body (354 to DATA). */
export function classifySmtpFailure(err: SmtpFailure, bodyInvited: boolean): SmtpOutcome {
  if (typeof err.responseCode === 'number' && err.responseCode >= 400) return 'not-accepted'; // an explicit refusal
  if (NEVER_CONNECTED.has(err.code ?? '') || NEVER_CONNECTED.has(err.originalCode ?? '')) return 'not-accepted';
  return bodyInvited ? 'unknown' : 'not-accepted';
}

/** Pure: a Message-ID that is the same for every attempt at the same mail (one alert, or one digest of alerts). */
export function stableMessageId(alertIds: readonly string[], from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'hydrawatch.local';
  const digest = createHash('sha256')
    .update([...alertIds].sort().join('\n'))
    .digest('hex')
    .slice(0, 32);
  return `<hw.${digest}@${domain}>`;
}

/**
 * Watches one transport's SMTP transaction log for the server's invitation to send the body (a 2xx/3xx reply to
 * DATA). Transports made by `smtpTransport` carry one; a foreign transport has none, and then every failure after
 * the connection is up counts as `unknown`.
 */
export class DataPhaseProbe {
  private lastClientCommand = '';
  bodyInvited = false;
  reset(): void {
    this.lastClientCommand = '';
    this.bodyInvited = false;
  }
  /** nodemailer's logger interface (bunyan-like); only transaction lines matter. */
  readonly logger = {
    level: (): void => undefined,
    trace: (): void => undefined,
    info: (): void => undefined,
    warn: (): void => undefined,
    error: (): void => undefined,
    fatal: (): void => undefined,
    debug: (entry: { tnx?: string } | undefined, line?: unknown): void => {
      if (typeof line !== 'string') return;
      if (entry?.tnx === 'client') this.lastClientCommand = line.trim().toUpperCase();
      else if (entry?.tnx === 'server' && this.lastClientCommand === 'DATA' && /^[23]/.test(line)) this.bodyInvited = true;
    },
  };
}

const probes = new WeakMap<Transporter, DataPhaseProbe>();
export function attachProbe(t: Transporter, probe: DataPhaseProbe): Transporter {
  probes.set(t, probe);
  return t;
}
export function probeOf(t: Transporter): DataPhaseProbe | undefined {
  return probes.get(t);
}
