/**
 * Bounded set of look-alike handles a re-opened channel tends to use (pure), ordered by prior likelihood. Rule
 * families and their documented priors (the chance, roughly, that a comeback handle has that form; the order of
 * the probes follows them, see VARIANT_PRIORS):
 *   numeric     counters and increments: alpha2, alpha_2, alpha7 → alpha8
 *   affix       _backup, _official, _new, new_, the_ …
 *   date        the removal's date and versions: _2911, _29_11, _v2, _v3, _2026
 *   separator   separators dropped, or added inside a long word: alpha_news → alphanews, alphanews → alpha_news
 *   homoglyph   0/o, 1/l/i, rn/m, 3/e, 4/a, 5/s
 *   article     the Arabic article dropped, glued, split or assimilated: alnoor_media → noor_media, al_noor_media →
 *               noor_media / alnoor_media, alsharq → asharq / ash_sharq, annur → nur (see ARTICLE_SOURCE); never
 *               for a word that only starts like it (allied, alphanews, elements, ultras: articleStem, as the similarity)
 *   translit    spellings of one name across transliterations: al/el/ul (not on allied, alpha, elements …), ou/u,
 *               ph/f, kh/h, ee/i, oo/u, a final ah/a and iya/ia, and a small table of Latin spellings of common Arabic
 *               names (mohammed/muhammad, …)
 *   title       the predecessor's title written as a handle (an Arabic title transliterated)
 *   rule        analysts' rules from the settings (`resurface.variantRules`, `variantSuffixes`, `variantPrefixes`)
 * Within a family, a variant's prior decays with its rank (× RANK_DECAY per step), so the most likely forms of
 * every family come before the long tails of any.
 */
import { transliterate } from '../core/lang/transliterate';

/**
 * A username Telegram lets a channel take (tdlib's is_allowed_username, td/telegram/misc.cpp): 5–32 characters, a
 * letter first, letters, digits and single underscores, no underscore last, and none of the reserved prefixes. A
 * look-alike outside these rules can never be a comeback's handle, so it is never probed.
 */
const SETTABLE_HANDLE = /^[A-Za-z](?!.*__)[A-Za-z0-9_]{3,30}[A-Za-z0-9]$/;
const RESERVED_PREFIXES = ['admin', 'telegram', 'support', 'security', 'settings', 'contacts', 'service', 'telegraph'];

/** Pure: whether Telegram lets a new channel take this username (see SETTABLE_HANDLE). */
export function isSettableHandle(handle: string): boolean {
  const lower = handle.toLowerCase();
  return SETTABLE_HANDLE.test(handle) && !RESERVED_PREFIXES.some((p) => lower.startsWith(p));
}
/** A word (between separators) this long or longer may be two words written together: a separator is tried inside it. */
const SPLIT_WORD_MIN = 8;
const AFFIXES = ['_backup', '_official', '_new', 'official', 'backup', 'new', '_channel', '_tv', '_news', '_1', '_2'];
const PREFIXES = ['new_', 'official_', 'the_', 'real_'];
const HOMOGLYPHS: Array<[string, string]> = [
  ['o', '0'],
  ['0', 'o'],
  ['l', '1'],
  ['1', 'l'],
  ['i', '1'],
  ['l', 'i'],
  ['i', 'l'],
  ['rn', 'm'],
  ['m', 'rn'],
  ['e', '3'],
  ['a', '4'],
  ['s', '5'],
];
/** Letter groups that transliterations of one Arabic sound swap (both ways). */
const TRANSLIT_SWAPS: Array<[string, string]> = [
  ['ou', 'u'],
  ['ph', 'f'],
  ['kh', 'h'],
  ['ee', 'i'],
  ['oo', 'u'],
  ['q', 'k'],
  ['dh', 'z'],
];
/** The Arabic article at a word start: al-, el-, ul-. */
const ARTICLES = ['al', 'el', 'ul'];
/**
 * Where the `article` family comes from: public channel handles of mainstream Arabic-language news outlets, as they
 * are linked from public code on GitHub (found with a code search over public repositories; only the handles' forms
 * were read): Al-Araby TV posts as `araby` (article dropped), Asharq News as `asharq` and `asharqnews` (the article
 * assimilated to the sun letter sh- and glued), Al Hadath as `alhadath_brk`, Al Arabiya as `AlArabiya_Brk` and
 * `alarabiyaBr` (article glued; one outlet, two spellings of its final -iya), Al-Masirah as `almasirah2`
 * (the article glued, a final -ah), Al Mayadeen as `almayadeen`.
 */
