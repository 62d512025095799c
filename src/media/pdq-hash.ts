/**
 * PDQ perceptual hash (256 bits + quality), written from Meta's published algorithm (ThreatExchange pdq):
 * luminance → two-pass Jarosz (tent) box filter → decimation to 64×64 → 16×16 DCT (without the DC row/column)
 * → median threshold. Quality is the normalised gradient sum of the 64×64 buffer (0–100).
 * Pure; buffers are reused between calls.
 */

export interface PdqResult {
  /** 64 hex characters, the reference's word order (word 15 first). */
  hash: string;
  quality: number;
}

const DIM = 64;

// DCT-II rows 1..16 (the DC row is skipped), scaled like the reference.
const DCT = (() => {
  const m = new Float64Array(16 * DIM);
  const scale = Math.sqrt(2 / DIM);
  for (let i = 0; i < 16; i++) for (let j = 0; j < DIM; j++) m[i * DIM + j] = scale * Math.cos((Math.PI / 2 / DIM) * (i + 1) * (2 * j + 1));
  return m;
})();

function windowSize(oldDim: number, newDim: number): number {
  return Math.floor((oldDim + 2 * newDim - 1) / (2 * newDim));
}

/*
 * The Jarosz filter is the reference's box1D applied twice along rows and twice along columns, then the result
 * is decimated to 64×64. box1D is out[i] = mean of in[max(0, i − L) .. min(len − 1, i + R)], R = half − 1,
 * L = full − half, half = floor((full + 2) / 2) (this closed form equals box1D whenever full <= len, which
 * always holds for PDQ's window sizes). All of it is linear and the row and column passes commute, so each
 * decimated value is a separable weighted sum: out(i, j) = Σ_y v_i(y) · Σ_x h_j(x) · luma(y, x), where h_j is
 * row floor((j + 0.5)·width/64) of the 1-D operator box∘box (a tent of 2·full − 1 taps, renormalised at the
 * edges like box1D) and v_i likewise for columns. Evaluating only those 64 + 64 tents gives the same values as
 * filtering the whole image (up to float rounding) for a fraction of the work, and no full-size buffers.
 */

/** The 64 sampled rows of box∘box for a vector of length n: weights padded to a common span. */
interface Tents {
  n: number;
  span: number;
  start: Int32Array; // first tap of each tent (clamped so that start + span <= n)
  weight: Float64Array; // 64 × span
}

function boxLo(i: number, full: number): number {
  const v = i - (full - ((full + 2) >> 1));
  return v > 0 ? v : 0;
}
function boxHi(i: number, full: number, n: number): number {
  const v = i + ((full + 2) >> 1) - 1;
  return v < n - 1 ? v : n - 1;
}

function tents(n: number): Tents {
  const full = windowSize(n, DIM);
  const span = Math.min(n, 2 * full - 1);
  const start = new Int32Array(DIM);
  const weight = new Float64Array(DIM * span);
  for (let j = 0; j < DIM; j++) {
    const c = Math.floor(((j + 0.5) * n) / DIM);
    const lo = boxLo(c, full);
    const hi = boxHi(c, full, n);
    const first = boxLo(lo, full);
    const s = Math.max(0, Math.min(first, n - span));
    start[j] = s;
    // row c of box∘box = mean over y in [lo, hi] of row y of box
    for (let y = lo; y <= hi; y++) {
      const l = boxLo(y, full);
      const h = boxHi(y, full, n);
      const w = 1 / (hi - lo + 1) / (h - l + 1);
      for (let x = l; x <= h; x++) weight[j * span + (x - s)] = (weight[j * span + (x - s)] as number) + w;
    }
  }
  return { n, span, start, weight };
}

const tentCache = new Map<number, Tents>();
function tentsFor(n: number): Tents {
  let t = tentCache.get(n);
  if (!t) {
    if (tentCache.size > 64) tentCache.clear();
    t = tents(n);
    tentCache.set(n, t);
  }
  return t;
}

// Reused between calls (the hot path allocates nothing once the buffers have grown).
let rowsBuf = new Float64Array(0); // per needed image row: its 64 horizontal tent sums
let tapOff = new Int32Array(0); // per horizontal tap: offset of its pixel within a row
let rowOff = new Int32Array(0); // per image row: offset of its first pixel (-1 when no tent reads it)
let lumaBuf = new Float32Array(0);
const buf64 = new Float64Array(DIM * DIM);
const dihedralBuf = new Float64Array(DIM * DIM);
const dctTmp = new Float64Array(16 * DIM);
const dctOut = new Float64Array(256);
const medianBuf = new Float64Array(256);

