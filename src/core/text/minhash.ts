import { normalizeText } from '../lang/normalize';

/**
 * Near-duplicate text: Arabic- and Latin-aware normalisation, word shingles, MinHash signatures, LSH bands and a
 * Jaccard estimate. Pure and deterministic (fixed hash seeds), so every worker computes the same signature.
 */
export interface MinHashOptions {
  /** Words per shingle. */
  shingle: number;
  /** Signature length = bands × rows. */
  bands: number;
  rows: number;
}

export const DEFAULT_MINHASH: MinHashOptions = { shingle: 3, bands: 16, rows: 4 };

/** FNV-1a 32-bit. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Tokens for matching: normalised words, Latin diacritics folded, punctuation dropped. */
export function tokens(text: string): string[] {
  return normalizeText(text, { taaMarbuta: true })
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

export function shingles(text: string, k: number): Set<string> {
  const t = tokens(text);
  const out = new Set<string>();
  if (t.length === 0) return out;
  if (t.length < k) {
    out.add(t.join(' '));
    return out;
  }
  for (let i = 0; i + k <= t.length; i++) out.add(t.slice(i, i + k).join(' '));
  return out;
}

// Universal hashing h(x) = (a*x + b) mod p on 32-bit values, with fixed (a, b) per permutation.
const P = 4294967311; // prime > 2^32
function coefficients(n: number): Array<[number, number]> {
  let s = 0x9e3779b9;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return Array.from({ length: n }, () => [(next() % (P - 1)) + 1, next() % P]);
}
const COEFFS = new Map<number, Array<[number, number]>>();

function mulmod(a: number, x: number): number {
  // (a * x) mod P without losing precision: split x into 16-bit halves.
  const hi = Math.floor(x / 65536);
  const lo = x % 65536;
  return (((a * hi) % P) * 65536 + a * lo) % P;
}

export function minhashSignature(text: string, opts: MinHashOptions = DEFAULT_MINHASH): number[] {
  const n = opts.bands * opts.rows;
  let coeffs = COEFFS.get(n);
  if (!coeffs) {
    coeffs = coefficients(n);
    COEFFS.set(n, coeffs);
  }
  const sig = new Array<number>(n).fill(Number.MAX_SAFE_INTEGER);
  const sh = shingles(text, opts.shingle);
  for (const s of sh) {
    const x = fnv1a(s);
    for (let i = 0; i < n; i++) {
      const [a, b] = coeffs[i] as [number, number];
      const v = (mulmod(a, x) + b) % P;
      if (v < (sig[i] as number)) sig[i] = v;
    }
  }
  return sig;
}

export function estimateJaccard(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  if (a[0] === Number.MAX_SAFE_INTEGER || b[0] === Number.MAX_SAFE_INTEGER) return 0; // empty text
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** LSH band keys: texts sharing any band key are candidates. `b<band>:<hash of the band's rows>`. */
export function lshBands(sig: readonly number[], opts: MinHashOptions = DEFAULT_MINHASH): string[] {
  if (sig[0] === Number.MAX_SAFE_INTEGER) return [];
  const keys: string[] = [];
  for (let band = 0; band < opts.bands; band++) {
    const rows = sig.slice(band * opts.rows, (band + 1) * opts.rows);
    keys.push(`b${band}:${fnv1a(rows.join(',')).toString(16)}`);
  }
  return keys;
}

export function exactJaccard(a: string, b: string, k = DEFAULT_MINHASH.shingle): number {
  const x = shingles(a, k);
  const y = shingles(b, k);
  if (x.size === 0 && y.size === 0) return 0;
  let inter = 0;
  for (const s of x) if (y.has(s)) inter++;
  return inter / (x.size + y.size - inter);
}