export const ARTICLE_SOURCE = 'public GitHub code linking t.me/araby, t.me/asharq, t.me/asharqnews, t.me/alhadath_brk, t.me/AlArabiya_Brk';
/** The article assimilated to a following sun letter, as Latin handles write it (ash-sharq, an-nur, ar-rahma …). */
const SUN_ARTICLES = ['ash', 'ath', 'adh', 'at', 'ad', 'ar', 'az', 'as', 'an'];
/** Latin spellings of one Arabic name (each row is one name). */
export const NAME_SPELLINGS: readonly string[][] = [
  ['muhammad', 'mohammed', 'mohamed', 'mohammad', 'muhammed'],
  ['ahmad', 'ahmed'],
  ['abu', 'abou'],
  ['abdul', 'abdel', 'abd'],
  ['abdullah', 'abdallah'],
  ['husain', 'hussein', 'hussain', 'husein'],
  ['hasan', 'hassan'],
  ['umar', 'omar'],
  ['usama', 'osama'],
  ['yusuf', 'yousef', 'youssef', 'yousuf'],
  ['khalid', 'khaled'],
  ['mustafa', 'moustafa', 'mostafa'],
  ['ibrahim', 'ebrahim'],
  ['islam', 'eslam'],
  ['sham', 'shaam'],
  ['ansar', 'ansaar'],
];

export type VariantFamily = 'numeric' | 'affix' | 'date' | 'article' | 'separator' | 'homoglyph' | 'translit' | 'title' | 'rule';

/** Prior likelihood of each family (see the module comment). Analysts' rules carry their own prior (default `rule`). */
export const VARIANT_PRIORS: Readonly<Record<VariantFamily, number>> = {
  numeric: 0.3,
  affix: 0.2,
  rule: 0.2,
  date: 0.12,
  article: 0.12,
  separator: 0.1,
  homoglyph: 0.1,
  translit: 0.08,
  title: 0.05,
};
/** Prior of the n-th variant of a family = family prior × RANK_DECAY^n. */
export const RANK_DECAY = 0.85;

/** An analyst's variant rule (validated by the settings schema): a regex replacement, or a suffix/prefix. */
export interface VariantRule {
  /** JavaScript regular expression applied to the lowercase handle (all matches replaced). */
  pattern: string;
  replace: string;
  prior?: number;
}

export interface VariantOptions {
  /** When the removal was seen: date suffixes of that day and the next, and its year. */
  removedAt?: Date;
  /** The predecessor's title (the `title` family). */
  title?: string;
  rules?: readonly VariantRule[];
  suffixes?: readonly string[];
  prefixes?: readonly string[];
}

export interface RankedVariant {
  handle: string;
  family: VariantFamily;
  prior: number;
}

function numericVariants(h: string): string[] {
  const m = /^(.*?)(\d+)$/.exec(h);
  if (m) {
    const stem = m[1] as string;
    const n = Number(m[2]);
    return [`${stem}${n + 1}`, `${stem}${n + 2}`, `${stem}${n + 3}`, stem.replace(/_$/, ''), `${stem}${String(n + 1).padStart((m[2] as string).length, '0')}`];
  }
  return [`${h}2`, `${h}_2`, `${h}1`, `${h}3`, `${h}_1`, `${h}_3`];
}

function separatorVariants(h: string): string[] {
  // all separators dropped, then one at a time (alpha_news_tv → alphanews_tv); a doubled one (alpha__news) is no
  // username Telegram gives
  const out = [h.replace(/_/g, '')];
  for (let i = h.indexOf('_'); i >= 0; i = h.indexOf('_', i + 1)) out.push(h.slice(0, i) + h.slice(i + 1));
  // a separator between letters and digits, and inside a long word that may be two written together
  // (alphanews → alpha_news), at least 3 letters from its ends; a short word between separators is left whole
  out.push(h.replace(/([a-z])(\d)/gi, '$1_$2'));
  let start = 0;
  for (const word of h.split('_')) {
    if (word.length >= SPLIT_WORD_MIN) for (let i = 3; i <= word.length - 3; i++) out.push(`${h.slice(0, start + i)}_${h.slice(start + i)}`);
    start += word.length + 1;
  }
  return out;
}

