import type { AlertKind } from '../store/repos/alerts';

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
