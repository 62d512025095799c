import type { ReportPack } from './types';

export const GOOD_FAITH =
  'I confirm my bona fide belief that the information and allegations contained in this notice are accurate and complete (Regulation (EU) 2022/2065, Article 16(2)(d)).';
export const LEGAL_BASIS =
  'Notice under Article 16 of Regulation (EU) 2022/2065 (Digital Services Act). The content is believed to be illegal terrorist content within the meaning of Article 2(7) of Regulation (EU) 2021/784 and of Directive (EU) 2017/541.';

/**
 * Pure: the DSA Article 16 notice variant of a platform pack: (a) a substantiated explanation, (b) the exact URLs,
 * (c) the notifier's name and email, (d) the statement of good faith. Same channel and recipients as the platform pack.
 */
export function dsaVariant(pack: ReportPack, notifier: { name: string; email?: string }): ReportPack {
  return {
    ...pack,
    variant: 'dsa',
    title: `DSA Article 16 notice — ${pack.title}`,
    ...(pack.mail ? { mail: { ...pack.mail, subject: `DSA Article 16 notice: ${pack.mail.subject}` } } : {}),
    dsa: { notifier, goodFaith: GOOD_FAITH, legalBasis: LEGAL_BASIS },
  };
}
