import type { Store } from '../store/store';
import { caseChanged } from './case-events';
import type { AlertDoc } from '../store/repos/alerts';
import type { Settings } from '../config/schema';
import { transition, type CaseState, type ReportCase, type ReportTarget } from '../core/report-case';
import {
  cancelReportMail,
  getCase,
  getReportTargets,
  markReportMailRecorded,
  queueReportMail,
  replaceCaseIf,
  unrecordedReportMails,
  upsertReportTargets,
} from '../store/repos/report-cases';
import { stableMessageId } from '../alerts/delivery-outcome';
import { buildPack, renderHtml, renderText } from './packs';
import { recipientsFor, reportsInDigest, requireRecipients } from './recipients';

// The analyst steps of a case (approve, send, withdraw, sent-manually) and the one way into `sent`/`sent_manually`:
// markReported. Every step is a compare-and-set on the stored case, with its time and who made it (`token:<name>`).

export interface ReportDeps {
  store: Store;
  settings: Settings;
  now?: () => Date;
  /** Called once per case that went to `sent` or `sent_manually` (the re-check queue is scheduled from here). */
  onReported?: (c: ReportCase) => void | Promise<void>;
}

export class CaseNotFoundError extends Error {
  constructor(readonly caseId: string) {
    super(`no report case "${caseId}"`);
    this.name = 'CaseNotFoundError';
  }
}

/** A step the case's current data refuses (every target reported recently, changed meanwhile): HTTP 409. */
export class CaseConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseConflictError';
  }
}

type ReportedListener = (c: ReportCase) => void | Promise<void>;
const reportedListeners = new Set<ReportedListener>();

/** Every case that goes to `sent`/`sent_manually` (whoever's deps made the step). Returns a function that stops listening. */
export function onCaseReported(listener: ReportedListener): () => void {
  reportedListeners.add(listener);
  return () => reportedListeners.delete(listener);
}

const now = (deps: ReportDeps): Date => (deps.now ?? (() => new Date()))();

async function load(deps: ReportDeps, id: string): Promise<ReportCase> {
  const c = await getCase(deps.store, id);
  if (!c) throw new CaseNotFoundError(id);
  return c;
}

async function save(deps: ReportDeps, next: ReportCase, prev: ReportCase): Promise<ReportCase> {
  if (!(await replaceCaseIf(deps.store, next, prev.updatedAt))) throw new CaseConflictError(`case ${prev._id} changed meanwhile; read it again and retry`);
  await caseChanged(deps.store, deps.settings, next, prev.state);
  return next;
}

/** A step time strictly after the case's last change (the compare-and-set tells changes apart by updatedAt). */
function stepTime(deps: ReportDeps, c: ReportCase): Date {
  const t = now(deps);
  return t.getTime() > c.updatedAt.getTime() ? t : new Date(c.updatedAt.getTime() + 1);
}

export interface ReportedStep {
  to: 'sent' | 'sent_manually';
  at: Date;
  by: string;
  messageId?: string;
  ticket?: string;
  note?: string;
  /** The targets this report carried (default: all the case's targets). */
  targetIds?: readonly string[];
}

/**
 * The one way a case becomes `sent` or `sent_manually`: the transition (reportedAt, dueAt = reportedAt +
 * reporting.overdueHours), the `report_targets` documents of the reported targets (checks: 0), then
 * `deps.onReported` and the `onCaseReported` listeners.
 */
export async function markReported(deps: ReportDeps, c: ReportCase, step: ReportedStep): Promise<ReportCase> {
  const moved = transition(c, step.to, {
    at: step.at,
    by: step.by,
    ...(step.note ? { note: step.note } : {}),
    ...(step.ticket ? { ticket: step.ticket } : {}),
    ...(step.messageId ? { messageId: step.messageId } : {}),
  });
  const { sending: _sent, ...rest } = moved;
  const next: ReportCase = { ...rest, dueAt: new Date(step.at.getTime() + deps.settings.reporting.overdueHours * 3_600_000) };
  await save(deps, next, c);
  const ids = step.targetIds ?? c.targets.map((t) => t.id);
  await upsertReportTargets(
    deps.store,
    next,
    c.targets.filter((t) => ids.includes(t.id)),
    step.at,
  );
  await deps.onReported?.(next);
  for (const l of reportedListeners) await l(next);
  return next;
}

