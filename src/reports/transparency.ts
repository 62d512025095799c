import { csvField } from '../research/export-formats';
import type { PlatformScore, Scorecard } from './scorecard';

// The scorecard as files: CSV (one row per platform), and a printable transparency report (Markdown, HTML).

const COLUMNS: Array<[string, (p: PlatformScore) => unknown]> = [
  ['platform', (p) => p.platform],
  ['opened', (p) => p.opened],
  ['reported', (p) => p.reported],
  ['offline', (p) => p.offline],
  ['offline_pct', (p) => p.offlinePct ?? ''],
  ['still_online', (p) => p.stillOnline],
  ['withdrawn', (p) => p.withdrawn],
  ['report_to_offline_p50_h', (p) => p.reportToOffline.p50Hours ?? ''],
  ['report_to_offline_p90_h', (p) => p.reportToOffline.p90Hours ?? ''],
  ['first_seen_to_offline_p50_h', (p) => p.firstSeenToOffline.p50Hours ?? ''],
  ['first_seen_to_offline_p90_h', (p) => p.firstSeenToOffline.p90Hours ?? ''],
  ['views_gained_total', (p) => p.viewsGained.total],
  ['views_gained_p50', (p) => p.viewsGained.p50 ?? ''],
  ['targets_still_online', (p) => p.stillOnlineTargets.length],
];

export function scorecardCsv(s: Scorecard): string {
  return [COLUMNS.map(([h]) => h).join(','), ...s.platforms.map((p) => COLUMNS.map(([, f]) => csvField(f(p))).join(','))].join('\n') + '\n';
}

function cell(v: unknown): string {
  return v === undefined || v === '' ? '–' : String(v);
}

const HEAD = [
  'Platform',
  'Cases',
  'Reported',
  'Offline',
  'Offline %',
  'Report → offline p50 / p90 (h)',
  'First seen → offline p50 / p90 (h)',
  'Views gained',
  'Still online',
];

function row(p: PlatformScore): string[] {
  return [
    p.platform,
    String(p.opened),
    String(p.reported),
    String(p.offline),
    cell(p.offlinePct),
    `${cell(p.reportToOffline.p50Hours)} / ${cell(p.reportToOffline.p90Hours)}`,
    `${cell(p.firstSeenToOffline.p50Hours)} / ${cell(p.firstSeenToOffline.p90Hours)}`,
    p.viewsGained.targets ? String(p.viewsGained.total) : '–',
    String(p.stillOnlineTargets.length),
  ];
}

function mdEscape(s: string): string {
  return s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
}

const METHOD =
  'Cases opened in the period, per platform. "Reported": sent to the platform (or reported by hand). "Offline": every reported URL of the case seen gone by hydrawatch\'s own re-checks (removal banner, 404, made private, account terminated). Times run from the report (and from the first sighting) to the re-check that saw the last URL gone, so they include the re-check interval. Views only where the platform shows them.';

export function transparencyMarkdown(s: Scorecard): string {
  const lines = [
    `# Transparency report: ${s.from} to ${s.to}`,
    '',
    `Generated ${s.generatedAt} by hydrawatch.${s.truncated ? ' The period held more cases than were read: the figures cover part of it.' : ''}`,
    '',
    METHOD,
    '',
    `| ${HEAD.join(' | ')} |`,
    `| ${HEAD.map(() => '---').join(' | ')} |`,
    ...s.platforms.map((p) => `| ${row(p).map(mdEscape).join(' | ')} |`),
  ];
  for (const p of s.platforms.filter((x) => x.stillOnlineTargets.length)) {
    lines.push('', `## Still online on ${mdEscape(p.platform)}`, '');
    for (const t of p.stillOnlineTargets)
      lines.push(`- ${mdEscape(t.url)}: reported ${t.reportedAt}, ${t.hoursSinceReport} h ago${t.ticket ? ` (ticket ${mdEscape(t.ticket)})` : ''}`);
  }
  return lines.join('\n') + '\n';
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function transparencyHtml(s: Scorecard): string {
  const table = `<table><thead><tr>${HEAD.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${s.platforms
    .map(
      (p) =>
        `<tr>${row(p)
          .map((c) => `<td>${esc(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
  const online = s.platforms
    .filter((x) => x.stillOnlineTargets.length)
    .map(
      (p) =>
        `<h2>Still online on ${esc(p.platform)}</h2><ul>${p.stillOnlineTargets
          .map((t) => `<li>${esc(t.url)}: reported ${esc(t.reportedAt)}, ${t.hoursSinceReport} h ago${t.ticket ? ` (ticket ${esc(t.ticket)})` : ''}</li>`)
          .join('')}</ul>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Transparency report ${esc(s.from)} to ${esc(s.to)}</title><style>body{font:14px/1.4 sans-serif;margin:2em}table{border-collapse:collapse}th,td{border:1px solid #999;padding:4px 8px;text-align:left}@media print{body{margin:0}}</style></head><body><h1>Transparency report: ${esc(s.from)} to ${esc(s.to)}</h1><p>Generated ${esc(s.generatedAt)} by hydrawatch.${s.truncated ? ' The period held more cases than were read: the figures cover part of it.' : ''}</p><p>${esc(METHOD)}</p>${table}${online}</body></html>\n`;
}
