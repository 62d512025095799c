/**
 * Extra PDQ views of a picture, for the re-uploads that defeat the plain hash (pure). All views are hashed the
 * same way on both sides, so that they compare like with like: the region is averaged straight down to PDQ's
 * 64×64 buffer from a grey working copy (≤ 256 px, through a summed-area table), then PDQ's DCT and threshold:
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
import { dct16, hashFromDct, pdqFromPixels, quality64 } from './pdq-hash';

type MediaSettings = Settings['media'];

/** `base`: the whole picture (borders trimmed when it had none, as is). */
export type ViewHow = 'base' | 'trimmed' | 'caption-stripped' | 'window' | 'rotated';

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
  minQuality: number;
  /** Longer side of the grey copy the views are computed on. */
  workSide: number;
  trimOptions?: TrimOptions;
  captionOptions?: CaptionOptions;
}

/** Longer side of the grey working copy (views are 64×64 averages of it: 4×4 pixels a cell at most). */
export const WORK_SIDE = 256;

export const DEFAULT_VIEW_OPTIONS: ViewOptions = { trim: true, captions: true, windows: DEFAULT_WINDOWS, maxRotation: 10, minQuality: 50, workSide: WORK_SIDE };

/** A view kept with the item (never a rotation: those are undone on new pictures only). */
export type StoredHashView = HashView & { how: Exclude<ViewHow, 'rotated'> };

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

const buf64 = new Float64Array(64 * 64);
const dctOut = new Float64Array(256);

/** PDQ of a region: its pixels averaged into 64×64 cells (from the summed-area table), DCT, median threshold. */
export function regionPdq(sat: Float64Array, g: { width: number; height: number }, r: Rect): { hash: string; quality: number } {
  const W = g.width + 1;
  const xs = new Int32Array(65);
  const ys = new Int32Array(65);
  for (let k = 0; k <= 64; k++) {
    xs[k] = r.left + Math.round((k * r.width) / 64);
    ys[k] = r.top + Math.round((k * r.height) / 64);
  }
  for (let i = 0; i < 64; i++) {
    const y0 = ys[i] as number;
    const y1 = Math.max(y0 + 1, ys[i + 1] as number);
    for (let j = 0; j < 64; j++) {
      const x0 = xs[j] as number;
      const x1 = Math.max(x0 + 1, xs[j + 1] as number);
      const sum = (sat[y1 * W + x1] as number) - (sat[y0 * W + x1] as number) - (sat[y1 * W + x0] as number) + (sat[y0 * W + x0] as number);
      buf64[i * 64 + j] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return { hash: hashFromDct(dct16(buf64, dctOut)), quality: quality64(buf64) };
}

const area = (r: Rect): number => r.width * r.height;

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
  const baseHash = hashOf(base);
  if (baseHash) {
    push(stored, { hash: baseHash, how: wasTrimmed ? 'trimmed' : 'base' });
    push(query, { hash: baseHash, how: wasTrimmed ? 'trimmed' : 'base' });
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
  if ((bands.top > 0) !== (bands.bottom > 0)) {
    const keepTop = bands.bottom > 0;
    const visible = g.height - bands.top - bands.bottom - 1;
    const fits = opts.windows.filter((w) => w.sw === 1 && w.ay === (keepTop ? 0 : 1) && Math.round(w.sh * g.height) <= visible).sort((a, b) => b.sh - a.sh)[0];
    const h = fits ? hashOf(windowRect(full, fits)) : undefined;
    if (h && fits) push(query, { hash: h, how: 'caption-stripped', name: fits.name });
  }
  for (const w of opts.windows) {
    const h = hashOf(windowRect(base, w));
    if (h) push(stored, { hash: h, how: 'window', name: w.name });
  }
  const rotation = opts.maxRotation > 0 ? estimateRotation(g, { tolerance: 24, maxDegrees: opts.maxRotation }) : undefined;
  if (rotation !== undefined) {
    // undone on a copy of at most 256 px (bilinear), enough for a 64×64 hash
    const small = g.width > 256 || g.height > 256 ? toGraySmall(g.data, g.width, g.height, 1, 256) : g;
    const fill = cornerLevel(small);
    for (const deg of [rotation, -rotation]) {
      const r = rotateGray(small, deg, fill);
      const t = opts.trim ? trimBorders(r, opts.trimOptions ?? DEFAULT_TRIM) : fullRect(r);
      if (t.width < 16 || t.height < 16) continue;
      const p = regionPdq(summedArea(r), r, t);
      if (p.quality >= opts.minQuality) push(query, { hash: p.hash, how: 'rotated', name: `${deg > 0 ? '+' : ''}${deg.toFixed(1)}` });
    }
  }
  return { stored, query, trimmed, content, ...(rotation !== undefined ? { rotation } : {}) };
}

/** The views of decoded pixels (1–4 channels). */
export function imageViews(pixels: Uint8Array, width: number, height: number, channels: number, opts: ViewOptions = DEFAULT_VIEW_OPTIONS): ImageViews {
  return viewsOfGray(toGraySmall(pixels, width, height, channels, opts.workSide), opts);
}

/**
 * A video frame's hash after the same normalisation (borders trimmed, caption bands stripped): frames without
 * either keep their plain PDQ on the full-size RGB, so existing frame bags stay comparable.
 */
export function normalisedFrameHash(rgb: Uint8Array, width: number, height: number, opts: { trim: boolean; captions: boolean; workSide: number }): { hash: string; quality: number; how?: ViewHow } {
  if (opts.trim || opts.captions) {
    const g = toGraySmall(rgb, width, height, 3, opts.workSide);
    const full = fullRect(g);
    const trimmed = opts.trim ? trimBorders(g) : full;
    const bands = opts.captions ? detectCaptionBands(crop(g, trimmed)) : { top: 0, bottom: 0 };
    const content = stripBands(trimmed, bands);
    if (area(content) < (1 - MIN_CHANGE) * area(full)) {
      const c = crop(g, content);
      const p = pdqFromPixels(c.data, c.width, c.height, 1);
      return { hash: p.hash, quality: p.quality, how: area(content) < (1 - MIN_CHANGE) * area(trimmed) ? 'caption-stripped' : 'trimmed' };
    }
  }
  return pdqFromPixels(rgb, width, height, 3);
}

/** The view options from the media settings (crop windows on or off, rotations up to N degrees, …). */
export function viewOptionsFromSettings(m: Pick<MediaSettings, 'trimBorders' | 'captionBands' | 'cropWindows' | 'undoRotationMaxDegrees' | 'minQuality'>): ViewOptions {
  return { ...DEFAULT_VIEW_OPTIONS, trim: m.trimBorders, captions: m.captionBands, windows: m.cropWindows ? DEFAULT_WINDOWS : [], maxRotation: m.undoRotationMaxDegrees, minQuality: m.minQuality };
}
