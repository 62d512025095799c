import type { ReportCase, ReportPlatform, ReportTarget } from '../../core/report-case';

export const PACK_VARIANTS = ['platform', 'dsa'] as const;
export type PackVariant = (typeof PACK_VARIANTS)[number];
export const PACK_FORMATS = ['text', 'json', 'html'] as const;
export type PackFormat = (typeof PACK_FORMATS)[number];

/** How the platform takes the report: a mail to its configured address, its web form, or in its app only. */
export type PackChannel = 'mail' | 'form' | 'in-app';

export interface PackInput {
  case: ReportCase;
  variant: PackVariant;
  notifier: { name: string; email?: string };
  /** The configured addresses (reporting.platforms.<platform>); empty: the pack names the setting to fill in. */
  to: string[];
  cc: string[];
  /** The targets this report carries (default: all the case's targets; a re-report leaves out recently reported ones). */
  targets?: ReportTarget[];
}

/** A report pack: everything an analyst or the mail needs to report one case to one platform. Hashes and facts only. */
export interface ReportPack {
  caseId: string;
  platform: ReportPlatform;
  variant: PackVariant;
  channel: PackChannel;
  title: string;
  /** Mail platforms: the mail's recipients and subject. */
  mail?: { to: string[]; cc: string[]; subject: string };
  /** The platform's reason category (its report form's or app's words). */
  reason: string;
  /** The exact URLs reported, one per target. */
  urls: string[];
  /** Steps in the platform's app or form, in order. */
  steps: string[];
  /** Web form fields (YouTube), in the form's order. */
  form?: Array<{ field: string; value: string }>;
  /** The substantiated explanation, one paragraph each. */
  explanation: string[];
  /** The evidence table: label, value. */
  evidence: Array<[string, string]>;
  /** DSA Article 16 notice: who notifies, and the statement of good faith. */
  dsa?: { notifier: { name: string; email?: string }; goodFaith: string; legalBasis: string };
}
