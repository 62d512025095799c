/**
 * Extra PDQ views of a picture, for the re-uploads that defeat the plain hash (pure). All views are hashed the
 * same way on both sides, so that they compare like with like: the region is averaged straight down to 32×32
 * cells from a grey working copy (≤ 256 px, through a summed-area table), then PDQ's DCT and median threshold:
 * - stored with the item (index time): the base (the whole picture, borders trimmed), the caption-stripped
 *   picture, and crop windows of the base (centre, corners, top and bottom strips) — a crop, or a caption banner
 *   laid over one end, matches one of them;
 * - computed for a new picture only (query time): its base, trimmed and caption-stripped versions (a letterboxed
 *   or captioned copy of a stored picture) and the small rotation undone when its corners show one.
 * Windows are stored rather than queried because a crop cannot be undone from the cropped copy: only the original
 * knows what was around it. Rotations are undone on the query because the angle is read off the copy itself.
 */
import {
  cornerLevel,
  crop,
  DEFAULT_CAPTION,
  DEFAULT_TRIM,
  DEFAULT_WINDOWS,
  detectCaptionBands,
  estimateRotation,
  fullRect,
  rotateGray,
  stripBands,
  toGraySmall,
  trimBorders,
  windowRect,
  type CaptionOptions,
  type Gray,
  type Rect,
  type TrimOptions,
  type WindowSpec,
} from './normalise';
import type { Settings } from '../config/schema';
import { pdqFromPixels } from './pdq-hash';

type MediaSettings = Settings['media'];

/** `base`: the whole picture (borders trimmed when it had none, as is). */
export type ViewHow = 'base' | 'trimmed' | 'caption-stripped' | 'window' | 'rotated' | 'dihedral';

export interface HashView {
  hash: string;
  how: ViewHow;
  /** Which window or angle, e.g. "c90", "+4.1". */
  name?: string;
}

export interface ViewOptions {
  trim: boolean;
  captions: boolean;
  windows: readonly WindowSpec[];
  /** Undo rotations up to this many degrees (0: never). */
  maxRotation: number;
  /** Dihedral turns (see dihedralCells) of the base view that a new picture also queries (cells turned back). */
  dihedral: readonly number[];
  /** Names of stored windows that a new picture also cuts of itself and queries (a logo or banner in a corner). */
  queryWindows: readonly string[];
  minQuality: number;
  /** Longer side of the grey copy the views are computed on. */
  workSide: number;
  trimOptions?: TrimOptions;
  captionOptions?: CaptionOptions;
}

/** Longer side of the grey working copy (views are 64×64 averages of it: 4×4 pixels a cell at most). */
export const WORK_SIDE = 256;

/** Windows a new picture queries of itself: without the top or the bottom 15% (a logo or small banner there). */
export const QUERY_WINDOWS: readonly string[] = ['t85', 'b85'];

/**
 * The turns a new picture queries of its base view: the mirror (1) and 180° (3), the common ones. Each is a lookup in
 * the views index (tens of millions of views at a million pictures); the rarer flips and 90° turns are left to the
 * full-size PDQ's dihedral hashes against the plain index.
 */
export const QUERY_TURNS: readonly number[] = [1, 3];

export const DEFAULT_VIEW_OPTIONS: ViewOptions = {
  trim: true,
  captions: true,
  windows: DEFAULT_WINDOWS,
  maxRotation: 10,
  dihedral: QUERY_TURNS,
  queryWindows: QUERY_WINDOWS,
  minQuality: 50,
  workSide: WORK_SIDE,
};

/** A view kept with the item (never a rotation or a dihedral turn: those are undone on new pictures only). */
export type StoredHashView = HashView & { how: Exclude<ViewHow, 'rotated' | 'dihedral'> };

export interface ImageViews {
  /** Kept with the item and indexed. */
  stored: StoredHashView[];
  /** Looked up for a new picture (besides its plain and dihedral hashes). */
  query: HashView[];
  /** What normalisation found (for tests and the bench). */
  trimmed: Rect;
  content: Rect;
  rotation?: number;
}

