import { fnv1a, tokens } from '../text/minhash';
import { ExactIndex } from './exact-index';
import { SignalHashError, type SignalType } from './signal-type';

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

const NAME = 'short-text';
const FORM = /^st:([0-9a-f]{1,8}):([1-9][0-9]*)$/;

function parseShortText(text: string): string {
  if (typeof text !== 'string') throw new SignalHashError(NAME, `expected "st:<hex>:<length>", got ${typeof text}`, String(text));
  if (!text.startsWith('st:')) throw new SignalHashError(NAME, 'expected the prefix "st:"', text);
  if (!FORM.test(text)) throw new SignalHashError(NAME, 'expected "st:<1 to 8 lower-case hex digits>:<length>"', text);
  return text;
}

/**
 * Short texts: the exact hash of a normalised short post. Compared for equality (distance 0 or 1, a match only at
 * 0); indexed in an exact index (the stored form is the channel's capped set `channel_summaries.shortTexts`).
 */
export const SHORT_TEXT_SIGNAL: SignalType<string, { text: string; minWords: number }, ExactIndex> = {
  name: NAME,
  contentKinds: ['short-text'],
  threshold: 0,
  fromContent: (c) => shortTextHash(c.text, c.minWords),
  parse: parseShortText,
  format: (h) => h,
  compare: (a, b, threshold = 0) => {
    const distance = a === b ? 0 : 1;
    return { distance, match: distance <= threshold };
  },
  createIndex: () => new ExactIndex(),
};
