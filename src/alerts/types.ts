export const ALERT_KINDS = ['resurfaced', 'removed', 'hashlist_match', 'reupload_after_takedown', 'crawl_failing'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What happened, before rules pick recipients. */
export interface AlertDraft {
  kind: AlertKind;
  /** Deduplication key: the same key never mails the same recipient twice. */
  key: string;
  sourceId: string;
  tags: string[];
  at: Date;
  /** Facts for the email: names, times, the evidence table. Never media bytes. */
  facts: Record<string, unknown>;
}

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
}
