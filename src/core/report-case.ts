// The report-case model (issue 20): what an analyst reports to a platform, its evidence, and its lifecycle.
// Pure: types, the state machine, target ids and the re-check schedule. Storage: src/store/repos/report-cases.ts;
// lifecycle (rules, packs, approval, sending): src/reports/; re-checks and the scorecard: src/reports/recheck*, scorecard*.

/**
 * Platforms a case can be about: the watched ones (crawlers/registry.ts, which the core cannot import: a unit test
 * checks that every registered platform is here), and platforms reported in-app only (from an analyst's URL).
 */
export const REPORT_PLATFORMS = ['telegram', 'rss', 'html', 'browser', 'youtube', 'archive', 'telegram-api', 'x', 'facebook', 'instagram'] as const;
export type ReportPlatform = (typeof REPORT_PLATFORMS)[number];

/**
 * `draft` (opened, waiting for an analyst) → `approved` → `sent` (the pack went out through the mail outbox) or
 * `sent_manually` (reported by hand, with the platform's ticket number) → `offline` (every target gone) or
 * `still_online` (a target still online when the case fell due). `withdrawn` at any point before `offline`.
 */

export const CASE_STATES = ['draft', 'approved', 'sent', 'sent_manually', 'offline', 'still_online', 'withdrawn'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States in which a case is open: a new case for one of its targets merges into it. */
export const OPEN_CASE_STATES: readonly CaseState[] = ['draft', 'approved', 'sent', 'sent_manually', 'still_online'];

/** States after a report went out (re-checks run, the scorecard counts the case as reported). */
export const REPORTED_CASE_STATES: readonly CaseState[] = ['sent', 'sent_manually', 'offline', 'still_online'];

const NEXT: Record<CaseState, readonly CaseState[]> = {
  draft: ['approved', 'withdrawn'],
  approved: ['sent', 'sent_manually', 'withdrawn'],
  sent: ['offline', 'still_online', 'withdrawn'],
  sent_manually: ['offline', 'still_online', 'withdrawn'],
  // re-approving a case whose targets are still online reports them again
  still_online: ['offline', 'approved', 'withdrawn'],
  offline: [],
  withdrawn: [],
};

/** How a case came to be: an alert kind that a reporting rule turned into a case, or an analyst's request. */
export const CASE_KINDS = ['resurfaced', 'reupload_after_takedown', 'hashlist_match', 'channel', 'post', 'media_cluster'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export type TargetKind = 'channel' | 'post' | 'media';

/** How a target was seen offline: the platform's removal banner, a 404/not-found page, made private, the account terminated, or the item gone otherwise. */
export const OFFLINE_HOW = ['removed_banner', 'not_found', 'private', 'account_terminated', 'gone'] as const;
export type OfflineHow = (typeof OFFLINE_HOW)[number];

/** What one re-check of a reported target saw. `unknown`: the page could not tell (nothing is recorded). */
export type TargetCheck = { state: 'online'; views?: number } | { state: 'offline'; how: OfflineHow; words?: string } | { state: 'unknown'; why: string };

/** A platform's stated reason for a gone video, item or channel (core/model.ts TAKEDOWN_REASONS) → how the target went offline. */
export function offlineHowFromReason(reason: string): OfflineHow {
  switch (reason) {
    case 'account_terminated':
      return 'account_terminated';
    case 'private':
      return 'private';
    case 'not_found':
      return 'not_found';
    case 'tos_violation':
      return 'removed_banner';
    default:
      return 'gone';
  }
}

export interface OfflineSeen {
  at: Date;
  how: OfflineHow;
  /** The platform's own words ("This channel can't be displayed because it violated Telegram's Terms of Service."). */
  words?: string;
}

/** One URL on the case's platform. */
export interface ReportTarget {
  /** `<platform>:<kind>:<natural key>` (targetId): the same target always has the same id. */
  id: string;
  url: string;
  kind: TargetKind;
  channelKey?: string;
  postKey?: string;
  clusterId?: string;
  /** A watched source's channel: its normal checks see it go offline (no re-check jobs). */
  watched: boolean;
  firstSeenAt?: Date;
  viewsFirstSeen?: number;
  viewsNow?: number;
  postCount?: number;
  offline?: OfflineSeen;
  lastCheckedAt?: Date;
}

/** The evidence a report carries. Hashes and facts only, never media bytes. */
export interface CaseEvidence {
  predecessor?: { channelKey: string; handle: string; takedownAt?: Date; reason?: string };
  /** The resurfacing score and its signals (name → value). */
  score?: number;
  signals?: Record<string, number>;
  /** PDQ Hamming distances of the matched pictures/frames. */
  pdqDistances?: number[];
  matchedVia?: string;
  hashList?: { list: string; entity?: string; campaign?: string };
  /** The analyst's own words. */
  note?: string;
}

/** One step of a case's life, with its time and who made it (`rule:<name>`, `token:<name>`, `system`). */
export interface CaseStep {
  state: CaseState | 'merged';
  at: Date;
  by: string;
  note?: string;
  ticket?: string;
  messageId?: string;
}

export interface ReportCase {
  /** `<primary target id>` (so a second case for the same target finds the open one by `_id`). */
  _id: string;
  platform: ReportPlatform;
  kind: CaseKind;
  state: CaseState;
  openedBy: string;
  sourceIds: string[];
  tags: string[];
  targets: ReportTarget[];
  evidence: CaseEvidence;
  history: CaseStep[];
  createdAt: Date;
  updatedAt: Date;
  /** UTC day of createdAt (YYYY-MM-DD), written at insert (scorecard periods). */
  day: string;
  approvedAt?: Date;
  reportedAt?: Date;
  offlineAt?: Date;
  messageId?: string;
  ticket?: string;
  /** When an unanswered report raises `report_overdue` (reportedAt + reporting.overdueHours). */
  dueAt?: Date;
  overdueAlertedAt?: Date;
  /** The alert keys (or analyst requests) merged into the case: the same one merged twice is a no-op. */
  keys?: string[];
  /** A send waiting in the mail outbox (state stays `approved` until the outbox confirms it; then `sent`). */
  sending?: { outboxId: string; queuedAt: Date; by: string; targetIds: string[] };
}

export class CaseTransitionError extends Error {
  constructor(
    readonly caseId: string,
    readonly from: CaseState,
    readonly to: CaseState,
  ) {
    super(`case ${caseId}: cannot go from "${from}" to "${to}" (allowed: ${NEXT[from].join(', ') || 'none, the case is closed'})`);
    this.name = 'CaseTransitionError';
  }
}

export function canTransition(from: CaseState, to: CaseState): boolean {
  return NEXT[from].includes(to);
}

/** Pure: the case after one step, its history appended. Throws CaseTransitionError for a step the lifecycle does not allow. */
export function transition(c: ReportCase, to: CaseState, step: Omit<CaseStep, 'state'>): ReportCase {
  if (!canTransition(c.state, to)) throw new CaseTransitionError(c._id, c.state, to);
  const next: ReportCase = { ...c, state: to, updatedAt: step.at, history: [...c.history, { ...step, state: to }] };
  if (to === 'approved') next.approvedAt = step.at;
  if (to === 'sent' || to === 'sent_manually') next.reportedAt = step.at;
  if (to === 'offline') next.offlineAt = step.at;
  if (step.ticket) next.ticket = step.ticket;
  if (step.messageId) next.messageId = step.messageId;
  return next;
}

/** Pure: a target's id from its platform, kind and natural key (lowercased: handles are case-insensitive). */
export function targetId(platform: ReportPlatform, kind: TargetKind, key: string): string {
  return `${platform}:${kind}:${key.toLowerCase()}`;
}

/** When a reported target is re-checked (settings `reporting.recheckMinutes`, `recheckEveryHours`, `recheckMaxDays`). */
export interface RecheckSchedule {
  /** The first re-checks' delays, each after the one before (default 10 min, 30 min, 1 h, 3 h, 6 h). */
  stepsMinutes: readonly number[];
  /** Then one re-check this often (default 12 h). */
  everyHours: number;
  /** Until this long after the report (default 30 days). */
  maxDays: number;
}

export const DEFAULT_RECHECK_SCHEDULE: RecheckSchedule = { stepsMinutes: [10, 30, 60, 180, 360], everyHours: 12, maxDays: 30 };

/**
 * Pure: the delay of a reported target's next re-check, ms: the schedule's steps, then every `everyHours`, until
 * `maxDays` after the report. `attempt` counts from 0; undefined: no more checks.
 */
export function recheckDelayMs(attempt: number, sinceReportMs: number, schedule: RecheckSchedule = DEFAULT_RECHECK_SCHEDULE): number | undefined {
  const step = schedule.stepsMinutes[attempt];
  const delay = step !== undefined ? step * 60_000 : schedule.everyHours * 3_600_000;
  return sinceReportMs + delay > schedule.maxDays * 86_400_000 ? undefined : delay;
}
