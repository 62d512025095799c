import type { CaseEvidence, ReportCase, ReportTarget } from '../../core/report-case';

const PLATFORM_NAMES: Record<string, string> = {
  telegram: 'Telegram',
  youtube: 'YouTube',
  archive: 'the Internet Archive',
  x: 'X',
  facebook: 'Facebook',
  instagram: 'Instagram',
  rss: 'the site',
  html: 'the site',
  browser: 'the site',
};

export function platformName(p: string): string {
  return PLATFORM_NAMES[p] ?? p;
}

/** Pure: a time as the reports print it, `2026-12-07 11:26 UTC`. */
export function fmtTime(d: Date | undefined): string {
  return d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'unknown';
}

function predecessorText(p: NonNullable<CaseEvidence['predecessor']>): string {
  return `@${p.handle.replace(/^@/, '')}${p.channelKey ? ` (${p.channelKey})` : ''}`;
}

/** Pure: the substantiated explanation of why the targets are reported, from the case's kind and evidence. */
export function explanationOf(c: ReportCase): string[] {
  const e = c.evidence;
  const out: string[] = [];
  const pred = e.predecessor;
  const removed = pred
    ? `${predecessorText(pred)}, which ${platformName(c.platform)} removed${pred.takedownAt ? ` on ${fmtTime(pred.takedownAt)}` : ''}`
    : undefined;
  if (c.kind === 'resurfaced' && removed)
    out.push(
      `The reported channel is a successor ("comeback") of ${removed}. It was matched to it by hydrawatch's resurfacing model${e.score !== undefined ? ` with a score of ${e.score}` : ''}${signalText(e)}.`,
    );
  if (c.kind === 'reupload_after_takedown' || (c.kind !== 'resurfaced' && removed && !e.hashList))
    out.push(`The reported posts re-upload media first published by ${removed ?? 'a removed channel'}${distanceText(e)}.`);
  if (e.hashList)
    out.push(
      `The media in the reported posts matches an entry of the hash list "${e.hashList.list}"${e.hashList.entity ? ` (entity: ${e.hashList.entity}${e.hashList.campaign ? `, campaign: ${e.hashList.campaign}` : ''})` : ''}${distanceText(e)}.`,
    );
  if (!out.length)
    out.push(
      `An analyst reviewed the reported ${c.targets.length === 1 ? 'URL' : 'URLs'} and found content that violates the platform's rules on terrorist and violent extremist content.`,
    );
  if (e.note) out.push(`Analyst's note: ${e.note}`);
  out.push('Matching is by perceptual hashes (PDQ) and metadata; no media is attached to this report.');
  return out;
}

function signalText(e: CaseEvidence): string {
  const s = Object.entries(e.signals ?? {}).filter(([, v]) => v > 0);
  return s.length ? ` (signals: ${s.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')})` : '';
}

function distanceText(e: CaseEvidence): string {
  const parts = [e.matchedVia ? `matched via ${e.matchedVia}` : '', e.pdqDistances?.length ? `PDQ distance ${e.pdqDistances.join(', ')} of 256` : ''].filter(
    Boolean,
  );
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/** Pure: the evidence table (label, value): predecessor and takedown, score and signals, distances, per target facts. */
export function evidenceRows(c: ReportCase, targets: readonly ReportTarget[]): Array<[string, string]> {
  const e = c.evidence;
  const rows: Array<[string, string]> = [['Case', c._id]];
  if (e.predecessor) {
    rows.push(['Predecessor (removed)', predecessorText(e.predecessor)]);
    rows.push(['Predecessor taken down', fmtTime(e.predecessor.takedownAt)]);
    if (e.predecessor.reason) rows.push(['Takedown notice', e.predecessor.reason]);
  }
  if (e.score !== undefined) rows.push(['Resurfacing score', String(e.score)]);
  for (const [k, v] of Object.entries(e.signals ?? {})) rows.push([`Signal: ${k}`, v.toFixed(2)]);
  if (e.matchedVia) rows.push(['Matched via', e.matchedVia]);
  if (e.pdqDistances?.length) rows.push(['PDQ distance(s)', e.pdqDistances.join(', ')]);
  if (e.hashList) rows.push(['Hash list', [e.hashList.list, e.hashList.entity, e.hashList.campaign].filter(Boolean).join(' / ')]);
  targets.forEach((t, i) => {
    const facts = [
      t.firstSeenAt ? `first seen ${fmtTime(t.firstSeenAt)}` : '',
      t.viewsFirstSeen !== undefined ? `${t.viewsFirstSeen} views when first seen` : '',
      t.postCount !== undefined ? `${t.postCount} posts` : '',
    ].filter(Boolean);
    rows.push([`URL ${i + 1}`, `${t.url}${facts.length ? ` (${facts.join(', ')})` : ''}`]);
  });
  return rows;
}
