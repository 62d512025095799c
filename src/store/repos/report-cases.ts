import type { Collection, Filter } from 'mongodb';
import type { Platform } from '../../config/schema';
import type { CaseState, ReportCase, ReportTarget } from '../../core/report-case';
import { collectionOf, type HasDb } from '../db-handle';
import type { MediaClusterDoc, SightingDoc } from '../media-types';
import { alertsCollection, type AlertDoc } from './alerts';
import { channelsCollection, handlesCollection, type ChannelDoc } from './channels';
import { clustersCollection, sightingsCollection } from './media';
import { postsCollection, type PostDoc } from './posts';

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
  // a second case for one of a case's targets finds the open case (merge)
  await reportCases(store).createIndex({ 'targets.id': 1 }, { name: 'target_ids' });
}

/** A stored case with its lists present (FerretDB may leave an empty array out of an upserted document). */
function withLists(c: ReportCase | null): ReportCase | null {
  return c && { ...c, sourceIds: c.sourceIds ?? [], tags: c.tags ?? [], targets: c.targets ?? [], history: c.history ?? [] };
}

export async function getCase(store: HasDb, id: string): Promise<ReportCase | null> {
  return withLists(await reportCases(store).findOne({ _id: id }));
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

// ---- reads and writes of the reporting lifecycle (src/reports/): every DB access of issue 20 is here ----

/** The open case (one of `states`) that holds one of these targets, if any: by `_id` first, then one indexed read. */
export async function findCaseWithTargets(store: HasDb, ids: readonly string[], states: readonly CaseState[]): Promise<ReportCase | null> {
  for (const id of ids.slice(0, 1)) {
    const c = await getCase(store, id);
    if (c && states.includes(c.state)) return c;
  }
  return withLists(await reportCases(store).findOne({ 'targets.id': { $in: [...ids] }, state: { $in: [...states] } }));
}

export interface CaseListFilter {
  state?: CaseState;
  platform?: string;
  /** 1-based page of `pageSize` cases, newest change first. */
  page: number;
  pageSize: number;
}

/** One page of cases (newest change first) and whether there is another: a bounded read on the `state_updated` index. */
export async function listCases(store: HasDb, f: CaseListFilter): Promise<{ items: ReportCase[]; more: boolean }> {
  const q: Filter<ReportCase> = {};
  if (f.state) q.state = f.state;
  if (f.platform) q.platform = f.platform as ReportCase['platform'];
  const rows = await reportCases(store)
    .find(q)
    .sort({ updatedAt: -1, _id: 1 })
    .skip((f.page - 1) * f.pageSize)
    .limit(f.pageSize + 1)
    .toArray();
  return { items: rows.slice(0, f.pageSize).map((c) => withLists(c) as ReportCase), more: rows.length > f.pageSize };
}

/** The report_targets documents of a report (one per target): the re-report window and the re-checks read them. */
export async function upsertReportTargets(store: HasDb, c: ReportCase, targets: readonly ReportTarget[], reportedAt: Date): Promise<void> {
  for (const t of targets) {
    const doc: Omit<ReportTargetDoc, '_id'> = {
      caseId: c._id,
      platform: c.platform,
      url: t.url,
      kind: t.kind,
      watched: t.watched,
      ...(t.channelKey ? { channelKey: t.channelKey } : {}),
      ...(t.postKey ? { postKey: t.postKey } : {}),
      reportedAt,
      checks: 0,
    };
    await reportTargets(store).updateOne({ _id: t.id }, { $set: doc, $unset: { lastCheckedAt: '', offline: '' } }, { upsert: true });
  }
}

/** Reported targets by id (the re-report window), read by `_id`. */
export function getReportTargets(store: HasDb, ids: readonly string[]): Promise<ReportTargetDoc[]> {
  return reportTargets(store)
    .find({ _id: { $in: [...ids] } })
    .limit(ids.length)
    .toArray();
}

// ---- the report mail in the alert outbox (`alerts` collection, kind `report`) ----

export function outboxCollection(store: HasDb): Collection<AlertDoc> {
  return alertsCollection(store);
}

/** Stores the report mail once (`$setOnInsert` on its deterministic `_id`): a repeated send is a no-op. */
export async function queueReportMail(store: HasDb, doc: AlertDoc): Promise<boolean> {
  const r = await outboxCollection(store).updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
  return r.upsertedCount === 1;
}

/** Report mails the outbox has finished (sent, or unconfirmed) whose case has not recorded it yet; bounded. */
export function unrecordedReportMails(store: HasDb, limit = 50): Promise<AlertDoc[]> {
  return outboxCollection(store)
    .find({ kind: 'report', status: { $in: ['sent', 'unconfirmed'] }, caseRecorded: false })
    .limit(limit)
    .toArray();
}

export async function markReportMailRecorded(store: HasDb, id: string): Promise<void> {
  await outboxCollection(store).updateOne({ _id: id }, { $set: { caseRecorded: true } });
}

/** Drops a report mail that has not started going out (a withdrawn case); false when it is already on its way or gone. */
export async function cancelReportMail(store: HasDb, id: string): Promise<boolean> {
  const r = await outboxCollection(store).deleteOne({ _id: id, status: 'pending', attemptStartedAt: { $exists: false } });
  return r.deletedCount === 1;
}

// ---- what a case is about: channels, posts, clusters (bounded reads by `_id` or indexed keys) ----

export interface CaseSubjectReads {
  channel(key: string): Promise<ChannelDoc | null>;
  post(key: string): Promise<PostDoc | null>;
  /** The channel a handle names (`tg:<handle>` in channel_handles). */
  channelByHandle(platform: string, handle: string): Promise<string | undefined>;
  /** Posts in a channel, counted up to 10,000. */
  postCount(channelKey: string): Promise<number>;
  cluster(id: string): Promise<MediaClusterDoc | null>;
  /** The latest 500 sightings of a cluster. */
  sightings(clusterId: string): Promise<SightingDoc[]>;
  posts(keys: readonly string[]): Promise<PostDoc[]>;
}

export function caseSubjectReads(store: HasDb): CaseSubjectReads {
  const channels = channelsCollection(store);
  const posts = postsCollection(store);
  const handles = handlesCollection(store);
  return {
    channel: (key) => channels.findOne({ _id: key }),
    post: (key) => posts.findOne({ _id: key }),
    channelByHandle: async (platform, handle) =>
      platform === 'telegram' ? (await handles.findOne({ _id: `tg:${handle.toLowerCase()}` }))?.channelKey : undefined,
    postCount: (channelKey) => posts.countDocuments({ channelKey }, { limit: 10_000 }),
    cluster: (id) => clustersCollection(store).findOne({ _id: id }),
    sightings: (clusterId) => sightingsCollection(store).find({ clusterId }).sort({ at: -1 }).limit(500).toArray(),
    posts: (keys) =>
      posts
        .find({ _id: { $in: [...keys] } })
        .limit(keys.length)
        .toArray(),
  };
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
  return { cases: docs.slice(0, limit).map((c) => withLists(c) as ReportCase), truncated: docs.length > limit };
}
