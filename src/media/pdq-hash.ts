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

function box1D(input: Float32Array, output: Float32Array, start: number, length: number, stride: number, full: number): void {
  const half = Math.floor((full + 2) / 2);
  const p1 = Math.min(half - 1, length);
  const p2 = Math.max(0, Math.min(full - half + 1, length - p1));
  const p3 = Math.max(0, length - full);
  const p4 = Math.max(0, Math.min(half - 1, length - p2 - p3));
  let li = start;
  let ri = start;
  let oi = start;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < p1; i++) { sum += input[ri] as number; n++; ri += stride; }
  for (let i = 0; i < p2; i++) { sum += input[ri] as number; n++; output[oi] = sum / n; ri += stride; oi += stride; }
  for (let i = 0; i < p3; i++) { sum += (input[ri] as number) - (input[li] as number); output[oi] = sum / n; li += stride; ri += stride; oi += stride; }
  for (let i = 0; i < p4; i++) { sum -= input[li] as number; n--; output[oi] = sum / n; li += stride; oi += stride; }
}

let scratchA = new Float32Array(0);
let scratchB = new Float32Array(0);

/** Luminance (reference weights) of RGB or RGBA pixels. */
export function luminance(pixels: Uint8Array, width: number, height: number, channels: number): Float32Array {
  const n = width * height;
  if (scratchA.length < n) {
    scratchA = new Float32Array(n);
    scratchB = new Float32Array(n);
  }
  const out = scratchA;
  if (channels >= 3) {
    for (let i = 0, p = 0; i < n; i++, p += channels) out[i] = 0.299 * (pixels[p] as number) + 0.587 * (pixels[p + 1] as number) + 0.114 * (pixels[p + 2] as number);
  } else {
    for (let i = 0, p = 0; i < n; i++, p += channels) out[i] = pixels[p] as number;
  }
  return out;
}

/** 64×64 buffer from a luminance image (Jarosz filter, 2 passes, then decimation). */
export function downsample64(luma: Float32Array, width: number, height: number): Float64Array {
  const a = luma;
  const b = scratchB.length >= width * height ? scratchB : new Float32Array(width * height);
  const wRows = windowSize(width, DIM);
  const wCols = windowSize(height, DIM);
  for (let rep = 0; rep < 2; rep++) {
    for (let i = 0; i < height; i++) box1D(a, b, i * width, width, 1, wRows);
    for (let j = 0; j < width; j++) box1D(b, a, j, height, width, wCols);
  }
  const out = new Float64Array(DIM * DIM);
  for (let i = 0; i < DIM; i++) {
    const ini = Math.floor(((i + 0.5) * height) / DIM);
    for (let j = 0; j < DIM; j++) {
      const inj = Math.floor(((j + 0.5) * width) / DIM);
      out[i * DIM + j] = a[ini * width + inj] as number;
    }
  }
  return out;
}

export function quality64(buf: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < DIM - 1; i++) {
    for (let j = 0; j < DIM; j++) sum += Math.abs(Math.trunc((((buf[i * DIM + j] as number) - (buf[(i + 1) * DIM + j] as number)) * 100) / 255));
  }
  for (let i = 0; i < DIM; i++) {
    for (let j = 0; j < DIM - 1; j++) sum += Math.abs(Math.trunc((((buf[i * DIM + j] as number) - (buf[i * DIM + j + 1] as number)) * 100) / 255));
  }
  return Math.min(100, Math.trunc(sum / 90));
}

/** 16×16 DCT: D · A · Dᵀ. */
export function dct16(buf: Float64Array): Float64Array {
  const tmp = new Float64Array(16 * DIM);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < DIM; j++) {
      let s = 0;
      for (let k = 0; k < DIM; k++) s += (DCT[i * DIM + k] as number) * (buf[k * DIM + j] as number);
      tmp[i * DIM + j] = s;
    }
  }
  const out = new Float64Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let s = 0;
      for (let k = 0; k < DIM; k++) s += (tmp[i * DIM + k] as number) * (DCT[j * DIM + k] as number);
      out[i * 16 + j] = s;
    }
  }
  return out;
}

/** Median threshold → 16 words of 16 bits → hex with word 15 first (as the reference prints). */
export function hashFromDct(dct: Float64Array): string {
  const sorted = Float64Array.from(dct).sort();
  const median = ((sorted[127] as number) + (sorted[128] as number)) / 2;
  const words = new Uint16Array(16);
  for (let k = 0; k < 256; k++) if ((dct[k] as number) > median) words[k >> 4] = (words[k >> 4] as number) | (1 << (k & 15));
  let hex = '';
  for (let w = 15; w >= 0; w--) hex += (words[w] as number).toString(16).padStart(4, '0');
  return hex;
}

/** Like the reference: images larger than 512 px are first resized to 512×512 by nearest-neighbour sampling. */
export const DOWNSAMPLE_DIMS = 512;

function preDownsample(pixels: Uint8Array, width: number, height: number, channels: number): { px: Uint8Array; w: number; h: number } {
  if (width <= DOWNSAMPLE_DIMS && height <= DOWNSAMPLE_DIMS) return { px: pixels, w: width, h: height };
  const W = DOWNSAMPLE_DIMS;
  const H = DOWNSAMPLE_DIMS;
  const out = new Uint8Array(W * H * channels);
  for (let y = 0; y < H; y++) {
    const sy = Math.floor((y * height) / H);
    for (let x = 0; x < W; x++) {
      const sx = Math.floor((x * width) / W);
      const si = (sy * width + sx) * channels;
      const di = (y * W + x) * channels;
      for (let k = 0; k < channels; k++) out[di + k] = pixels[si + k] as number;
    }
  }
  return { px: out, w: W, h: H };
}

function buffer64(pixels: Uint8Array, width: number, height: number, channels: number): Float64Array {
  const { px, w, h } = preDownsample(pixels, width, height, channels);
  return downsample64(luminance(px, w, h, channels), w, h);
}

export function pdqFromPixels(pixels: Uint8Array, width: number, height: number, channels: number): PdqResult {
  const buf = buffer64(pixels, width, height, channels);
  return { hash: hashFromDct(dct16(buf)), quality: quality64(buf) };
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
  return transforms.map((t) => {
    const v = new Float64Array(DIM * DIM);
    for (let i = 0; i < DIM; i++) for (let j = 0; j < DIM; j++) v[i * DIM + j] = buf[t(i, j)] as number;
    return { hash: hashFromDct(dct16(v)), quality: q };
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
