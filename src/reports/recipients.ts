import type { Settings } from '../config/schema';
import { IN_APP_REPORT_PLATFORMS, MAIL_REPORT_PLATFORMS } from '../config/reporting-schema';
import type { ReportCase } from '../core/report-case';

/** Sending is impossible with the settings as they are (no address): the message names the setting to fill in. */
export class ReportingConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportingConfigError';
  }
}

type MailPlatform = (typeof MAIL_REPORT_PLATFORMS)[number];

function isMailPlatform(p: string): p is MailPlatform {
  return (MAIL_REPORT_PLATFORMS as readonly string[]).includes(p);
}

/**
 * Pure: where a case's report mail goes, from the settings only: `reporting.platforms.<platform>.to`/`cc`, or for
 * a web source (rss, html, browser) `reporting.platforms.<platform>.sources.<source id>` when set. Empty: none set.
 */
export function recipientsFor(settings: Settings, c: Pick<ReportCase, 'platform' | 'sourceIds'>): { to: string[]; cc: string[] } {
  const platform = c.platform === 'telegram-api' ? 'telegram' : c.platform; // Telegram's abuse desk, however it was read
  if (!isMailPlatform(platform)) return { to: [], cc: [] };
  const p = settings.reporting.platforms[platform];
  const bySource = c.sourceIds.map((id) => p.sources[id]).find((s) => s !== undefined && s.to.length > 0);
  return bySource ? { to: bySource.to, cc: bySource.cc } : { to: p.to, cc: p.cc };
}

/** The recipients, or a ReportingConfigError naming the setting (in-app platforms: no mail at all). */
export function requireRecipients(settings: Settings, c: Pick<ReportCase, 'platform' | 'sourceIds'>): { to: string[]; cc: string[] } {
  if ((IN_APP_REPORT_PLATFORMS as readonly string[]).includes(c.platform))
    throw new ReportingConfigError(
      `${c.platform} takes reports in its app only (no mail address): report with the pack's steps, then record it with sent-manually`,
    );
  const r = recipientsFor(settings, c);
  if (r.to.length) return r;
  const web = ['rss', 'html', 'browser'].includes(c.platform);
  const src = c.sourceIds[0];
  throw new ReportingConfigError(
    `reporting.platforms.${c.platform === 'telegram-api' ? 'telegram' : c.platform}.to is not set${web && src ? ` (nor reporting.platforms.${c.platform}.sources.${src}.to)` : ''}: no report mail is sent without an address from the settings`,
  );
}

/** Whether a case's report waits for its platform's digest mail (`reporting.platforms.<platform>.digest`). */
export function reportsInDigest(settings: Settings, platform: ReportCase['platform']): boolean {
  return isMailPlatform(platform) && settings.reporting.platforms[platform].digest;
}
