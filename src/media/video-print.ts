/**
 * Video frame fingerprints (issue 23), pure: each sampled frame's PDQ after normalisation, and strip windows of
 * the frame kept beside it.
 * - Letterbox bars: centred bars of one colour are trimmed down to 25% of the frame (a 16:9 clip letterboxed into
 *   a vertical 9:16 frame, as Shorts and Reels re-posts are, keeps 32% of the height); pictures keep 40%.
 * - Caption bands appended above or below: found and stripped, including large bold text whose blurred glyph
 *   edges are neither plain nor sharp rows (`softRows`).
 * - Caption bands drawn over the frames: the frame keeps its geometry but loses one end, so two full-width strip
 *   windows of every frame (its top 70% and its bottom 70%) are hashed on both sides; a copy with a band of up to
 *   30% over its bottom still shares its top 70% with the stored frame (the 85% strips were tried too: they found
 *   nothing more on the bench and cost 2 more stored hashes a frame).
 * Windows are hashed like the picture views (views.ts, regionPdq) and compared only with windows of the same name.
 */
import { crop, DEFAULT_CAPTION, DEFAULT_TRIM, detectCaptionBands, fullRect, stripBands, toGraySmall, trimBorders, windowRect } from './normalise';
import type { CaptionOptions, Gray, Rect, TrimOptions, WindowSpec } from './normalise';
import { hamming, pdqFromPixels, type PdqResult } from './pdq-hash';
import { letterbox, regionPdq, summedArea, type ViewHow } from './views';

/** Video frames: uniform centred bars are trimmed down to 25% of the frame (pictures: 40%). */
export const VIDEO_TRIM: TrimOptions = { ...DEFAULT_TRIM, minKeep: 0.25 };

/** Video frames: caption bands as for pictures, plus up to 2 soft rows (the blurred edges of bold glyphs). */
export const VIDEO_CAPTION: CaptionOptions = { ...DEFAULT_CAPTION, softRows: 2 };

const strip = (name: string, sh: number, top: boolean): WindowSpec => ({ name, sw: 1, sh, ax: 0.5, ay: top ? 0 : 1 });

/** The strip windows of every frame (2): the top 70% and the bottom 70%, full width. */
export const FRAME_WINDOWS: readonly WindowSpec[] = [strip('t70', 0.7, true), strip('b70', 0.7, false)];

/** A strip window's hash (regionPdq), by the window's name. */
export interface FrameWindow {
  name: string;
  hash: string;
}

/** One frame: its PDQ (after normalisation), how it was normalised, and its windows' hashes. */
export interface FramePrint extends PdqResult {
  how?: ViewHow;
  windows: FrameWindow[];
}

export interface FramePrintOptions {
  trim: boolean;
  captions: boolean;
  /** Longer side of the grey working copy. */
  workSide: number;
  /** The strip windows hashed (none: the frame's PDQ only, as before issue 23). */
  windows: readonly WindowSpec[];
  /** Windows below this PDQ quality are left out (flat strips say nothing). */
  minQuality: number;
  trimOptions?: TrimOptions;
  captionOptions?: CaptionOptions;
}

export const DEFAULT_FRAME_PRINT: FramePrintOptions = { trim: true, captions: true, workSide: 256, windows: FRAME_WINDOWS, minQuality: 50 };

const area = (r: Rect): number => r.width * r.height;
/** At least this share of the frame must go for the normalised rectangle to replace the whole frame. */
const MIN_CHANGE = 0.03;

/**
 * Letterbox bars with text on one of them (a title in a vertical re-post's top bar, subtitles in its bottom bar):
 * trimming stops at the text, so the bars come out unequal. When the shorter bar's side, taken as tall as the other
 * bar, is still at least `share` of the other bar's colour, both bars are taken as equal (pure).
 */
export function barsWithText(g: Gray, t: Rect, share = 0.85, tolerance = 12): Rect {
  const { width: w, height: h, data } = g;
  const top = t.top;
  const bottom = h - t.top - t.height;
  if (t.left > 0 || t.width < w || Math.abs(top - bottom) <= 0.02 * h + 2) return t;
  const bar = Math.max(top, bottom);
  if (bar < 0.1 * h || 2 * bar >= 0.75 * h) return t;
  const level = data[(top > bottom ? 0 : h - 1) * w] as number;
  const [from, to] = top > bottom ? [h - bar, h] : [0, bar];
  let near = 0;
  for (let i = from * w; i < to * w; i++) if (Math.abs((data[i] as number) - level) <= tolerance) near++;
  if (near < share * (to - from) * w) return t;
  return { left: t.left, top: bar, width: t.width, height: h - 2 * bar };
}

