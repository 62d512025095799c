import { fnv1a, tokens } from '../core/text/minhash';

/**
 * Exact comparison of short posts (pure). Posts shorter than `text.minWords` get no MinHash signature, so a
 * successor that repeats its predecessor's short posts would share no text cluster with it. Their normalised text
 * (the MinHash tokens: Arabic- and Latin-aware, diacritics and punctuation dropped) is hashed instead, and the
 * hashes are kept per channel in a bounded set (`channel_summaries.shortTexts`).
 */

/** Shortest text that counts: a greeting or a one-word post says nothing about who posted it. */
export const SHORT_TEXT_MIN_TOKENS = 2;
export const SHORT_TEXT_MIN_CHARS = 10;
/** Short-text hashes remembered per channel (its first ones). */
export const CHANNEL_SHORT_TEXT_CAP = 500;

/** Normalised form of a text: its tokens joined by single spaces. */
export function normalizedShortText(text: string): string {
  return tokens(text).join(' ');
}

/**
 * `st:<fnv1a hex>:<length>` of a short text's normalised form; undefined for a text that is too short to say
 * anything, or long enough for the near-duplicate text clusters (`minWords` words or more).
 */
export function shortTextHash(text: string, minWords: number): string | undefined {
  const t = tokens(text);
  if (t.length < SHORT_TEXT_MIN_TOKENS || t.length >= minWords) return undefined;
  const norm = t.join(' ');
  if (norm.length < SHORT_TEXT_MIN_CHARS) return undefined;
  return `st:${fnv1a(norm).toString(16)}:${norm.length}`;
}
