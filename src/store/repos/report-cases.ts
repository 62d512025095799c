import type { Collection } from 'mongodb';
import { collectionOf, type HasDb } from '../db-handle';
import type { ReportCase, ReportTarget } from '../../core/report-case';
import type { Platform } from '../../config/schema';

// Report cases (issue 20): one document per case (`_id`: its primary target's id), and one per reported target
// (`_id`: the target id) that says which case reported it and when: the re-report window and the re-checks read it
// by `_id`. Everything here reads by `_id` or a bounded, indexed range.

export const REPORT_CASES = 'report_cases';
export const REPORT_TARGETS = 'report_targets';

/** A reported target: its latest report and what its re-checks saw. */
export interface ReportTargetDoc {
  _id: string; // the target id (core/report-case.ts targetId)
  caseId: string;
  platform: string;
  url: string;
  kind: ReportTarget['kind'];
  watched: boolean;
  channelKey?: string;
  postKey?: string;
  reportedAt: Date;
  /** Re-checks made since the report (the schedule's position). */
  checks: number;
  lastCheckedAt?: Date;
  viewsNow?: number;
  offline?: ReportTarget['offline'];
}

export function reportCases(store: HasDb): Collection<ReportCase> {
  return collectionOf<ReportCase>(store, REPORT_CASES);
}

export function reportTargets(store: HasDb): Collection<ReportTargetDoc> {
  return collectionOf<ReportTargetDoc>(store, REPORT_TARGETS);
}

export async function ensureReportIndexes(store: HasDb): Promise<void> {
  await reportCases(store).createIndex({ platform: 1, day: 1 }, { name: 'platform_day' });
  await reportCases(store).createIndex({ state: 1, updatedAt: -1 }, { name: 'state_updated' });
  await reportCases(store).createIndex({ day: 1 }, { name: 'day' });
  await reportTargets(store).createIndex({ channelKey: 1 }, { name: 'channel_key', sparse: true });
  await reportTargets(store).createIndex({ postKey: 1 }, { name: 'post_key', sparse: true });
}

export function getCase(store: HasDb, id: string): Promise<ReportCase | null> {
  return reportCases(store).findOne({ _id: id });
}

/**
 * Writes `next` over the stored case only if the stored one still has `expectedUpdatedAt` (compare-and-set: two
 * analysts or a re-check and an analyst acting at once cannot both win). False: someone else changed it first.
 */
export async function replaceCaseIf(store: HasDb, next: ReportCase, expectedUpdatedAt: Date): Promise<boolean> {
  const r = await reportCases(store).replaceOne({ _id: next._id, updatedAt: expectedUpdatedAt }, next);
  return r.matchedCount === 1;
}

/** Inserts a new case; false when a case with that `_id` exists already (the caller merges into it). */
export async function insertCase(store: HasDb, c: ReportCase): Promise<boolean> {
  const r = await reportCases(store).updateOne({ _id: c._id }, { $setOnInsert: c }, { upsert: true });
  return r.upsertedCount === 1;
}

export function getReportTarget(store: HasDb, id: string): Promise<ReportTargetDoc | null> {
  return reportTargets(store).findOne({ _id: id });
}

/** Cases opened in a period of UTC days (inclusive), optionally of one platform: an indexed range, at most `limit` (+1 to tell truncation). */
export async function casesOpenedIn(
  store: HasDb,
  q: { from: string; to: string; platform?: Platform },
  limit: number,
): Promise<{ cases: ReportCase[]; truncated: boolean }> {
  const filter = { day: { $gte: q.from, $lte: q.to }, ...(q.platform ? { platform: q.platform } : {}) };
  const docs = await reportCases(store)
    .find(filter, { projection: { history: 0, evidence: 0 } })
    .sort({ day: 1, _id: 1 })
    .limit(limit + 1)
    .toArray();
  return { cases: docs.slice(0, limit), truncated: docs.length > limit };
}
