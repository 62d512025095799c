import { basePack } from './base';
import type { PackInput, ReportPack } from './types';

/** YouTube: the report form's fields (URL, reason category, explanation) and where to find the form. */
export function youtubePack(input: PackInput): ReportPack {
  const targets = input.targets ?? input.case.targets;
  const pack = basePack(input, {
    channel: input.to.length ? 'mail' : 'form',
    reason: 'Promotes terrorism',
    steps: [
      'Open each URL on youtube.com while signed in.',
      'Video: ⋯ (More) under the player → Report. Channel: About → Report user (flag).',
      'Choose the reason "Promotes terrorism", then Next.',
      'Paste the explanation into "Provide additional details" and submit.',
      'Record the report in hydrawatch: "sent-manually" with the report reference, if any.',
    ],
  });
  const explanation = pack.explanation.join(' ');
  pack.form = targets.flatMap((t) => [
    { field: 'URL', value: t.url },
    { field: 'Reason category', value: 'Promotes terrorism' },
    { field: 'Explanation', value: explanation },
  ]);
  return pack;
}
