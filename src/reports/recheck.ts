import { raiseAlert } from '../alerts/outbox';
import { caseChanged } from './case-events';
import type { Settings } from '../config/schema';
import { recheckDelayMs, transition, type OfflineHow, type ReportCase } from '../core/report-case';
import { getCase, getReportTarget } from '../store/repos/report-cases';
import type { Store } from '../store/store';
import { markTargetOffline, recordOnline, updateCase } from './offline';
import { enqueueRecheck, type RecheckJobData, type RecheckJobResult, type RecheckQueue, type ReportingTimes } from './recheck-job';
import { checkTarget, type TargetCheckDeps } from './target-check';

export interface RecheckDeps extends TargetCheckDeps {
  store: Store;
  settings: Settings;
  queue: RecheckQueue;
  times: ReportingTimes;
  now: () => Date;
}

/** Pure: where a reported URL is read: its path and query at the platform's configured re-check base URL, if any. */
export function readUrl(url: string, platform: string, bases: Settings['reporting']['recheckBaseUrls']): string {
  const base = platform === 'telegram' || platform === 'youtube' || platform === 'archive' ? bases[platform] : undefined;
  if (!base) return url;
  try {
    const u = new URL(url);
    return `${base.replace(/\/+$/, '')}${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

/**
 * One re-check of a reported target: reads it by `_id`, checks its page, records online (views) or offline (time and
 * how), and queues the next check on the back-off schedule until `recheckMaxDays` after the report. A job of an
 * older attempt (run twice after a stall) does nothing.
 */
export async function runTargetRecheck(deps: RecheckDeps, targetId: string, attempt: number): Promise<RecheckJobResult> {
  const t = await getReportTarget(deps.store, targetId);
  if (!t || t.offline) return { kind: 'recheck', id: targetId, outcome: 'done' };
  if (t.checks !== attempt) return { kind: 'recheck', id: targetId, outcome: 'stale' };
  const seen = await checkTarget(deps, { platform: t.platform, kind: t.kind, url: readUrl(t.url, t.platform, deps.settings.reporting.recheckBaseUrls) });
  const at = deps.now();
  if (seen.state === 'offline') {
    const c = await markTargetOffline(deps.store, t, { at, how: seen.how, ...(seen.words ? { words: seen.words } : {}) });
    if (c?.state === 'offline') await caseChanged(deps.store, deps.settings, c, undefined);
    return { kind: 'recheck', id: targetId, outcome: 'offline' };
  }
  await recordOnline(deps.store, t, at, seen.state === 'online' ? seen.views : undefined);
  const delay = recheckDelayMs(attempt + 1, at.getTime() - t.reportedAt.getTime(), deps.times.schedule);
  if (delay !== undefined) await enqueueRecheck(deps.queue, { kind: 'recheck', targetId, attempt: attempt + 1 }, delay);
  return { kind: 'recheck', id: targetId, outcome: seen.state, ...(delay !== undefined ? { next: delay } : {}) };
}

/** Pure: the overdue alert's facts (evidence only: URLs, times, states; never media). */
export function overdueFacts(c: ReportCase, at: Date): Record<string, unknown> {
  const online = c.targets.filter((t) => !t.offline);
  return {
    caseId: c._id,
    platform: c.platform,
    reportedAt: c.reportedAt,
    hoursSinceReport: c.reportedAt ? Math.round((at.getTime() - c.reportedAt.getTime()) / 360_000) / 10 : undefined,
    stillOnline: online.map((t) => t.url),
    ...(c.targets[0]?.channelKey ? { channelKey: c.targets[0].channelKey } : {}),
    ...(c.ticket ? { ticket: c.ticket } : {}),
  };
}

/**
 * The report's due time came: a case whose targets are not all offline goes `still_online`, and `report_overdue` is
 * raised (once per report: the alert key holds the report time). A case re-reported since has a later report time,
 * and this job is then about an older report: nothing happens.
 */
export async function runOverdueCheck(deps: RecheckDeps, caseId: string, reportedAt: string): Promise<RecheckJobResult> {
  const at = deps.now();
  await closeWatchedFromChannelState(deps, caseId);
  let overdue: ReportCase | undefined;
  await updateCase(deps.store, caseId, (c) => {
    overdue = undefined;
    if (c.reportedAt?.toISOString() !== reportedAt || (c.state !== 'sent' && c.state !== 'sent_manually')) return undefined;
    overdue = transition({ ...c, overdueAlertedAt: at }, 'still_online', { at, by: 'system', note: `online ${deps.times.overdueHours} h after the report` });
    return overdue;
  });
  if (!overdue) return { kind: 'overdue', id: caseId, outcome: 'answered' };
  await caseChanged(deps.store, deps.settings, overdue, undefined);
  await raiseAlert(deps.store, deps.settings, {
    kind: 'report_overdue',
    key: `report_overdue:${caseId}:${reportedAt}`,
    sourceId: overdue.sourceIds[0] ?? '',
    tags: overdue.tags,
    at,
    facts: overdueFacts(overdue, at),
  });
  return { kind: 'overdue', id: caseId, outcome: 'overdue' };
}

const STATUS_HOW: Partial<Record<string, OfflineHow>> = { removed: 'removed_banner', not_found: 'not_found', private: 'private', not_channel: 'gone' };

/**
 * Watched targets are closed by their channel's own checks; should that step have been lost (a worker died between
 * the channel's state and its report targets), the due check reads each watched target's channel by `_id` and closes
 * the target from the channel's stored state.
 */
async function closeWatchedFromChannelState(deps: RecheckDeps, caseId: string): Promise<void> {
  const c = await getCase(deps.store, caseId);
  for (const t of c?.targets ?? []) {
    if (!t.watched || t.offline || !t.channelKey) continue;
    const ch = await deps.store.channels.findOne({ _id: t.channelKey }, { projection: { status: 1, statusDetail: 1, lastCheckedAt: 1 } });
    const how = ch ? STATUS_HOW[ch.status] : undefined;
    const doc = how ? await getReportTarget(deps.store, t.id) : undefined;
    if (how && doc && ch) await markTargetOffline(deps.store, doc, { at: ch.lastCheckedAt, how, ...(ch.statusDetail ? { words: ch.statusDetail } : {}) });
  }
}

export function runRecheckJob(deps: RecheckDeps, data: RecheckJobData): Promise<RecheckJobResult> {
  return data.kind === 'recheck' ? runTargetRecheck(deps, data.targetId, data.attempt) : runOverdueCheck(deps, data.caseId, data.reportedAt);
}