/** Luminance (reference weights) of RGB or RGBA pixels. Returns a buffer that is reused by the next call. */
export function luminance(pixels: Uint8Array, width: number, height: number, channels: number): Float32Array {
  const n = width * height;
  if (lumaBuf.length < n) lumaBuf = new Float32Array(n);
  const out = lumaBuf;
  if (channels >= 3) {
    for (let i = 0, p = 0; i < n; i++, p += channels)
      out[i] = 0.299 * (pixels[p] as number) + 0.587 * (pixels[p + 1] as number) + 0.114 * (pixels[p + 2] as number);
  } else {
    for (let i = 0, p = 0; i < n; i++, p += channels) out[i] = pixels[p] as number;
  }
  return out;
}

/**
 * The filtered 64×64 buffer of an image of `w` × `h` (logical) pixels. Pixel (x, y) is read at
 * rowOff[y] + tapOff[tap] of `pixels` (rows that no tent reads have rowOff −1) with `channels` bytes per pixel (luminance computed on the fly, rounded
 * to float like the reference's luminance buffer), or from a float luminance image when `luma` is given.
 */
function filter64(pixels: Uint8Array | null, luma: Float32Array | null, channels: number, w: number, h: number, out: Float64Array): void {
  const th = tentsFor(w);
  const tv = tentsFor(h);
  const hs = th.span;
  const hStart = th.start;
  const vs = tv.span;
  const vStart = tv.start;
  const hw = th.weight;
  const vw = tv.weight;
  if (rowsBuf.length < h * DIM) rowsBuf = new Float64Array(h * DIM);
  const rows = rowsBuf;
  // horizontal tents of each needed row
  for (let y = 0; y < h; y++) {
    const rb = rowOff[y] as number;
    if (rb < 0) continue;
    const o = y * DIM;
    if (luma) {
      const base = y * w;
      for (let j = 0; j < DIM; j++) {
        const s = base + (hStart[j] as number);
        const wb = j * hs;
        let acc = 0;
        for (let t = 0; t < hs; t++) acc += (hw[wb + t] as number) * (luma[s + t] as number);
        rows[o + j] = acc;
      }
    } else if (pixels && channels >= 3) {
      const base = rb;
      for (let j = 0; j < DIM; j++) {
        const wb = j * hs;
        let acc = 0;
        for (let t = 0; t < hs; t++) {
          const p = base + (tapOff[wb + t] as number);
          acc += (hw[wb + t] as number) * Math.fround(0.299 * (pixels[p] as number) + 0.587 * (pixels[p + 1] as number) + 0.114 * (pixels[p + 2] as number));
        }
        rows[o + j] = acc;
      }
    } else if (pixels) {
      const base = rb;
      for (let j = 0; j < DIM; j++) {
        const wb = j * hs;
        let acc = 0;
        for (let t = 0; t < hs; t++) acc += (hw[wb + t] as number) * (pixels[base + (tapOff[wb + t] as number)] as number);
        rows[o + j] = acc;
      }
    }
  }
  // vertical tents
  for (let i = 0; i < DIM; i++) {
    const o = i * DIM;
    const s = vStart[i] as number;
    for (let j = 0; j < DIM; j++) out[o + j] = 0;
    for (let t = 0; t < vs; t++) {
      const c = vw[i * vs + t] as number;
      if (c === 0) continue;
      const r = (s + t) * DIM;
      for (let j = 0; j < DIM; j++) out[o + j] = (out[o + j] as number) + c * (rows[r + j] as number);
    }
    for (let j = 0; j < DIM; j++) out[o + j] = Math.fround(out[o + j] as number);
  }
}

/** rowOff for an image of h rows: −1 for rows no vertical tent reads, else offset(y) (the pixel offset of the row). */
function prepareRows(h: number, offset: (y: number) => number): void {
  if (rowOff.length < h) rowOff = new Int32Array(h);
  rowOff.fill(-1, 0, h);
  const tv = tentsFor(h);
  for (let i = 0; i < DIM; i++) {
    for (let t = 0; t < tv.span; t++) {
      if ((tv.weight[i * tv.span + t] as number) === 0) continue;
      const y = (tv.start[i] as number) + t;
      rowOff[y] = offset(y);
    }
  }
}

