import type { PackFormat, ReportPack } from './types';

/** Pure: HTML-escapes text (every value in a pack page goes through this). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

function notifierText(n: { name: string; email?: string }): string {
  return n.email ? `${n.name} <${n.email}>` : `${n.name} (no email set: reporting.notifier.email)`;
}

/**
 * Who reads the rendering: `analyst` (the whole pack: recipients, form fields, in-app steps) or `platform` (the mail
 * body the platform receives: URLs, reason, explanation, evidence, the DSA parts; no instructions meant for analysts).
 */
export type Audience = 'analyst' | 'platform';

/** Pure: the pack as plain text (for the analyst, or as the mail body the platform receives). */
export function renderText(p: ReportPack, audience: Audience = 'analyst'): string {
  const forAnalyst = audience === 'analyst';
  const lines: string[] = [p.title, ''];
  if (p.dsa) lines.push(p.dsa.legalBasis, '');
  if (p.mail && forAnalyst)
    lines.push(
      `To: ${p.mail.to.join(', ') || `(not set: reporting.platforms.${p.platform}.to)`}`,
      ...(p.mail.cc.length ? [`Cc: ${p.mail.cc.join(', ')}`] : []),
      `Subject: ${p.mail.subject}`,
      '',
    );
  lines.push(p.dsa ? 'Exact location of the content (URLs):' : 'URLs reported:', ...p.urls.map((u, i) => `  ${i + 1}. ${u}`), '');
  lines.push(`Reason: ${p.reason}`, '', p.dsa ? 'Why the content is illegal:' : 'Explanation:', ...p.explanation.map((e) => `  ${e}`), '');
  lines.push('Evidence:', ...p.evidence.map(([k, v]) => `  ${k}: ${v}`), '');
  if (p.form?.length && forAnalyst) lines.push('Report form fields:', ...p.form.map((f) => `  ${f.field}: ${f.value}`), '');
  if (p.steps.length && forAnalyst) lines.push(p.channel === 'mail' ? 'Also possible in the app:' : 'Steps:', ...p.steps.map((s, i) => `  ${i + 1}. ${s}`), '');
  if (p.dsa) lines.push(`Notifier: ${notifierText(p.dsa.notifier)}`, '', p.dsa.goodFaith, '');
  lines.push(`hydrawatch case ${p.caseId}. No media is attached; matching is by hashes.`);
  return `${lines.join('\n')}\n`;
}

/** Pure: the pack as JSON (the API's and the CLI's machine-readable form). */
export function renderJson(p: ReportPack): string {
  return `${JSON.stringify(p, null, 2)}\n`;
}

const STYLE =
  'body{font:14px/1.45 system-ui,sans-serif;max-width:52rem;margin:2rem auto;color:#111}h1{font-size:1.3rem}table{border-collapse:collapse;width:100%}td{border:1px solid #bbb;padding:.3rem .5rem;vertical-align:top;word-break:break-all}td:first-child{width:14rem;word-break:normal}.legal{font-style:italic}@media print{body{margin:0}}';

function list(tag: 'ol' | 'ul', items: readonly string[]): string {
  return `<${tag}>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</${tag}>`;
}

function table(rows: ReadonlyArray<readonly [string, string]>): string {
  return `<table>${rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

/** Pure: the pack as a printable HTML page. Every value is escaped; no media, no images, no scripts. */
export function renderHtml(p: ReportPack, audience: Audience = 'analyst'): string {
  const forAnalyst = audience === 'analyst';
  const parts: string[] = [`<h1>${escapeHtml(p.title)}</h1>`];
  if (p.dsa) parts.push(`<p class="legal">${escapeHtml(p.dsa.legalBasis)}</p>`);
  if (p.mail && forAnalyst)
    parts.push(
      table([
        ['To', p.mail.to.join(', ') || `(not set: reporting.platforms.${p.platform}.to)`],
        ...(p.mail.cc.length ? [['Cc', p.mail.cc.join(', ')] as const] : []),
        ['Subject', p.mail.subject],
      ]),
    );
  parts.push(`<h2>${p.dsa ? 'Exact location of the content' : 'URLs reported'}</h2>`, list('ol', p.urls));
  parts.push(`<h2>Reason</h2><p>${escapeHtml(p.reason)}</p>`, `<h2>${p.dsa ? 'Why the content is illegal' : 'Explanation'}</h2>`);
  parts.push(...p.explanation.map((e) => `<p>${escapeHtml(e)}</p>`));
  parts.push('<h2>Evidence</h2>', table(p.evidence));
  if (p.form?.length && forAnalyst) parts.push('<h2>Report form fields</h2>', table(p.form.map((f) => [f.field, f.value] as const)));
  if (p.steps.length && forAnalyst) parts.push(`<h2>${p.channel === 'mail' ? 'Also possible in the app' : 'Steps'}</h2>`, list('ol', p.steps));
  if (p.dsa) parts.push(`<h2>Notifier</h2><p>${escapeHtml(notifierText(p.dsa.notifier))}</p>`, `<p class="legal">${escapeHtml(p.dsa.goodFaith)}</p>`);
  parts.push(`<p><small>hydrawatch case ${escapeHtml(p.caseId)}. No media is attached; matching is by hashes.</small></p>`);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(p.title)}</title><style>${STYLE}</style></head><body>${parts.join('\n')}</body></html>\n`;
}

export function renderPack(p: ReportPack, format: PackFormat): string {
  return format === 'json' ? renderJson(p) : format === 'html' ? renderHtml(p) : renderText(p);
}
