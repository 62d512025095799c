import { platformName } from './evidence';
import { escapeHtml } from './render';

/** One report mail waiting in the outbox (its subject and rendered text, as it would go out alone). */
export interface DigestPart {
  subject: string;
  text: string;
  platform?: string;
  caseId?: string;
}

/**
 * Pure: the digest mail of several report mails to one recipient: one subject naming the platform and the number of
 * cases, then each case's own report in full, in the order they were sent. Hashes and URLs only, as each report.
 */
export function renderReportDigest(parts: readonly DigestPart[]): { subject: string; text: string; html: string } {
  const platforms = [...new Set(parts.map((p) => (p.platform ? platformName(p.platform) : 'several platforms')))];
  const subject = `Reports: ${parts.length} case${parts.length === 1 ? '' : 's'} of terrorist content on ${platforms.join(', ')}`;
  const head = `${parts.length} report${parts.length === 1 ? '' : 's'} follow, one per case. Each stands on its own: its URLs, its evidence and its explanation.`;
  const sections = parts.map((p, i) => ({ title: `Report ${i + 1} of ${parts.length}: ${p.subject}`, text: p.text }));
  return {
    subject,
    text: [head, ...sections.map((s) => `===== ${s.title} =====\n\n${s.text}`)].join('\n\n'),
    html: `<p>${escapeHtml(head)}</p>${sections.map((s) => `<h2>${escapeHtml(s.title)}</h2><pre>${escapeHtml(s.text)}</pre>`).join('')}`,
  };
}
