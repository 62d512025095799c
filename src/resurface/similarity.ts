import { transliterate } from '../core/lang/transliterate';
import { canonicalHandle } from './handle-variants';

// Moved to the core (src/core/lang/transliterate.ts; handle-variants.ts uses it too); re-exported for existing imports.
export { transliterate };

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

/**
 * Handle similarity after canonicalisation (separators, homoglyphs, affixes and counters ignored): the highest of the
 * similarity with the Arabic article kept, with it dropped from every word of both handles, and with it written one
 * way (al), so a dropped, glued, split, switched or assimilated article does not count (alnoor_media, al_noor_media,
 * noor_media; alsharq, asharq, ash_sharq; annur, alnur). Words that only start like one keep their letters (alpha,
 * allied, elements: see articleStem).
 */
export function handleSimilarity(a: string, b: string): number {
  let best = stringSimilarity(canonicalHandle(a), canonicalHandle(b));
  for (const article of ['', 'al'] as const) {
    if (best === 1) break;
    best = Math.max(best, stringSimilarity(canonicalHandle(a, { article }), canonicalHandle(b, { article })));
  }
  return best;
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
