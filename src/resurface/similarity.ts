import { normalizeText } from '../core/lang/normalize';
import { canonicalHandle } from './handle-variants';

/** Levenshtein distance (two rows). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

export function stringSimilarity(a: string, b: string): number {
  if (!a && !b) return 0;
  return 1 - levenshtein(a, b) / Math.max(a.length, b.length);
}

/** Handle similarity after canonicalisation (separators, homoglyphs, affixes and counters ignored). */
export function handleSimilarity(a: string, b: string): number {
  return stringSimilarity(canonicalHandle(a), canonicalHandle(b));
}

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

function trigrams(s: string): Set<string> {
  const t = ` ${s} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= t.length; i++) out.add(t.slice(i, i + 3));
  return out;
}

/** Character-trigram Jaccard of normalised, transliterated texts (titles, descriptions). */
export function textSimilarity(a: string | undefined, b: string | undefined): number {
  if (!a || !b) return 0;
  const x = trigrams(transliterate(a).replace(/[^\p{L}\p{N} ]/gu, ''));
  const y = trigrams(transliterate(b).replace(/[^\p{L}\p{N} ]/gu, ''));
  if (!x.size || !y.size) return 0;
  let inter = 0;
  for (const g of x) if (y.has(g)) inter++;
  return inter / (x.size + y.size - inter);
}