/** At least this much (share of the area) must go for a trimmed or stripped view to be worth a hash. */
const MIN_CHANGE = 0.03;

/** Summed-area table of a grey picture: sat[(y)(w + 1) + x] = sum of the pixels above and left of (x, y). */
export function summedArea(g: Gray): Float64Array {
  const W = g.width + 1;
  const sat = new Float64Array(W * (g.height + 1));
  for (let y = 0; y < g.height; y++) {
    let row = 0;
    for (let x = 0; x < g.width; x++) {
      row += g.data[y * g.width + x] as number;
      sat[(y + 1) * W + x + 1] = (sat[y * W + x + 1] as number) + row;
    }
  }
  return sat;
}

const CELLS = 32;
/** DCT-II rows 1..16 over 32 samples (the same frequencies as PDQ's rows 1..16 over 64). */
const DCT32 = (() => {
  const m = new Float64Array(16 * CELLS);
  const scale = Math.sqrt(2 / CELLS);
  for (let i = 0; i < 16; i++) for (let j = 0; j < CELLS; j++) m[i * CELLS + j] = scale * Math.cos((Math.PI / 2 / CELLS) * (i + 1) * (2 * j + 1));
  return m;
})();
const tmp = new Float64Array(16 * CELLS);
const coef = new Float64Array(256);
const sorted = new Float64Array(256);
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * The 32×32 cells of a region (each the mean grey of its pixels, from the summed-area table) and PDQ's gradient
 * quality scaled to the coarser grid (pure).
 */
export function regionCells(sat: Float64Array, g: { width: number; height: number }, r: Rect): { cells: Float64Array; quality: number } {
  const W = g.width + 1;
  const out = new Float64Array(CELLS * CELLS);
  const xs = new Int32Array(CELLS + 1);
  const ys = new Int32Array(CELLS + 1);
  for (let k = 0; k <= CELLS; k++) {
    xs[k] = r.left + Math.round((k * r.width) / CELLS);
    ys[k] = r.top + Math.round((k * r.height) / CELLS);
  }
  let grad = 0;
  for (let i = 0; i < CELLS; i++) {
    const y0 = ys[i] as number;
    const y1 = Math.max(y0 + 1, ys[i + 1] as number);
    const a = y0 * W;
    const b = y1 * W;
    for (let j = 0; j < CELLS; j++) {
      const x0 = xs[j] as number;
      const x1 = Math.max(x0 + 1, xs[j + 1] as number);
      const v = ((sat[b + x1] as number) - (sat[a + x1] as number) - (sat[b + x0] as number) + (sat[a + x0] as number)) / ((y1 - y0) * (x1 - x0));
      out[i * CELLS + j] = v;
      if (j > 0) grad += Math.abs(v - (out[i * CELLS + j - 1] as number));
      if (i > 0) grad += Math.abs(v - (out[(i - 1) * CELLS + j] as number));
    }
  }
  // PDQ: sum of |steps| × 100 / 255 over the 64×64 grid, / 90, capped at 100; a 32×32 grid has a quarter of the
  // steps, each about twice as large
  return { cells: out, quality: Math.min(100, Math.trunc(((grad * 100) / 255 / 90) * 2)) };
}

/** PDQ-style hash of 32×32 cells: the 16×16 low-frequency DCT (PDQ's frequencies, without DC), median threshold (pure). */
export function cellsHash(cells: Float64Array): string {
  // D · A (16×32), then (D · A) · Dᵀ (16×16)
  for (let u = 0; u < 16; u++) {
    for (let j = 0; j < CELLS; j++) {
      let sum = 0;
      for (let i = 0; i < CELLS; i++) sum += (DCT32[u * CELLS + i] as number) * (cells[i * CELLS + j] as number);
      tmp[u * CELLS + j] = sum;
    }
  }
  for (let u = 0; u < 16; u++) {
    for (let v = 0; v < 16; v++) {
      let sum = 0;
      for (let j = 0; j < CELLS; j++) sum += (tmp[u * CELLS + j] as number) * (DCT32[v * CELLS + j] as number);
      coef[u * 16 + v] = sum;
    }
  }
  sorted.set(coef);
  sorted.sort();
  const median = ((sorted[127] as number) + (sorted[128] as number)) / 2;
  let hex = '';
  for (let w = 15; w >= 0; w--) {
    let word = 0;
    for (let k = 0; k < 16; k++) if ((coef[w * 16 + k] as number) > median) word |= 1 << k;
    hex += (HEX2[word >> 8] as string) + (HEX2[word & 255] as string);
  }
  return hex;
}

