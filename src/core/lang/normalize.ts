/** Text normalisation for language detection and near-duplicate matching (pure). */
export interface NormalizeOptions {
  /** ة → ه (off by default: it changes meaning for display, but helps matching). */
  taaMarbuta?: boolean;
  lowercase?: boolean;
}

const ARABIC_DIACRITICS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]/g;
const TATWEEL = /\u0640/g;

export function normalizeArabic(text: string, opts: NormalizeOptions = {}): string {
  let t = text.replace(ARABIC_DIACRITICS, '').replace(TATWEEL, '');
  t = t.replace(/[أإآٱ]/g, 'ا').replace(/ى/g, 'ي');
  if (opts.taaMarbuta) t = t.replace(/ة/g, 'ه');
  return t;
}

/** NFKC, Arabic normalisation, no URLs/mentions, hashtag marks dropped, whitespace collapsed, lowercased. */
export function normalizeText(text: string, opts: NormalizeOptions = {}): string {
  let t = text.normalize('NFKC');
  t = t
    .replace(/https?:\/\/\S+/gi, ' ')
    .replace(/(^|\s)@[A-Za-z0-9_]+/g, ' ')
    .replace(/#(?=[\p{L}\p{N}_])/gu, '');
  t = normalizeArabic(t, opts);
  if (opts.lowercase !== false) t = t.toLowerCase();
  return t.replace(/\s+/g, ' ').trim();
}
