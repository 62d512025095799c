import { basePack } from './base';
import type { PackInput, ReportPack } from './types';

/** The Internet Archive: a mail to the configured address listing the item URLs. */
export function archivePack(input: PackInput): ReportPack {
  return basePack(input, {
    channel: 'mail',
    reason: 'Terrorist content (Internet Archive Terms of Use)',
    steps: ['Mail the item URLs to the configured address (reporting.platforms.archive.to); no account needed.'],
  });
}