/**
 * PDQ-style hash of a region: its pixels averaged into 32×32 cells (from the summed-area table), the 16×16
 * low-frequency DCT (PDQ's frequencies, without DC), median threshold; 256 bits in PDQ's hex layout. Quality is
 * PDQ's gradient measure scaled to the coarser grid. Views are compared with views only, so the coarser grid
 * (4× fewer cells than PDQ's 64×64, a quarter of the work) is the same on both sides.
 */
export function regionPdq(sat: Float64Array, g: { width: number; height: number }, r: Rect): { hash: string; quality: number } {
  const c = regionCells(sat, g, r);
  return { hash: cellsHash(c.cells), quality: c.quality };
}

/**
 * Cells under one of the 8 dihedral transforms (pure): k & 4 transposes, k & 2 flips top to bottom, k & 1 flips left
 * to right (k = 0: as is). The seven others undo a mirror, a flip or a turn by 90°, 180° or 270° of the picture.
 */
export function dihedralCells(c: Float64Array, k: number): Float64Array {
  const out = new Float64Array(CELLS * CELLS);
  const n = CELLS - 1;
  for (let i = 0; i < CELLS; i++) {
    for (let j = 0; j < CELLS; j++) {
      let y = k & 4 ? j : i;
      let x = k & 4 ? i : j;
      if (k & 2) y = n - y;
      if (k & 1) x = n - x;
      out[i * CELLS + j] = c[y * CELLS + x] as number;
    }
  }
  return out;
}

const area = (r: Rect): number => r.width * r.height;

/**
 * Share of a w×h picture turned by `degrees` that the centred axis-aligned rectangle of the same proportions keeps
 * inside the turned frame (pure): a copy turned and cropped back to its size has lost its corners, and only this
 * inscribed rectangle is sure to hold the original's pixels.
 */