/** A plain step (approve, withdraw) with its time, who, and an optional note. */
async function simpleStep(
  deps: ReportDeps,
  id: string,
  to: CaseState,
  by: string,
  note?: string,
  extra?: (c: ReportCase) => Promise<void>,
): Promise<ReportCase> {
  const c = await load(deps, id);
  const moved = transition(c, to, { at: stepTime(deps, c), by, ...(note ? { note } : {}) });
  await extra?.(c);
  const { sending: _drop, ...next } = moved;
  return save(deps, next, c);
}

export function approveCase(deps: ReportDeps, id: string, by: string, note?: string): Promise<ReportCase> {
  return simpleStep(deps, id, 'approved', by, note);
}

/** Withdraws a case; a report mail that has not started going out is dropped from the outbox. */
export async function withdrawCase(deps: ReportDeps, id: string, by: string, note?: string): Promise<ReportCase> {
  const c = await load(deps, id);
  // a mail already on its way cannot be called back: the step says so, and the delivery is recorded when it lands
  const inFlight = c.sending ? !(await cancelReportMail(deps.store, c.sending.outboxId)) : false;
  const said = [note, inFlight ? `the report mail ${c.sending?.outboxId ?? ''} had already started going out` : undefined].filter(Boolean).join('; ');
  const moved = transition(c, 'withdrawn', { at: stepTime(deps, c), by, ...(said ? { note: said } : {}) });
  const { sending: _drop, ...next } = moved;
  return save(deps, next, c);
}

/**
 * A report mail that left although its case was withdrawn meanwhile: the case stays withdrawn, and its history records
 * that the platform did get the report (when, the Message-ID), so that the record matches what was sent.
 */
async function recordLateDelivery(deps: ReportDeps, c: ReportCase, mail: { _id: string; to: string; sentAt?: Date; messageId?: string }): Promise<void> {
  const at = mail.sentAt ?? now(deps);
  const step = {
    state: 'withdrawn' as const,
    at: stepTime(deps, c),
    by: 'system',
    note: `the report mail ${mail._id} left before the withdrawal could stop it: mailed to ${mail.to} at ${at.toISOString()}`,
    ...(mail.messageId ? { messageId: mail.messageId } : {}),
  };
  await save(deps, { ...c, reportedAt: c.reportedAt ?? at, updatedAt: step.at, history: [...c.history, step] }, c);
}

/** An analyst reported the case by hand (in-app, a web form): `sent_manually` with the platform's ticket number. */
export async function recordSentManually(deps: ReportDeps, id: string, by: string, ticket?: string, note?: string): Promise<ReportCase> {
  const c = await load(deps, id);
  if (c.state === 'approved' && c.sending)
    throw new CaseConflictError(`case ${id}: its report mail is in the outbox (${c.sending.outboxId}); withdraw it first`);
  // what the analyst did by hand is recorded as it is: every target (the re-report window guards sending only)
  return markReported(deps, c, { to: 'sent_manually', at: stepTime(deps, c), by, ...(ticket ? { ticket } : {}), ...(note ? { note } : {}) });
}

/** A case re-approved after `still_online`: its targets are reported again, inside the re-report window too. */
function reApproved(c: ReportCase): boolean {
  return c.history.some((h) => h.state === 'still_online');
}

/**
 * The targets a report may carry now: those not reported within `reporting.reReportDays` (unless the case was
 * re-approved). Throws CaseConflictError when none is left.
 */
