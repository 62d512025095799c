export type AlertKind = 'resurfaced' | 'removed' | 'hashlist_match' | 'reupload_after_takedown' | 'crawl_failing';

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
  kind: AlertKind;
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
  status: 'pending' | 'sent';
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil?: Date;
  lastError?: string;
  createdAt: Date;
  sentAt?: Date;
  messageId?: string;
}