export function inscribedShare(width: number, height: number, degrees: number): number {
  const a = (Math.abs(degrees) * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  return Math.min(width / (width * c + height * s), height / (width * s + height * c));
}

/**
 * Query views of a copy turned by ±`rotation` degrees (pure): the turn undone on a copy of at most 256 px
 * (bilinear), then (a) the content trimmed of its fill (a turned copy on a larger canvas), and (b) the largest stored
 * centred window inside the inscribed rectangle (a turned copy cropped back to its size: its corners are cut, so it is
 * compared with a window of the original that the same crop left whole).
 */
export function rotationViews(g: Gray, rotation: number, opts: ViewOptions): HashView[] {
  const out: HashView[] = [];
  const small = g.width > 256 || g.height > 256 ? toGraySmall(g.data, g.width, g.height, 1, 256) : g;
  const fill = cornerLevel(small);
  const centred = opts.windows.filter((w) => w.ax === 0.5 && w.ay === 0.5 && w.sw === w.sh).sort((a, b) => b.sw - a.sw);
  for (const deg of [rotation, -rotation]) {
    const r = rotateGray(small, deg, fill);
    const t = opts.trim ? trimBorders(r, opts.trimOptions ?? DEFAULT_TRIM) : fullRect(r);
    if (t.width < 16 || t.height < 16) continue;
    const sat = summedArea(r);
    const name = `${deg > 0 ? '+' : ''}${deg.toFixed(1)}`;
    const p = regionPdq(sat, r, t);
    if (p.quality >= opts.minQuality) out.push({ hash: p.hash, how: 'rotated', name });
    const keep = inscribedShare(t.width, t.height, deg);
    const win = centred.find((w) => w.sw <= keep + 0.01);
    if (!win) continue;
    const q = regionPdq(sat, r, windowRect(t, win));
    if (q.quality >= opts.minQuality) out.push({ hash: q.hash, how: 'rotated', name: `${name}/${win.name}` });
  }
  return out;
}

/** The views of a grey picture (see the module comment). */
export function viewsOfGray(g: Gray, opts: ViewOptions = DEFAULT_VIEW_OPTIONS): ImageViews {
  const sat = summedArea(g);
  const hashOf = (r: Rect): string | undefined => {
    if (r.width < 16 || r.height < 16) return undefined;
    const p = regionPdq(sat, g, r);
    return p.quality >= opts.minQuality ? p.hash : undefined;
  };
  const full = fullRect(g);
  const trimOpts = opts.trimOptions ?? DEFAULT_TRIM;
  const trimmed = opts.trim ? trimBorders(g, trimOpts) : full;
  const wasTrimmed = area(trimmed) < (1 - MIN_CHANGE) * area(full);
  const base = wasTrimmed ? trimmed : full;
  // caption bands are looked for on the whole picture (a band added above or below has plain margins that a trim
  // would eat), then what is left is trimmed
  const bands = opts.captions ? detectCaptionBands(g, opts.captionOptions ?? DEFAULT_CAPTION) : { top: 0, bottom: 0 };
  let content = stripBands(full, bands);
  if (content.height < full.height && opts.trim) {
    const t = trimBorders(crop(g, content), trimOpts);
    content = { left: content.left + t.left, top: content.top + t.top, width: t.width, height: t.height };
  }
  if (content.height === full.height) content = base;
  const stored: StoredHashView[] = [];
  const query: HashView[] = [];
  const push = <T extends HashView>(list: T[], v: T): void => {
    if (!list.some((x) => x.hash === v.hash)) list.push(v);
  };
  const baseCells = base.width >= 16 && base.height >= 16 ? regionCells(sat, g, base) : undefined;
  if (baseCells && baseCells.quality >= opts.minQuality) {
    const baseHash = cellsHash(baseCells.cells);
    push(stored, { hash: baseHash, how: wasTrimmed ? 'trimmed' : 'base' });
    push(query, { hash: baseHash, how: wasTrimmed ? 'trimmed' : 'base' });
    // a mirrored or turned copy: its cells turned back compare with the stored base exactly, unlike the full-size
    // PDQ's dihedral hashes (whose 64×64 downsampling grid does not turn with the picture)
    for (const k of opts.dihedral) push(query, { hash: cellsHash(dihedralCells(baseCells.cells, k)), how: 'dihedral', name: `d${k}` });
  }
  if (area(content) < (1 - MIN_CHANGE) * area(base)) {
    const h = hashOf(content);
    if (h) {
      push(stored, { hash: h, how: 'caption-stripped' });
      push(query, { hash: h, how: 'caption-stripped' });
    }
  }
  // a banner laid over one end hides that end of the original: the stored strip window (full width, from the
  // other end) that fits in what is left is cut from the copy at exactly its place, so that the two line up
  if (bands.top > 0 !== bands.bottom > 0) {
    const keepTop = bands.bottom > 0;
    const visible = g.height - bands.top - bands.bottom - 1;
    const fits = opts.windows.filter((w) => w.sw === 1 && w.ay === (keepTop ? 0 : 1) && Math.round(w.sh * g.height) <= visible).sort((a, b) => b.sh - a.sh)[0];
    const h = fits ? hashOf(windowRect(full, fits)) : undefined;
    if (h && fits) push(query, { hash: h, how: 'caption-stripped', name: fits.name });
  }
  for (const w of opts.windows) {
    const h = hashOf(windowRect(base, w));
    if (!h) continue;
    push(stored, { hash: h, how: 'window', name: w.name });
    // the copy's own end strips: a logo or a small banner in a corner of the copy is outside one of them, which the
    // original stored at the same place
    if (opts.queryWindows.includes(w.name)) push(query, { hash: h, how: 'window', name: w.name });
  }
  // a tight tolerance first: a picture dark (or light) at its corners runs into a black (or white) fill with the
  // loose one, so no angle is read (a space photograph turned on black); the loose one for a fill JPEG has blurred
  const rotation =
    opts.maxRotation > 0
      ? (estimateRotation(g, { tolerance: 6, maxDegrees: opts.maxRotation }) ?? estimateRotation(g, { tolerance: 24, maxDegrees: opts.maxRotation }))
      : undefined;
  if (rotation !== undefined) for (const v of rotationViews(g, rotation, opts)) push(query, v);
  return { stored, query, trimmed, content, ...(rotation !== undefined ? { rotation } : {}) };
}

/** The views of decoded pixels (1–4 channels). */
export function imageViews(pixels: Uint8Array, width: number, height: number, channels: number, opts: ViewOptions = DEFAULT_VIEW_OPTIONS): ImageViews {
  return viewsOfGray(toGraySmall(pixels, width, height, channels, opts.workSide), opts);
}

/**
 * Only centred bars count as letterboxing in a video frame (a film's flat sky or floor must not be cut from some
 * frames and not from others): bars on opposite sides of (about) equal size, else that pair is kept.
 */
export function letterbox(g: { width: number; height: number }, t: Rect): Rect {
  const top = t.top;
  const bottom = g.height - t.top - t.height;
  const left = t.left;
  const right = g.width - t.left - t.width;
  const vertical = top > 0 && bottom > 0 && Math.abs(top - bottom) <= 0.02 * g.height + 2;
  const horizontal = left > 0 && right > 0 && Math.abs(left - right) <= 0.02 * g.width + 2;
  return {
    left: horizontal ? left : 0,
    top: vertical ? top : 0,
    width: horizontal ? t.width : g.width,
    height: vertical ? t.height : g.height,
  };
}

/**
 * A video frame's hash after the same normalisation (letterbox bars trimmed, caption bands stripped), with PDQ on the
 * RGB frame's remaining rectangle; frames without either keep their plain PDQ, so existing frame bags stay
 * comparable.
 */
export function normalisedFrameHash(
  rgb: Uint8Array,
  width: number,
  height: number,
  opts: { trim: boolean; captions: boolean; workSide: number },
): { hash: string; quality: number; how?: ViewHow } {
  if (opts.trim || opts.captions) {
    const g = toGraySmall(rgb, width, height, 3, opts.workSide);
    const full = fullRect(g);
    const trimmed = opts.trim ? letterbox(g, trimBorders(g)) : full;
    const bands = opts.captions ? detectCaptionBands(crop(g, trimmed)) : { top: 0, bottom: 0 };
    const content = stripBands(trimmed, bands);
    if (area(content) < (1 - MIN_CHANGE) * area(full)) {
      // back to frame pixels (the grey copy may be smaller)
      const fx = width / g.width;
      const fy = height / g.height;
      const left = Math.round(content.left * fx);
      const top = Math.round(content.top * fy);
      const w = Math.max(1, Math.min(width - left, Math.round(content.width * fx)));
      const h = Math.max(1, Math.min(height - top, Math.round(content.height * fy)));
      const sub = new Uint8Array(w * h * 3);
      for (let y = 0; y < h; y++) sub.set(rgb.subarray(((top + y) * width + left) * 3, ((top + y) * width + left + w) * 3), y * w * 3);
      const p = pdqFromPixels(sub, w, h, 3);
      return { hash: p.hash, quality: p.quality, how: area(content) < (1 - MIN_CHANGE) * area(trimmed) ? 'caption-stripped' : 'trimmed' };
    }
  }
  return pdqFromPixels(rgb, width, height, 3);
}

/** The view options from the media settings (crop windows on or off, rotations up to N degrees, …). */
export function viewOptionsFromSettings(
  m: Pick<MediaSettings, 'trimBorders' | 'captionBands' | 'cropWindows' | 'undoRotationMaxDegrees' | 'minQuality'>,
): ViewOptions {
  return {
    ...DEFAULT_VIEW_OPTIONS,
    trim: m.trimBorders,
    captions: m.captionBands,
    windows: m.cropWindows ? DEFAULT_WINDOWS : [],
    maxRotation: m.undoRotationMaxDegrees,
    minQuality: m.minQuality,
  };
}