export async function reportableTargets(deps: ReportDeps, c: ReportCase): Promise<ReportTarget[]> {
  if (reApproved(c)) return c.targets;
  const since = now(deps).getTime() - deps.settings.reporting.reReportDays * 86_400_000;
  const recent = new Map(
    (
      await getReportTargets(
        deps.store,
        c.targets.map((t) => t.id),
      )
    )
      .filter((d) => d.reportedAt.getTime() >= since)
      .map((d) => [d._id, d]),
  );
  const left = c.targets.filter((t) => !recent.has(t.id));
  if (!left.length) {
    const [first] = recent.values();
    throw new CaseConflictError(
      `case ${c._id}: every target was reported within reporting.reReportDays (${deps.settings.reporting.reReportDays} days)${first ? `, e.g. ${first._id} on ${first.reportedAt.toISOString()} by case ${first.caseId}` : ''}; a case that is still online after its report can be re-approved`,
    );
  }
  return left;
}

export { recipientsFor };

/**
 * Queues the report mail of an approved case in the mail outbox (`alerts`, kind `report`, `_id`
 * `report:<case>:<approval #>`: a repeated send is a no-op). The case stays `approved` with `sending` until the outbox
 * confirms the delivery (recordReportDeliveries): then it becomes `sent` with the Message-ID.
 */
export async function sendCase(deps: ReportDeps, id: string, by: string): Promise<ReportCase> {
  const c = await load(deps, id);
  if (c.state !== 'approved') transition(c, 'sent', { at: now(deps), by }); // throws CaseTransitionError
  if (c.sending) return c;
  const { to, cc } = requireRecipients(deps.settings, c);
  const targets = await reportableTargets(deps, c);
  const r = deps.settings.reporting;
  const pack = buildPack({ case: c, variant: r.dsa ? 'dsa' : 'platform', notifier: r.notifier, to, cc, targets });
  const at = stepTime(deps, c);
  const approvals = c.history.filter((h) => h.state === 'approved').length;
  const outboxId = `report:${c._id}:${approvals}`;
  const doc: AlertDoc = {
    _id: outboxId,
    key: outboxId,
    kind: 'report',
    rule: 'reporting',
    to: to.join(', '),
    ...(cc.length ? { cc } : {}),
    sourceId: c.sourceIds[0] ?? '',
    tags: c.tags,
    channels: [...new Set(targets.map((t) => t.channelKey).filter((k): k is string => Boolean(k)))],
    subject: pack.mail?.subject ?? pack.title,
    text: renderText(pack, 'platform'),
    html: renderHtml(pack, 'platform'),
    digest: reportsInDigest(deps.settings, c.platform),
    platform: c.platform,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    createdAt: at,
    messageId: stableMessageId([outboxId], deps.settings.alerts.from),
    caseId: c._id,
    caseRecorded: false,
  };
  await queueReportMail(deps.store, doc);
  return save(deps, { ...c, updatedAt: at, sending: { outboxId, queuedAt: at, by, targetIds: targets.map((t) => t.id) } }, c);
}

/**
 * The outbox's side of a send: every report mail the sender has finished (`sent`, or `unconfirmed`: possibly sent,
 * never resent) moves its case to `sent` with the Message-ID, through markReported; then the mail is marked recorded.
 * Crash-safe: a mail is marked only after its case recorded it, and a case already past `approved` is not moved twice.
 */
export async function recordReportDeliveries(deps: ReportDeps): Promise<number> {
  let n = 0;
  for (const mail of await unrecordedReportMails(deps.store)) {
    const c = mail.caseId ? await getCase(deps.store, mail.caseId) : null;
    if (c && c.state === 'approved' && c.sending?.outboxId === mail._id) {
      const unconfirmed = mail.status === 'unconfirmed';
      await markReported(deps, c, {
        to: 'sent',
        at: mail.sentAt ?? now(deps),
        by: c.sending.by,
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
        note: unconfirmed ? `mail outcome unknown (${mail.lastError ?? 'SMTP'}); not resent` : `mailed to ${mail.to}`,
        targetIds: c.sending.targetIds,
      });
      n++;
    } else if (c && c.state === 'withdrawn' && mail.status === 'sent' && !c.history.some((h) => h.note?.includes(mail._id) && h.by === 'system')) {
      await recordLateDelivery(deps, c, mail);
    }
    await markReportMailRecorded(deps.store, mail._id);
  }
  return n;
}