/** Each occurrence of `from` replaced by `to`, one at a time. */
function swapsAt(h: string, from: string, to: string): string[] {
  const out: string[] = [];
  let idx = h.indexOf(from);
  while (idx >= 0) {
    out.push(h.slice(0, idx) + to + h.slice(idx + from.length));
    idx = h.indexOf(from, idx + 1);
  }
  return out;
}

function nthIndex(h: string, s: string, n: number): number {
  let idx = h.indexOf(s);
  for (let i = 0; i < n && idx >= 0; i++) idx = h.indexOf(s, idx + 1);
  return idx;
}

function homoglyphVariants(h: string): string[] {
  return HOMOGLYPHS.flatMap(([from, to]) => swapsAt(h, from, to));
}

/** The other spellings of a word's Arabic ending: -ah ↔ -a, -iya ↔ -ia (one word, pure). */
function wordEndings(w: string): string[] {
  if (/iyah?$/.test(w)) return [w.replace(/iyah?$/, 'ia'), w.endsWith('h') ? w.slice(0, -1) : `${w}h`];
  if (/ia$/.test(w)) return [w.replace(/ia$/, 'iya')];
  if (/[^i]ah$/.test(w)) return [w.slice(0, -1)];
  if (/[^aei]a$/.test(w)) return [`${w}h`];
  return [];
}

/** Transliteration variants: the article, letter groups (both ways, one occurrence at a time) and name spellings. */
export function translitVariants(h: string): string[] {
  const out: string[] = [];
  for (const words of h.split('_').map((w, i, all) => ({ w, i, all }))) {
    const { w, i, all } = words;
    const replaceWord = (nw: string): string => [...all.slice(0, i), nw, ...all.slice(i + 1)].join('_');
    for (const row of NAME_SPELLINGS) {
      // a name as a whole word, or at the start of one (abu_…, abuhamza)
      const hit = [...row].sort((a, b) => b.length - a.length).find((n) => w.startsWith(n));
      if (hit) for (const alt of row) if (alt !== hit) out.push(replaceWord(alt + w.slice(hit.length)));
    }
    // al/el/ul switched, not on a word that only starts like the article (allied, alpha, elements: see falseArticle)
    const art = falseArticle(w) ? undefined : ARTICLES.find((a) => w.startsWith(a) && w.length > a.length + 2);
    if (art) for (const alt of ARTICLES) if (alt !== art) out.push(replaceWord(alt + w.slice(art.length)));
    // a final ta marbuta written -ah or -a (masirah/masira), and -iya/-ia (arabiya/arabia)
    if (w.length >= 5) out.push(...wordEndings(w).map(replaceWord));
  }
  for (const [a, b] of TRANSLIT_SWAPS) {
    out.push(...swapsAt(h, a, b));
    // the way back, except inside another letter group (sh, ch, th, gh: not an "h" that could be "kh")
    out.push(...swapsAt(h, b, a).filter((v, i) => b !== 'h' || !/[sctgdpk]$/.test(h.slice(0, nthIndex(h, b, i)))));
  }
  return out;
}

/**
 * English (and Latin) word starts that look like a glued article but are not one (al_ready, el_ements, as_sets,
 * at_tack, a_shore …): the similarity and the variants keep these words whole. Each long enough not to catch an
 * Arabic name (elite, not elit: elittihad; elimin: elimam; elsewh: elseyassa; alkalin: alkalima; assure: assuriya;
 * array still catches arraya). Nor is a word of al/el/ul before l, p, v or x (allied, all_news, alpha, alpine, elvis:
 * Arabic has no p, v or x, and al + l is written split, al_lail).
 */
