import type { Store } from '../store/store';
import { PLATFORMS, type Platform } from '../config/schema';
import { PeriodError, readScorecard } from '../reports/scorecard-read';
import { scorecardCsv, transparencyHtml, transparencyMarkdown } from '../reports/transparency';
import { ConfigError } from '../config/format-issues';
import { loadSourcesFile } from '../config/load-sources';
import type { Settings } from '../config/schema';
import { CASE_STATES, CaseTransitionError, REPORT_PLATFORMS, type CaseState, type ReportCase, type ReportPlatform } from '../core/report-case';
import { approveCase, CaseConflictError, CaseNotFoundError, recordSentManually, sendCase, withdrawCase, type ReportDeps } from '../reports/lifecycle';
import { openCase } from '../reports/open-cases';
import { buildPack, PACK_FORMATS, PACK_VARIANTS, renderPack, type PackFormat, type PackVariant } from '../reports/packs';
import { recipientsFor, ReportingConfigError } from '../reports/recipients';
import { caseInputForRequest, CaseRequestError } from '../reports/request';
import { UnknownPlatformUrlError } from '../reports/targets';
import { caseSubjectReads, getCase, listCases } from '../store/repos/report-cases';
import { formatTable } from '../research/export-formats';

export const REPORTS_USAGE = `usage: hydrawatch reports <command>
  list [--state S] [--platform P] [--page N] [--json]   cases, newest change first (50 a page)
  show <id> [--json]                                    one case: targets, evidence, history
  open --channel X | --post X | --cluster mc:… [--platform P] [--note T]
                                                        open a case (a second one for the same target merges)
  approve <id> [--note T]                               draft (or still_online) → approved
  send <id>                                             queue the report mail (the alerts stage delivers it)
  withdraw <id> [--note T]
  sent-manually <id> [--ticket T] [--note T]            reported by hand (in-app, web form)
  pack <id> [--format text|json|html] [--variant platform|dsa]
  scorecard [--from D] [--to D] [--platform P] [--format table|json|csv]
                                                        per platform: reported, offline %, p50/p90 h to offline, views, still online
  transparency [--from D] [--to D] [--platform P] [--format md|html]
                                                        the printable transparency report for the period
options: --by NAME (who, recorded as cli:NAME; default $USER)`;

export interface ReportsIo {
  out(s: string): void;
  err(s: string): void;
  sourcesPath: string;
  /** A case went to `sent`/`sent_manually`: its re-checks are queued (the runtime's `onReported`). */
  onReported?: (c: ReportCase) => Promise<void>;
}

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

class UsageError extends Error {}

function caseLine(c: ReportCase): string[] {
  return [c._id, c.state, c.platform, c.kind, String(c.targets.length), c.updatedAt.toISOString(), c.openedBy];
}

function showCase(c: ReportCase): string {
  const lines = [`${c._id}  ${c.state}  ${c.platform}  ${c.kind}  opened by ${c.openedBy} on ${c.createdAt.toISOString()}`, 'targets:'];
  for (const t of c.targets) lines.push(`  ${t.url}  (${t.kind}${t.channelKey ? `, ${t.channelKey}` : ''}${t.watched ? ', watched' : ''})`);
  lines.push(`evidence: ${JSON.stringify(c.evidence)}`, 'history:');
  for (const h of c.history)
    lines.push(
      `  ${h.at.toISOString()}  ${h.state.padEnd(13)} ${h.by}${h.note ? `  ${h.note}` : ''}${h.ticket ? `  ticket ${h.ticket}` : ''}${h.messageId ? `  ${h.messageId}` : ''}`,
    );
  if (c.sending) lines.push(`sending: ${c.sending.outboxId} (queued ${c.sending.queuedAt.toISOString()} by ${c.sending.by})`);
  return lines.join('\n');
}

async function webSources(path: string): Promise<Array<{ id: string; platform: string; url: string }>> {
  try {
    return (await loadSourcesFile(path)).flatMap((s) => ('url' in s && typeof s.url === 'string' ? [{ id: s.id, platform: s.platform, url: s.url }] : []));
  } catch (err) {
    if (err instanceof ConfigError) return [];
    throw err;
  }
}

/** `reports scorecard` / `reports transparency`: the scorecard of the cases opened in a period (src/reports/scorecard.ts). */
async function scorecardCommand(store: Store, sub: 'scorecard' | 'transparency', args: string[], io: ReportsIo): Promise<number> {
  const platform = oneOf<Platform>(flag(args, 'platform'), PLATFORMS, 'platform');
  const from = flag(args, 'from');
  const to = flag(args, 'to');
  const s = await readScorecard(store, { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(platform ? { platform } : {}) }, new Date());
  if (sub === 'transparency') {
    const format = oneOf<'md' | 'html'>(flag(args, 'format'), ['md', 'html'], 'format') ?? 'md';
    io.out((format === 'html' ? transparencyHtml(s) : transparencyMarkdown(s)).trimEnd());
    return 0;
  }
  const format = oneOf<'table' | 'json' | 'csv'>(flag(args, 'format'), ['table', 'json', 'csv'], 'format') ?? 'table';
  if (format === 'json') io.out(JSON.stringify(s, null, 2));
  else if (format === 'csv') io.out(scorecardCsv(s).trimEnd());
  else io.out(transparencyMarkdown(s).trimEnd());
  return 0;
}

