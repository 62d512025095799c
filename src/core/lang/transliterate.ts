import { normalizeText } from './normalize';

const ARABIC_TO_LATIN: Record<string, string> = {
  ا: 'a',
  ب: 'b',
  ت: 't',
  ث: 'th',
  ج: 'j',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ذ: 'dh',
  ر: 'r',
  ز: 'z',
  س: 's',
  ش: 'sh',
  ص: 's',
  ض: 'd',
  ط: 't',
  ظ: 'z',
  ع: 'a',
  غ: 'gh',
  ف: 'f',
  ق: 'q',
  ك: 'k',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ه: 'h',
  و: 'w',
  ي: 'y',
  ء: '',
  ة: 'h',
  ى: 'a',
};

/** Arabic → rough Latin transliteration, so an Arabic title can be compared with a Latin handle. */
export function transliterate(text: string): string {
  return [...normalizeText(text, { taaMarbuta: true })].map((c) => ARABIC_TO_LATIN[c] ?? c).join('');
}
