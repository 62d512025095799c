import franc from 'franc';
import { normalizeText } from './normalize';

export interface DetectedLanguage {
  /** ISO 639-3 code as franc reports it (e.g. "arb", "eng", "fra"), or "und". */
  lang: string;
  normalized: string;
}

/** franc on normalised text; texts shorter than minLength (letters only) are "und". */
export function detectLanguage(text: string, opts: { minLength: number }): DetectedLanguage {
  const normalized = normalizeText(text);
  const letters = normalized
    .replace(/[^\p{L}\s]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (letters.length < opts.minLength) return { lang: 'und', normalized };
  return { lang: franc(letters, { minLength: opts.minLength }), normalized };
}