/** The frame's rectangles: bars trimmed (centred pairs only, see views.ts letterbox) and then bands stripped. */
export function frameRects(g: Gray, o: FramePrintOptions): { trimmed: Rect; content: Rect } {
  const full = fullRect(g);
  const trimmed = o.trim ? letterbox(g, barsWithText(g, trimBorders(g, o.trimOptions ?? VIDEO_TRIM))) : full;
  const bands = o.captions ? detectCaptionBands(crop(g, trimmed), o.captionOptions ?? VIDEO_CAPTION) : { top: 0, bottom: 0 };
  return { trimmed, content: stripBands(trimmed, bands) };
}

/** The RGB pixels of a rectangle of the grey copy, mapped back to the frame's own size. */
function cropRgb(rgb: Uint8Array, width: number, height: number, g: Gray, r: Rect): { data: Uint8Array; width: number; height: number } {
  const fx = width / g.width;
  const fy = height / g.height;
  const left = Math.round(r.left * fx);
  const top = Math.round(r.top * fy);
  const w = Math.max(1, Math.min(width - left, Math.round(r.width * fx)));
  const h = Math.max(1, Math.min(height - top, Math.round(r.height * fy)));
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) data.set(rgb.subarray(((top + y) * width + left) * 3, ((top + y) * width + left + w) * 3), y * w * 3);
  return { data, width: w, height: h };
}

/**
 * A frame's print: PDQ of what is left once bars and bands are taken off (the plain PDQ when nothing is, so
 * frames without either hash as before), and the strip windows of the bar-trimmed frame.
 */
export function framePrint(rgb: Uint8Array, width: number, height: number, o: FramePrintOptions = DEFAULT_FRAME_PRINT): FramePrint {
  if (!o.trim && !o.captions && o.windows.length === 0) return { ...pdqFromPixels(rgb, width, height, 3), windows: [] };
  const g = toGraySmall(rgb, width, height, 3, o.workSide);
  const full = fullRect(g);
  const { trimmed, content } = frameRects(g, o);
  let main: PdqResult & { how?: ViewHow };
  if (area(content) < (1 - MIN_CHANGE) * area(full)) {
    const sub = cropRgb(rgb, width, height, g, content);
    main = { ...pdqFromPixels(sub.data, sub.width, sub.height, 3), how: area(content) < (1 - MIN_CHANGE) * area(trimmed) ? 'caption-stripped' : 'trimmed' };
  } else main = pdqFromPixels(rgb, width, height, 3);
  const windows: FrameWindow[] = [];
  if (o.windows.length) {
    const sat = summedArea(g);
    for (const w of o.windows) {
      const r = windowRect(trimmed, w);
      if (r.width < 16 || r.height < 16) continue;
      const p = regionPdq(sat, g, r);
      if (p.quality >= o.minQuality) windows.push({ name: w.name, hash: p.hash });
    }
  }
  return { ...main, windows };
}

/**
 * Frame-rate-independent bag building, one frame at a time (frames are sampled densely, so a copy played faster
 * or slower still has a sampled frame near each kept one): a frame is kept when its PDQ is at least `dedupDistance`
 * from the last kept frame's and its quality at least `minQuality`; at most `maxFrames` are kept.
 */
export class FrameBagBuilder {
  readonly kept: FramePrint[] = [];
  private last: string | undefined;

  constructor(private readonly o: { dedupDistance: number; minQuality: number; maxFrames: number }) {}

  /** Offers a frame; false once the bag is full (the caller may stop sampling). */
  push(f: FramePrint): boolean {
    if (this.kept.length >= this.o.maxFrames) return false;
    if (this.last !== undefined && hamming(this.last, f.hash) <= this.o.dedupDistance) return true;
    this.last = f.hash;
    if (f.quality >= this.o.minQuality) this.kept.push(f);
    return this.kept.length < this.o.maxFrames;
  }

  /** The bag (frame hashes) and, aligned with it, each frame's windows written as `name:hex` joined by commas. */
  result(): { frames: string[]; windows: string[] } {
    return { frames: this.kept.map((f) => f.hash), windows: this.kept.map((f) => formatWindows(f.windows)) };
  }
}

/** A frame's windows as stored: `t70:<hex>,b70:<hex>` ("" when none). */
export function formatWindows(ws: readonly FrameWindow[]): string {
  return ws.map((w) => `${w.name}:${w.hash}`).join(',');
}

/** Reads a frame's stored windows back (malformed entries are skipped). */
export function parseWindows(text: string): FrameWindow[] {
  if (!text) return [];
  const out: FrameWindow[] = [];
  for (const part of text.split(',')) {
    const [name, hash] = part.split(':');
    if (name && hash && /^[0-9a-f]{64}$/.test(hash)) out.push({ name, hash });
  }
  return out;
}