/**
 * 64×64 buffer from a float luminance image: Jarosz filter (2 iterations of row and column box filters), then
 * decimation. Writes into `out` (a fresh buffer when omitted).
 */
export function downsample64(luma: Float32Array, width: number, height: number, out: Float64Array = new Float64Array(DIM * DIM)): Float64Array {
  prepareRows(height, () => 0);
  filter64(null, luma, 1, width, height, out);
  return out;
}

export function quality64(buf: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < DIM - 1; i++) {
    const a = i * DIM;
    for (let j = 0; j < DIM; j++) sum += Math.abs(Math.trunc((((buf[a + j] as number) - (buf[a + DIM + j] as number)) * 100) / 255));
  }
  for (let i = 0; i < DIM; i++) {
    const a = i * DIM;
    for (let j = 0; j < DIM - 1; j++) sum += Math.abs(Math.trunc((((buf[a + j] as number) - (buf[a + j + 1] as number)) * 100) / 255));
  }
  return Math.min(100, Math.trunc(sum / 90));
}

/*
 * DCT symmetry: D[i][63 - k] = (-1)^(i + 1) · D[i][k] (row i is the (i + 1)-th cosine). So row i needs only
 * the first 32 coefficients, applied to A[k] + A[63 - k] (odd i) or A[k] − A[63 - k] (even i): half the products.
 */
const HALF = DIM / 2;
const DCT_HALF = (() => {
  const m = new Float64Array(16 * HALF);
  for (let i = 0; i < 16; i++) for (let k = 0; k < HALF; k++) m[i * HALF + k] = DCT[i * DIM + k] as number;
  return m;
})();
const dctSum = new Float64Array(HALF * DIM);
const dctDiff = new Float64Array(HALF * DIM);
const rowSum = new Float64Array(16 * HALF);
const rowDiff = new Float64Array(16 * HALF);

/** 16×16 DCT: D · A · Dᵀ, as two matrix products (64×64 → 16×64 → 16×16). Writes into `out` (fresh when omitted). */
export function dct16(buf: Float64Array, out: Float64Array = new Float64Array(256)): Float64Array {
  // column-wise fold: sum/diff of rows k and 63 - k
  const S = dctSum;
  const Df = dctDiff;
  for (let k = 0; k < HALF; k++) {
    const a = k * DIM;
    const b = (DIM - 1 - k) * DIM;
    for (let j = 0; j < DIM; j++) {
      const x = buf[a + j] as number;
      const y = buf[b + j] as number;
      S[a + j] = x + y;
      Df[a + j] = x - y;
    }
  }
  // tmp = D · A (16 × 64), four columns at a time in registers
  const tmp = dctTmp;
  for (let i = 0; i < 16; i++) {
    const src = (i & 1) === 1 ? S : Df;
    const d = i * HALF;
    const t = i * DIM;
    for (let j = 0; j < DIM; j += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < HALF; k++) {
        const c = DCT_HALF[d + k] as number;
        const o = k * DIM + j;
        s0 += c * (src[o] as number);
        s1 += c * (src[o + 1] as number);
        s2 += c * (src[o + 2] as number);
        s3 += c * (src[o + 3] as number);
      }
      tmp[t + j] = s0;
      tmp[t + j + 1] = s1;
      tmp[t + j + 2] = s2;
      tmp[t + j + 3] = s3;
    }
  }
  // out = tmp · Dᵀ, with the same fold along each tmp row
  for (let i = 0; i < 16; i++) {
    const t = i * DIM;
    const r = i * HALF;
    for (let k = 0; k < HALF; k++) {
      const x = tmp[t + k] as number;
      const y = tmp[t + DIM - 1 - k] as number;
      rowSum[r + k] = x + y;
      rowDiff[r + k] = x - y;
    }
  }
  for (let i = 0; i < 16; i++) {
    const r = i * HALF;
    for (let j = 0; j < 16; j++) {
      const src = (j & 1) === 1 ? rowSum : rowDiff;
      const d = j * HALF;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < HALF; k += 4) {
        s0 += (DCT_HALF[d + k] as number) * (src[r + k] as number);
        s1 += (DCT_HALF[d + k + 1] as number) * (src[r + k + 1] as number);
        s2 += (DCT_HALF[d + k + 2] as number) * (src[r + k + 2] as number);
        s3 += (DCT_HALF[d + k + 3] as number) * (src[r + k + 3] as number);
      }
      out[i * 16 + j] = s0 + s1 + s2 + s3;
    }
  }
  return out;
}

