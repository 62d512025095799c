import { REPORTED_CASE_STATES, transition, type OfflineSeen, type ReportCase, type ReportTarget } from '../core/report-case';
import { getCase, replaceCaseIf, reportTargets, type ReportTargetDoc } from '../store/repos/report-cases';
import type { Store } from '../store/store';

/** How many times a case update is retried when someone else changed the case in between (compare-and-set). */
const CAS_TRIES = 8;

export class CaseChangedError extends Error {
  constructor(caseId: string) {
    super(`case ${caseId} kept changing under ${CAS_TRIES} attempts to update it; the update will be retried`);
    this.name = 'CaseChangedError';
  }
}

/** Pure: the case with one target's fields updated; when every target is offline, a reported case goes `offline`. */
export function withTargetUpdate(c: ReportCase, targetId: string, patch: Partial<ReportTarget>, at: Date): ReportCase {
  const targets = c.targets.map((t) => (t.id === targetId ? { ...t, ...patch } : t));
  const next: ReportCase = { ...c, targets, updatedAt: at };
  const allOffline = targets.length > 0 && targets.every((t) => t.offline);
  if (!allOffline || !REPORTED_CASE_STATES.includes(c.state) || c.state === 'offline') return next;
  const how = patch.offline ? `${patch.offline.how}${patch.offline.words ? `: ${patch.offline.words}` : ''}` : undefined;
  return transition(next, 'offline', { at, by: 'system', ...(how ? { note: how } : {}) });
}

/** Applies `change` to the stored case with compare-and-set (a re-check and an analyst acting at once both land). */
export async function updateCase(store: Store, caseId: string, change: (c: ReportCase) => ReportCase | undefined): Promise<ReportCase | undefined> {
  for (let i = 0; i < CAS_TRIES; i++) {
    const c = await getCase(store, caseId);
    if (!c) return undefined;
    const next = change(c);
    if (!next) return c;
    if (await replaceCaseIf(store, next, c.updatedAt)) return next;
  }
  throw new CaseChangedError(caseId);
}

/** Records what one re-check saw online (views, check time) on the target and its case. */
export async function recordOnline(store: Store, t: ReportTargetDoc, at: Date, views: number | undefined): Promise<void> {
  const patch: Partial<ReportTarget> = { lastCheckedAt: at, ...(views !== undefined ? { viewsNow: views } : {}) };
  await reportTargets(store).updateOne(
    { _id: t._id },
    { $set: { lastCheckedAt: at, checks: t.checks + 1, ...(views !== undefined ? { viewsNow: views } : {}) } },
  );
  await updateCase(store, t.caseId, (c) => withTargetUpdate(c, t._id, patch, at));
}

/**
 * A target seen offline (by its re-check, or by a watched channel's own check): recorded once, with its time and how
 * it was seen; its case goes `offline` when it was the last target online. Returns the case as updated.
 */
export async function markTargetOffline(store: Store, t: ReportTargetDoc, offline: OfflineSeen): Promise<ReportCase | undefined> {
  const r = await reportTargets(store).updateOne(
    { _id: t._id, offline: { $exists: false } },
    { $set: { offline, lastCheckedAt: offline.at, checks: t.checks + 1 } },
  );
  if (r.modifiedCount === 0) return undefined; // seen offline already (by another check)
  return updateCase(store, t.caseId, (c) =>
    c.targets.some((x) => x.id === t._id && !x.offline) ? withTargetUpdate(c, t._id, { offline, lastCheckedAt: offline.at }, offline.at) : undefined,
  );
}

/** Bounded: the reported targets of one channel (indexed by channelKey; a channel is reported a handful of times at most). */
const PER_CHANNEL_LIMIT = 200;

/**
 * A watched channel's own check saw it removed, private or gone: each of its reported targets still online goes
 * offline (the channel and, with it, its posts). Called on the channel's state events, never on a quiet check.
 */
export async function watchedChannelOffline(store: Store, channelKey: string, offline: OfflineSeen): Promise<number> {
  const targets = await reportTargets(store)
    .find({ channelKey, offline: { $exists: false } })
    .limit(PER_CHANNEL_LIMIT)
    .toArray();
  let n = 0;
  for (const t of targets) if (await markTargetOffline(store, t, offline)) n++;
  return n;
}

/** A watched source's re-check found one post gone (a video, an item): its reported target goes offline. */
export async function watchedPostOffline(store: Store, postKey: string, offline: OfflineSeen): Promise<boolean> {
  const t = await reportTargets(store).findOne({ postKey, offline: { $exists: false } });
  return t ? (await markTargetOffline(store, t, offline)) !== undefined : false;
}