async function readCommand(store: Store, settings: Settings, sub: string, args: string[], io: ReportsIo): Promise<number | undefined> {
  const id = args[0] && !args[0].startsWith('--') ? args[0] : undefined;
  if (sub === 'list') {
    const state = oneOf<CaseState>(flag(args, 'state'), CASE_STATES, 'state');
    const platform = oneOf<ReportPlatform>(flag(args, 'platform'), REPORT_PLATFORMS, 'platform');
    const page = Number(flag(args, 'page') ?? 1);
    if (!Number.isInteger(page) || page < 1) throw new UsageError('--page must be a whole number ≥ 1');
    const r = await listCases(store, { ...(state ? { state } : {}), ...(platform ? { platform } : {}), page, pageSize: 50 });
    if (args.includes('--json')) io.out(JSON.stringify(r, null, 2));
    else
      io.out(
        formatTable([['ID', 'STATE', 'PLATFORM', 'KIND', 'TARGETS', 'UPDATED', 'OPENED BY'], ...r.items.map(caseLine)]) +
          (r.more ? `\n(more: --page ${page + 1})` : ''),
      );
    return 0;
  }
  if (sub === 'scorecard' || sub === 'transparency') return scorecardCommand(store, sub, args, io);
  if (sub !== 'show' && sub !== 'pack') return undefined;
  if (!id) throw new UsageError(`hydrawatch reports ${sub} <id>`);
  const c = await getCase(store, id);
  if (!c) throw new CaseNotFoundError(id);
  if (sub === 'show') io.out(args.includes('--json') ? JSON.stringify(c, null, 2) : showCase(c));
  else {
    const format = oneOf<PackFormat>(flag(args, 'format'), PACK_FORMATS, 'format') ?? 'text';
    const variant = oneOf<PackVariant>(flag(args, 'variant'), PACK_VARIANTS, 'variant') ?? 'platform';
    const { to, cc } = recipientsFor(settings, c);
    io.out(renderPack(buildPack({ case: c, variant, notifier: settings.reporting.notifier, to, cc }), format).trimEnd());
  }
  return 0;
}

async function stepCommand(deps: ReportDeps, sub: string, args: string[], io: ReportsIo): Promise<number | undefined> {
  const by = `cli:${flag(args, 'by') ?? process.env.USER ?? 'unknown'}`;
  const note = flag(args, 'note');
  if (sub === 'open') {
    const platform = oneOf<ReportPlatform>(flag(args, 'platform'), REPORT_PLATFORMS, 'platform');
    const req = { channel: flag(args, 'channel'), post: flag(args, 'post'), cluster: flag(args, 'cluster') };
    const given = Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined));
    const input = await caseInputForRequest(
      caseSubjectReads(deps.store),
      { ...given, ...(platform ? { platform } : {}), ...(note ? { note } : {}), by, at: new Date() },
      await webSources(io.sourcesPath),
    );
    const r = await openCase(deps.store, input);
    io.out(`${r.outcome} case ${r.case._id} (${r.case.state}, ${r.case.targets.length} target${r.case.targets.length === 1 ? '' : 's'})`);
    return 0;
  }
  const id = args[0] && !args[0].startsWith('--') ? args[0] : undefined;
  const run: Record<string, (() => Promise<ReportCase>) | undefined> = {
    approve: () => approveCase(deps, id ?? '', by, note),
    send: () => sendCase(deps, id ?? '', by),
    withdraw: () => withdrawCase(deps, id ?? '', by, note),
    'sent-manually': () => recordSentManually(deps, id ?? '', by, flag(args, 'ticket'), note),
  };
  const step = run[sub];
  if (!step) return undefined;
  if (!id) throw new UsageError(`hydrawatch reports ${sub} <id>`);
  const c = await step();
  io.out(`case ${c._id}: ${c.state}${c.sending ? ` (report mail queued: ${c.sending.outboxId}; the alerts stage delivers it)` : ''}`);
  return 0;
}

/** `hydrawatch reports list|show|open|approve|send|withdraw|sent-manually|pack …` (exit 0 done, 1 refused, 2 usage). */
export async function runReportsCommand(store: Store, settings: Settings, argv: string[], io: ReportsIo): Promise<number> {
  const [sub = '', ...args] = argv;
  try {
    const code =
      (await readCommand(store, settings, sub, args, io)) ??
      (await stepCommand({ store, settings, ...(io.onReported ? { onReported: io.onReported } : {}) }, sub, args, io));
    if (code !== undefined) return code;
    io.err(REPORTS_USAGE);
    return 2;
  } catch (err) {
    if (err instanceof UsageError || err instanceof PeriodError) {
      io.err(`hydrawatch reports: ${err.message}`);
      return 2;
    }
    const known = [CaseNotFoundError, CaseTransitionError, CaseConflictError, ReportingConfigError, CaseRequestError, UnknownPlatformUrlError];
    if (known.some((k) => err instanceof k)) {
      io.err(`hydrawatch reports ${sub}: ${(err as Error).message}`);
      return 1;
    }
    throw err;
  }
}