const NOT_ARTICLE_STARTS: readonly string[] = [
  // al-
  'alert album alarm alien alon alter altitu although always almost already alright alcoh algebr algori alaba alask',
  'alchem alkalin alkalis alkalo alumn alumi albert alfred alex alias alive almond almanac',
  // el-, ul-
  'elect eleg elem elev elep elig elimin elite elitis eliz elix elsewh elast elder eldor elbow elton ultr ultim ulst ulys ulcer',
  // the article assimilated and doubled
  'assets assist assaul assemb assess assign assoc assume assump assure assuranc assas attack attach attain attempt attend',
  'attent attic attire attitud attorn attract attrib addict addit address arrow arrest array arriv arrang arrog',
  'annual annex announ anniv annoy annie',
  // a + sh/th/dh
  'ashore ashamed ashley ashton ashtray ashraf athlet athen athei adhes adher',
].flatMap((line) => line.split(' '));

/** The word starts like a glued article but carries none: al/el/ul before l, p, v or x, or an English word start. */
function falseArticle(word: string): boolean {
  return /^(al|el|ul)[lpvx]/.test(word) || NOT_ARTICLE_STARTS.some((s) => word.startsWith(s));
}

/**
 * The stem of one word that carries the Arabic article glued (pure; lowercase letters): al/el/ul + a stem of four
 * letters at least (alnoor → noor; alpha is not al + pha, allied not al + lied, elements not el + ements), the
 * article assimilated and doubled (annur → nur, ashshams → shams, arrahma → rahma; a stem of three letters at
 * least) or written a + sh/th/dh (asharq → sharq; a stem of five letters at least). Undefined when the word has no
 * article or starts like an English word (NOT_ARTICLE_STARTS).
 */
export function articleStem(word: string): string | undefined {
  if (falseArticle(word)) return undefined;
  const art = ARTICLES.find((a) => word.startsWith(a) && /^[a-z]{4}/.test(word.slice(a.length)));
  if (art) return word.slice(art.length);
  const sun = SUN_ARTICLES.find((a) => word.startsWith(a + a.slice(1)) && /^[a-z]{3}/.test(word.slice(a.length)));
  if (sun) return word.slice(sun.length);
  return /^a(sh|th|dh)[a-z]{3}/.test(word) ? word.slice(1) : undefined;
}

/**
 * The handle with every word's Arabic article dropped, or written `article` glued to its word (pure; lowercase, `_`
 * between words): a separate article before a word of three letters at least (al_noor_media, el_noor, ul_haq; a
 * sun-letter one only before its own letter: ash_sharq, an_nur, not news_at_night), and a glued one (see
 * articleStem). withoutArticle('ash_sharq') = 'sharq', withoutArticle('annur', 'al') = 'alnur'.
 */
export function withoutArticle(handle: string, article = ''): string {
  const words = handle.split('_');
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const next = words[i + 1] ?? '';
    if (/^[a-z]{3}/.test(next) && (ARTICLES.includes(w) || (SUN_ARTICLES.includes(w) && next.startsWith(w.slice(1))))) {
      out.push(article + next);
      i++;
      continue;
    }
    const stem = articleStem(w);
    out.push(stem === undefined ? w : article + stem);
  }
  return out.join('_');
}

/**
 * One word's article: [stem, the article as written] when the word carries one glued (alnoor, annur, asharq → ash;
 * see articleStem, which the similarity uses too: allied, alphanews, elements, ultras carry none).
 */
function gluedArticle(w: string): [string, string] | undefined {
  const stem = articleStem(w);
  if (stem === undefined) return undefined;
  const art = w.slice(0, w.length - stem.length);
  // a + sh/th/dh: the article is the assimilated one, ash/ath/adh
  return [stem, art === 'a' ? `a${stem.slice(0, 2)}` : art];
}

/** The sun-letter form of the article before this stem (ash before sh…, an before n…), if the stem takes one. */
function sunArticle(stem: string): string | undefined {
  return SUN_ARTICLES.find((a) => stem.startsWith(a.slice(1)) && (a.length === 3 || !/^[stdz]h/.test(stem)));
}

/**
 * The Arabic article (pure): dropped first (alnoor_media, al_noor_media → noor_media), then glued or split
 * (al_noor ↔ alnoor), assimilated (alsharq → asharq, ash_sharq) and switched (al_ → el_). Added: see addedArticle.
 */
