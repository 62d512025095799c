import type { Collection } from 'mongodb';
import { collectionOf, type HasDb } from '../db-handle';

/** The alert outbox (`src/alerts/outbox.ts` raises, `sender.ts` delivers). */
export const ALERTS = 'alerts';

export const ALERT_KINDS = ['resurfaced', 'removed', 'hashlist_match', 'reupload_after_takedown', 'crawl_failing', 'report_overdue'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertDoc {
  _id: string; // alert:<key>:<recipient>
  key: string;
  /** `report`: not an alert but a report mail to a platform (src/reports/), delivered by the same outbox. */
  kind: AlertKind | 'report';
  rule: string;
  to: string;
  sourceId: string;
  /** The source's tags when raised (researcher filters). */
  tags: string[];
  /** Channels the alert is about (a resurfacing: predecessor and successor); empty for source-level alerts. */
  channels: string[];
  subject: string;
  text: string;
  html: string;
  digest: boolean;
  /** `unconfirmed`: the SMTP outcome is unknown (dropped after the body was sent); never sent again. */
  status: 'pending' | 'sent' | 'unconfirmed';
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil?: Date;
  lastError?: string;
  createdAt: Date;
  sentAt?: Date;
  /** Stable per alert (or digest): the same on every attempt. */
  messageId?: string;
  /** Set before an SMTP transaction starts, cleared when its outcome is known (a leftover: the worker died mid-send). */
  attemptStartedAt?: Date;
  /** Copies (report mails). */
  cc?: string[];
  /** Report mails: the case, and whether the case has recorded the outcome yet (src/reports/lifecycle.ts). */
  caseId?: string;
  caseRecorded?: boolean;
  /** Report mails: the platform reported to (a digest names it). */
  platform?: string;
}

/** The typed collection (researchers' listings filter it like the other timelines). */
export function alertsCollection(store: HasDb): Collection<AlertDoc> {
  return collectionOf<AlertDoc>(store, ALERTS);
}

/** Stores the alert unless one with its `_id` exists (a second raise is a no-op); true when it was new. */
export async function insertAlertIfNew(store: HasDb, doc: AlertDoc): Promise<boolean> {
  const r = await alertsCollection(store).updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
  return r.upsertedCount > 0;
}

/** One alert for its detail page, without its lease. */
export function findAlert(store: HasDb, id: string): Promise<Omit<AlertDoc, 'lockedUntil'> | null> {
  return alertsCollection(store).findOne({ _id: id }, { projection: { lockedUntil: 0 } });
}

/** Pending alerts due at `now`, oldest first (bounded by `limit`). */
export function dueAlerts(store: HasDb, now: Date, limit: number): Promise<AlertDoc[]> {
  return alertsCollection(store)
    .find({ status: 'pending', nextAttemptAt: { $lte: now } })
    .sort({ createdAt: 1 })
    .limit(limit)
    .toArray();
}

/** Takes the lease of a pending alert until `until` (free, or its lease expired before `now`); true when taken. */
export async function claimAlert(store: HasDb, id: string, now: Date, until: Date): Promise<boolean> {
  const r = await alertsCollection(store).updateOne(
    { _id: id, status: 'pending', $or: [{ lockedUntil: { $exists: false } }, { lockedUntil: { $lt: now } }] },
    { $set: { lockedUntil: until } },
  );
  return r.modifiedCount === 1;
}

/** Alerts to `to` sent (or possibly sent) since `since`. */
export function countSentSince(store: HasDb, to: string, since: Date): Promise<number> {
  return alertsCollection(store).countDocuments({ to, status: { $in: ['sent', 'unconfirmed'] }, sentAt: { $gte: since } });
}

/** Throttled: tried again at `next`, its lease released. */
export async function deferAlert(store: HasDb, id: string, next: Date): Promise<void> {
  await alertsCollection(store).updateOne({ _id: id }, { $set: { nextAttemptAt: next }, $unset: { lockedUntil: '' } });
}

/** The attempt is on record (with its stable Message-ID) before the SMTP server sees anything. */
export async function markAttemptStarted(store: HasDb, id: string, at: Date, messageId: string): Promise<void> {
  await alertsCollection(store).updateOne({ _id: id }, { $set: { attemptStartedAt: at, messageId } });
}

/** The SMTP outcome is unknown: never sent again. */
export async function markAlertUnconfirmed(store: HasDb, id: string, at: Date, error: string): Promise<void> {
  await alertsCollection(store).updateOne(
    { _id: id },
    { $set: { status: 'unconfirmed', sentAt: at, lastError: `SMTP outcome unknown: ${error}` }, $unset: { lockedUntil: '', attemptStartedAt: '' } },
  );
}

/** Surely not accepted: stays pending, retried at `next`. */
export async function markAlertRetry(store: HasDb, id: string, r: { attempts: number; error: string; next: Date }): Promise<void> {
  await alertsCollection(store).updateOne(
    { _id: id },
    { $set: { attempts: r.attempts, lastError: `SMTP: ${r.error}`, nextAttemptAt: r.next }, $unset: { lockedUntil: '', attemptStartedAt: '' } },
  );
}

/** Accepted by the server. */
export async function markAlertSent(store: HasDb, id: string, r: { sentAt: Date; attempts: number; messageId: string }): Promise<void> {
  await alertsCollection(store).updateOne(
    { _id: id },
    {
      $set: { status: 'sent', sentAt: r.sentAt, attempts: r.attempts, messageId: r.messageId },
      $unset: { lockedUntil: '', lastError: '', attemptStartedAt: '' },
    },
  );
}

/** Report mails to platforms sent (or unconfirmed) since a time, all recipients together (`reporting.maxReportsPerHour`). */
export function countReportsSentSince(store: HasDb, since: Date): Promise<number> {
  return alertsCollection(store).countDocuments({ kind: 'report', status: { $in: ['sent', 'unconfirmed'] }, sentAt: { $gte: since } });
}
