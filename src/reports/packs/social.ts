import { basePack } from './base';
import type { PackInput, ReportPack } from './types';

const STEPS: Record<'x' | 'facebook' | 'instagram', { reason: string; steps: string[] }> = {
  x: {
    reason: 'Violent & hateful entities (violent extremism)',
    steps: [
      'Open each URL on x.com or in the X app.',
      'Post: ⋯ → Report post. Account: ⋯ on the profile → Report.',
      'Choose "Violent & hateful entities" and follow the prompts.',
    ],
  },
  facebook: {
    reason: 'Terrorism (dangerous organisations and individuals)',
    steps: [
      'Open each URL on facebook.com or in the Facebook app.',
      'Post: ⋯ → Report post. Page or profile: ⋯ → Find support or report.',
      'Choose "Terrorism" (under violence or dangerous organisations) and submit.',
    ],
  },
  instagram: {
    reason: 'Violence or dangerous organisations (terrorism)',
    steps: [
      'Open each URL in the Instagram app or on instagram.com.',
      'Post or reel: ⋯ → Report. Account: ⋯ on the profile → Report.',
      'Choose "Violence or dangerous organisations" → "Terrorism" and submit.',
    ],
  },
};

/** X, Facebook, Instagram: in-app steps and the URL list (no mail address: reported by hand, then "sent-manually"). */
export function socialPack(input: PackInput, platform: 'x' | 'facebook' | 'instagram'): ReportPack {
  const s = STEPS[platform];
  return basePack(input, {
    channel: 'in-app',
    reason: s.reason,
    steps: [
      ...s.steps,
      'Paste the explanation where the form asks for details.',
      'Record the report in hydrawatch: "sent-manually" with the report reference, if any.',
    ],
  });
}