export function articleVariants(h: string): string[] {
  const words = h.split('_');
  const drop: string[] = [];
  const other: string[] = [];
  const at = (i: number, nw: string[]): string => [...words.slice(0, i), ...nw, ...words.slice(i + 1)].filter(Boolean).join('_');
  words.forEach((w, i) => {
    const next = words[i + 1];
    if ((ARTICLES.includes(w) || SUN_ARTICLES.includes(w)) && next && next.length >= 3) {
      // a separate article: al_noor, ash_sham
      drop.push(at(i, []));
      other.push([...words.slice(0, i), `${w}${next}`, ...words.slice(i + 2)].join('_'));
      for (const alt of ARTICLES) if (alt !== w) other.push(at(i, [alt]));
      return;
    }
    const glued = gluedArticle(w);
    if (!glued) return;
    const [stem, art] = glued;
    drop.push(at(i, [stem]));
    other.push(at(i, [art, stem]));
    const sun = sunArticle(stem);
    if (art.startsWith('a') && sun && sun !== art) other.push(at(i, [`a${stem}`]), at(i, [sun, stem]));
    if (art !== 'al') other.push(at(i, [`al${stem}`]), at(i, ['al', stem]));
  });
  return [...drop, ...other];
}

/**
 * The article added to the first word of a handle that has none (noor_media → alnoor_media, al_noor_media; pure); not
 * to a word that only starts like one (alpha, allied, elements: see falseArticle).
 */