/** k-th smallest of a[0..n) (quickselect, reorders a). */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three as pivot
    let x = a[lo] as number;
    let y = a[mid] as number;
    let z = a[hi] as number;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    if (y > z) {
      y = z;
    }
    const pivot = x > y ? x : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}

/** Median threshold → 16 words of 16 bits → hex with word 15 first (as the reference prints). */
export function hashFromDct(dct: Float64Array): string {
  const m = medianBuf;
  m.set(dct.subarray(0, 256));
  const lowMid = select(m, 256, 127);
  // after selecting index 127, every element at 128.. is >= it: the upper middle is their minimum
  let highMid = Infinity;
  for (let k = 128; k < 256; k++) if ((m[k] as number) < highMid) highMid = m[k] as number;
  const median = (lowMid + highMid) / 2;
  let hex = '';
  for (let w = 15; w >= 0; w--) {
    let word = 0;
    const b = w * 16;
    for (let k = 0; k < 16; k++) if ((dct[b + k] as number) > median) word |= 1 << k;
    hex += (HEX2[word >> 8] as string) + (HEX2[word & 255] as string);
  }
  return hex;
}

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Like the reference: images larger than 512 px are first resized to 512×512 by nearest-neighbour sampling. */
export const DOWNSAMPLE_DIMS = 512;

function buffer64(pixels: Uint8Array, width: number, height: number, channels: number): Float64Array {
  // Like the reference: larger images are first resized to 512×512 by nearest-neighbour sampling; the sampling
  // is folded into the pixel offsets below.
  const sampled = width > DOWNSAMPLE_DIMS || height > DOWNSAMPLE_DIMS;
  const w = sampled ? DOWNSAMPLE_DIMS : width;
  const h = sampled ? DOWNSAMPLE_DIMS : height;
  const th = tentsFor(w);
  const n = DIM * th.span;
  if (tapOff.length < n) tapOff = new Int32Array(n);
  for (let j = 0; j < DIM; j++) {
    for (let t = 0; t < th.span; t++) {
      const x = (th.start[j] as number) + t;
      tapOff[j * th.span + t] = (sampled ? Math.floor((x * width) / w) : x) * channels;
    }
  }
  const rowBytes = width * channels;
  prepareRows(h, sampled ? (y) => Math.floor((y * height) / h) * rowBytes : (y) => y * rowBytes);
  filter64(pixels, null, channels, w, h, buf64);
  return buf64;
}

export function pdqFromPixels(pixels: Uint8Array, width: number, height: number, channels: number): PdqResult {
  const buf = buffer64(pixels, width, height, channels);
  return { hash: hashFromDct(dct16(buf, dctOut)), quality: quality64(buf) };
}

/** The 8 dihedral variants (rotations and flips) of an image's 64×64 buffer, hashed. Index 0 is the original. */
export function pdqDihedral(pixels: Uint8Array, width: number, height: number, channels: number): PdqResult[] {
  const buf = buffer64(pixels, width, height, channels);
  const q = quality64(buf);
  const transforms: Array<(i: number, j: number) => number> = [
    (i, j) => i * DIM + j, // original
    (i, j) => (DIM - 1 - j) * DIM + i, // rotate 90
    (i, j) => (DIM - 1 - i) * DIM + (DIM - 1 - j), // rotate 180
    (i, j) => j * DIM + (DIM - 1 - i), // rotate 270
    (i, j) => i * DIM + (DIM - 1 - j), // flip x (mirror)
    (i, j) => (DIM - 1 - i) * DIM + j, // flip y
    (i, j) => j * DIM + i, // transpose
    (i, j) => (DIM - 1 - j) * DIM + (DIM - 1 - i), // anti-transpose
  ];
  const v = dihedralBuf;
  return transforms.map((t) => {
    for (let i = 0; i < DIM; i++) for (let j = 0; j < DIM; j++) v[i * DIM + j] = buf[t(i, j)] as number;
    return { hash: hashFromDct(dct16(v, dctOut)), quality: q };
  });
}

const POP = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = (i & 1) + (t[i >> 1] as number);
  return t;
})();

/** Hamming distance of two 64-hex PDQ hashes. */
export function hamming(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 64; i += 2) d += POP[parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16)] as number;
  return d;
}
