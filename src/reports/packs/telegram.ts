import { basePack } from './base';
import type { PackInput, ReportPack } from './types';

/** Telegram: a mail to the configured abuse address, and the in-app report (channel or message) with its reason. */
export function telegramPack(input: PackInput): ReportPack {
  const channel = input.case.targets.some((t) => t.kind === 'channel');
  return basePack(input, {
    channel: 'mail',
    reason: 'Violence / terrorist propaganda (Telegram: "Report" → "Violence"; illegal content)',
    steps: [
      'Open each URL in the Telegram app (t.me links open the channel or the message).',
      channel ? 'Tap the channel name, then ⋮ (More) → Report.' : 'Long-press the message → Report.',
      'Choose "Violence" (or "Illegal content" where offered).',
      'Paste the explanation into the comment field and send.',
      'Record the report in hydrawatch: "sent-manually" with any ticket or reference Telegram gave.',
    ],
  });
}
