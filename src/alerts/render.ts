import { MATCHED_VIA_LABELS, type MatchedVia } from '../media/types';
import type { AlertDraft } from './types';
import { resurfacingLink } from '../research/resurfacing-view';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmtDate(v: unknown): string {
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d.toISOString().replace('.000Z', 'Z') : 'unknown';
}

function fmtDelay(ms: unknown): string {
  if (typeof ms !== 'number') return 'unknown';
  const m = Math.round(ms / 60000);
  return m < 120 ? `${m} min` : `${(m / 60).toFixed(1)} h`;
}

/** How a candidate was found, where its origin's name does not say it plainly. */
const FOUND_VIA: Record<string, string> = { predecessor_description: "named in the predecessor's description" };

function rows(d: AlertDraft): Array<[string, string]> {
  const f = d.facts;
  const signals = (f.signals ?? {}) as Record<string, number>;
  switch (d.kind) {
    case 'resurfaced':
      return [
        ['Removed channel', `@${String(f.predecessorHandle)} (${String(f.predecessor)})`],
        ['Successor', `@${String(f.successorHandle)} (${String(f.successor)}) ${f.successorTitle ? `“${String(f.successorTitle)}”` : ''}`],
        ['Removed at', fmtDate(f.removedAt)],
        ['Successor first post', fmtDate(f.successorFirstPostAt)],
        ['Delay', fmtDelay(f.delayMs)],
        ['Score', String(f.score)],
        ['Found via', Array.isArray(f.foundVia) ? f.foundVia.map((o) => FOUND_VIA[String(o)] ?? String(o)).join(', ') : ''],
        ...Object.entries(signals).map(([k, v]): [string, string] => [`signal: ${k}`, v.toFixed(2)]),
        ['Shared media clusters', Array.isArray(f.sharedClusters) ? String(f.sharedClusters.length) : '0'],
        ['Lineage', Array.isArray(f.lineage) ? f.lineage.join(' → ') : ''],
      ];
    case 'removed':
      if (f.postKey)
        return [
          ['Post', String(f.postKey)],
          ['Platform', String(f.platform ?? '')],
          ['Channel', String(f.channelKey)],
          ['Reason', String(f.reason ?? '')],
          ['Page says', String(f.detail ?? '')],
          ['Time to takedown', fmtDelay(f.timeToTakedownMs)],
        ];
      return [
        ['Channel', `@${String(f.handle)} (${String(f.channelKey)})`],
        ['Removed at', fmtDate(f.at)],
        ['Banner', String(f.detail ?? '')],
        ['Time to takedown', fmtDelay(f.timeToTakedownMs)],
      ];
    case 'hashlist_match':
      return [
        ['Channel', String(f.channelKey)],
        ['Post', String(f.postKey)],
        ['List', String(f.list)],
        ['Label', String(f.label)],
        ['Entity', String(f.entity ?? '')],
        ['Campaign', String(f.campaign ?? '')],
        ['Hash type', String(f.hashType)],
        ['Distance', String(f.distance)],
        ['Media (SHA-256)', String(f.mediaId)],
      ];
    case 'reupload_after_takedown':
      return [
        ['Channel', String(f.channelKey)],
        ['Post', String(f.postKey)],
        ['Cluster', String(f.clusterId)],
        ['Matched via', viaText(f.matchedVia)],
        ['Distance', String(f.distance)],
        ['Origin channel (removed)', String(f.originChannelKey)],
      ];
    case 'crawl_failing':
      return [
        ['Source', d.sourceId],
        ['Consecutive failures', String(f.consecutiveFailures)],
        ['Last error', String(f.message ?? '')],
      ];
    case 'report_overdue':
      return [
        ['Case', String(f.caseId)],
        ['Platform', String(f.platform ?? '')],
        ['Reported at', fmtDate(f.reportedAt)],
        ['Hours since the report', String(f.hoursSinceReport ?? '')],
        ['Still online', Array.isArray(f.stillOnline) ? f.stillOnline.join(', ') : ''],
        ['Ticket', String(f.ticket ?? '')],
      ];
  }
}

function subject(d: AlertDraft): string {
  const f = d.facts;
  switch (d.kind) {
    case 'resurfaced':
      return `[hydrawatch] RESURFACED: @${String(f.predecessorHandle)} is back as @${String(f.successorHandle)} (score ${String(f.score)})`;
    case 'removed':
      if (f.postKey) return `[hydrawatch] removed: ${String(f.platform ?? '')} post ${String(f.postKey)} (${String(f.reason ?? '')})`;
      return `[hydrawatch] removed: @${String(f.handle)}`;
    case 'hashlist_match':
      return `[hydrawatch] known-hash match (${String(f.list)}: ${String(f.label)}) in ${String(f.channelKey)}`;
    case 'reupload_after_takedown':
      return `[hydrawatch] media of a removed channel re-uploaded in ${String(f.channelKey)}`;
    case 'crawl_failing':
      return `[hydrawatch] crawls of ${d.sourceId} failing (${String(f.consecutiveFailures)} in a row)`;
    case 'report_overdue':
      return `[hydrawatch] report overdue: ${String(f.caseId)} still online ${String(f.hoursSinceReport ?? '')} h after the report`;
  }
}

/**
 * Where "Details" points: a resurfacing opens the dashboard's view of it (its `resurfaced` event: given, or the
 * deterministic `<successor>:resurfaced:<predecessor>`); other alerts open the dashboard.
 */
function detailsLink(d: AlertDraft, dashboardUrl: string): string {
  const f = d.facts;
  if (d.kind === 'resurfaced') {
    const eventId =
      typeof f.eventId === 'string'
        ? f.eventId
        : typeof f.successor === 'string' && typeof f.predecessor === 'string'
          ? `${f.successor}:resurfaced:${f.predecessor}`
          : undefined;
    if (eventId) return resurfacingLink(dashboardUrl, eventId);
  }
  return `${dashboardUrl.replace(/\/$/, '')}/dashboard/`;
}

/** Plain text and HTML for one alert (pure). Evidence as a table and dashboard links; media is never embedded. */
export function renderAlert(d: AlertDraft, dashboardUrl: string): { subject: string; text: string; html: string } {
  const table = rows(d);
  const link = detailsLink(d, dashboardUrl);
  const text = [
    subject(d).replace('[hydrawatch] ', ''),
    '',
    ...table.map(([k, v]) => `${k}: ${v}`),
    '',
    `Details: ${link}`,
    'Media are not attached; see hashes and metadata on the dashboard.',
  ].join('\n');
  const html = `<h2>${esc(subject(d).replace('[hydrawatch] ', ''))}</h2><table border="1" cellpadding="4" cellspacing="0">${table.map(([k, v]) => `<tr><th align="left">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table><p><a href="${esc(link)}">Open in hydrawatch</a></p><p>Media are not attached.</p>`;
  return { subject: subject(d), text, html };
}

export function renderDigest(items: Array<{ subject: string; text: string }>): { subject: string; text: string; html: string } {
  return {
    subject: `[hydrawatch] digest: ${items.length} alerts`,
    text: items.map((i) => `== ${i.subject}\n${i.text}`).join('\n\n'),
    html: items.map((i) => `<h3>${esc(i.subject)}</h3><pre>${esc(i.text)}</pre>`).join(''),
  };
}

/** "window (PDQ of a crop window)": the stored value and what it means. */
function viaText(v: unknown): string {
  const label = typeof v === 'string' && v in MATCHED_VIA_LABELS ? MATCHED_VIA_LABELS[v as MatchedVia] : undefined;
  return label ? `${String(v)} (${label})` : String(v);
}
