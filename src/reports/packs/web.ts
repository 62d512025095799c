import { basePack } from './base';
import type { PackInput, ReportPack } from './types';

/** RSS feeds and web pages (rss, html, browser): a mail to the address configured for the source's host. */
export function webPack(input: PackInput): ReportPack {
  return basePack(input, {
    channel: 'mail',
    reason: 'Terrorist content hosted on your service',
    steps: [`Mail the URLs to the host's abuse or legal address configured in reporting.platforms.${input.case.platform} (to, or sources.<source id>.to).`],
  });
}