export function addedArticle(h: string): string[] {
  const first = h.split('_')[0] ?? '';
  if (articleVariants(h).length || !/^[a-z]{3,}$/.test(first) || falseArticle(first)) return [];
  const rest = h.slice(first.length);
  return [`al${first}${rest}`, `al_${first}${rest}`];
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The removal's day (and the next: a comeback is often opened the day after), versions and year. */
export function dateVariants(stem: string, removedAt?: Date): string[] {
  const out = [`${stem}_v2`, `${stem}_v3`, `${stem}v2`];
  if (!removedAt) return out;
  for (const d of [removedAt, new Date(removedAt.getTime() + 86400_000)]) {
    const dd = pad2(d.getUTCDate());
    const mm = pad2(d.getUTCMonth() + 1);
    out.push(`${stem}_${dd}${mm}`, `${stem}_${dd}_${mm}`, `${stem}${dd}${mm}`);
  }
  const y = removedAt.getUTCFullYear();
  out.push(`${stem}_${y}`, `${stem}${y}`, `${stem}_${String(y).slice(2)}`);
  return out;
}

/** The title as a handle: transliterated, lowercase, words joined by `_` (and without separators). */
export function titleHandles(title: string | undefined): string[] {
  if (!title) return [];
  const words = transliterate(title)
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (!words.length) return [];
  return [words.join('_'), words.join('')];
}

function ruleVariants(h: string, rules: readonly VariantRule[]): Array<{ handle: string; prior: number }> {
  const out: Array<{ handle: string; prior: number }> = [];
  if (h.length > 64) return out; // handles are 5–32 characters; rules never run on anything longer
  for (const r of rules) {
    const v = h.replace(new RegExp(r.pattern, 'g'), r.replace);
    if (v !== h) out.push({ handle: v, prior: r.prior ?? VARIANT_PRIORS.rule });
  }
  return out;
}

/** The handle without its affixes and counters (the stem that affix, date and rule variants build on). */
export function handleStem(handle: string): string {
  return handle
    .toLowerCase()
    .replace(/(_?(official|backup|new|channel|tv))+$/, '')
    .replace(/^(new_|official_|the_|real_)/, '');
}

/** Every candidate with its family and prior, most likely first (deterministic), bounded by `max`. */
export function rankedHandleVariants(handle: string, max = 60, opts: VariantOptions = {}): RankedVariant[] {
  const h = handle.toLowerCase();
  const stem = handleStem(h);
  const families: Array<{ family: VariantFamily; items: Array<{ handle: string; prior?: number }> }> = [
    { family: 'numeric', items: [...numericVariants(h), ...(stem !== h ? [stem, ...numericVariants(stem)] : [])].map((x) => ({ handle: x })) },
    { family: 'affix', items: [...AFFIXES.map((a) => `${stem}${a}`), ...PREFIXES.map((p) => `${p}${stem}`)].map((x) => ({ handle: x })) },
    {
      family: 'rule',
      items: [
        ...ruleVariants(h, opts.rules ?? []),
        ...(opts.suffixes ?? []).map((s) => ({ handle: `${stem}${s.toLowerCase()}` })),
        ...(opts.prefixes ?? []).map((p) => ({ handle: `${p.toLowerCase()}${stem}` })),
      ],
    },
    { family: 'date', items: dateVariants(stem, opts.removedAt).map((x) => ({ handle: x })) },
    {
      family: 'article',
      // an article added is less likely than one dropped or respelled: half the family's prior
      items: [...articleVariants(h).map((x) => ({ handle: x })), ...addedArticle(h).map((x) => ({ handle: x, prior: VARIANT_PRIORS.article / 2 }))],
    },
    { family: 'separator', items: separatorVariants(h).map((x) => ({ handle: x })) },
    { family: 'homoglyph', items: homoglyphVariants(h).map((x) => ({ handle: x })) },
    { family: 'translit', items: translitVariants(h).map((x) => ({ handle: x })) },
    { family: 'title', items: titleHandles(opts.title).map((x) => ({ handle: x })) },
  ];
  const all: Array<RankedVariant & { order: number }> = [];
  let order = 0;
  for (const { family, items } of families) {
    let rank = 0;
    const seenHere = new Set<string>();
    for (const it of items) {
      if (seenHere.has(it.handle)) continue;
      seenHere.add(it.handle);
      all.push({ handle: it.handle, family, prior: (it.prior ?? VARIANT_PRIORS[family]) * RANK_DECAY ** rank, order: order++ });
      rank++;
    }
  }
  all.sort((a, b) => b.prior - a.prior || a.order - b.order);
  const seen = new Set<string>([h]);
  const out: RankedVariant[] = [];
  for (const v of all) {
    if (out.length >= max) break;
    if (!isSettableHandle(v.handle) || seen.has(v.handle)) continue;
    seen.add(v.handle);
    out.push({ handle: v.handle, family: v.family, prior: Math.round(v.prior * 1e6) / 1e6 });
  }
  return out;
}

/** Candidate handles, most likely first, bounded by `max`. */
export function handleVariants(handle: string, max = 60, opts: VariantOptions = {}): string[] {
  return rankedHandleVariants(handle, max, opts).map((v) => v.handle);
}

/**
 * Canonical form for comparing handles: lowercase; counters, date suffixes and affixes stripped first (so
 * `_official` is not folded into `offlclal`); then homoglyphs and transliteration spellings folded; separators
 * dropped. With `article`, every word's Arabic article is dropped (`''`) or written one way (`'al'`) after the
 * homoglyphs are folded (see withoutArticle: al_noor_media, alnoor_media, noor_media → noormedia; annur, an_nur →
 * alnur).
 */
export function canonicalHandle(handle: string, opts: { article?: '' | 'al' } = {}): string {
  let h = handle.toLowerCase();
  // counters, versions and dates at the end first: "alpha3" is alpha's third head, not "alphae"
  for (let i = 0; i < 3; i++) {
    h = h
      .replace(/_v\d+$/, '')
      .replace(/[_\d]+$/, '')
      .replace(/(_?(official|backup|new|channel))+$/, '')
      .replace(/^(new|official|the|real)_/, '');
  }
  h = h.replace(/rn/g, 'm').replace(/0/g, 'o').replace(/[1|!]/g, 'l').replace(/3/g, 'e').replace(/4/g, 'a').replace(/5/g, 's');
  if (opts.article !== undefined) h = withoutArticle(h, opts.article);
  // one spelling per name and per letter group
  h = h
    .split('_')
    .map((w) => {
      for (const row of NAME_SPELLINGS) {
        const hit = [...row].sort((a, b) => b.length - a.length).find((n) => w.startsWith(n));
        if (hit) return (row[0] as string) + w.slice(hit.length);
      }
      return w.replace(/^(el|ul)(?=[a-z]{3})/, 'al');
    })
    .join('_')
    .replace(/ph/g, 'f')
    .replace(/kh/g, 'h')
    .replace(/ou/g, 'u')
    .replace(/oo/g, 'u')
    .replace(/ee/g, 'i')
    .replace(/i/g, 'l')
    .replace(/_/g, '');
  return h.replace(/\d+$/, '');
}
