/**
 * Normalisation of decoded pictures before hashing (pure functions on pixels): a small grey copy, uniform border
 * (letterbox) trimming, caption band detection, crop windows and small de-rotations. Everything here works on a
 * one-channel grey image of at most a few hundred pixels a side: PDQ reduces every picture to 64×64 anyway, so the
 * extra views cost a fraction of the full-size hash.
 */

/** One-channel grey image, row-major. */
export interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const fullRect = (g: { width: number; height: number }): Rect => ({ left: 0, top: 0, width: g.width, height: g.height });

/**
 * Luminance (integer approximation of PDQ's weights) reduced by area averaging so that the longer side is at most
 * `maxSide` (never enlarged). Accepts 1–4 channels.
 */
export function toGraySmall(pixels: Uint8Array, width: number, height: number, channels: number, maxSide: number): Gray {
  const f = Math.max(1, Math.max(width, height) / maxSide);
  if (f === 1) {
    const data = new Uint8Array(width * height);
    if (channels >= 3)
      for (let i = 0, p = 0; i < data.length; i++, p += channels)
        data[i] = (77 * (pixels[p] as number) + 150 * (pixels[p + 1] as number) + 29 * (pixels[p + 2] as number)) >> 8;
    else for (let i = 0, p = 0; i < data.length; i++, p += channels) data[i] = pixels[p] as number;
    return { width, height, data };
  }
  const w = Math.max(1, Math.round(width / f));
  const h = Math.max(1, Math.round(height / f));
  const sum = new Uint32Array(w * h);
  const xs = new Int32Array(width);
  const colCount = new Uint32Array(w);
  const rowCount = new Uint32Array(h);
  for (let x = 0; x < width; x++) {
    const d = Math.min(w - 1, Math.floor((x * w) / width));
    xs[x] = d;
    colCount[d] = (colCount[d] as number) + 1;
  }
  for (let y = 0; y < height; y++) {
    const dy = Math.min(h - 1, Math.floor((y * h) / height));
    rowCount[dy] = (rowCount[dy] as number) + 1;
    const ty = dy * w;
    let p = y * width * channels;
    if (channels >= 3) {
      for (let x = 0; x < width; x++, p += channels) {
        const t = ty + (xs[x] as number);
        sum[t] = (sum[t] as number) + ((77 * (pixels[p] as number) + 150 * (pixels[p + 1] as number) + 29 * (pixels[p + 2] as number)) >> 8);
      }
    } else {
      for (let x = 0; x < width; x++, p += channels) {
        const t = ty + (xs[x] as number);
        sum[t] = (sum[t] as number) + (pixels[p] as number);
      }
    }
  }
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) data[y * w + x] = Math.round((sum[y * w + x] as number) / Math.max(1, (rowCount[y] as number) * (colCount[x] as number)));
  return { width: w, height: h, data };
}

export function crop(g: Gray, r: Rect): Gray {
  const data = new Uint8Array(r.width * r.height);
  for (let y = 0; y < r.height; y++) data.set(g.data.subarray((r.top + y) * g.width + r.left, (r.top + y) * g.width + r.left + r.width), y * r.width);
  return { width: r.width, height: r.height, data };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

export interface TrimOptions {
  /** Grey levels a border pixel may differ from the border's colour (JPEG noise, anti-aliased edges). */
  tolerance: number;
  /** Share of a border line's pixels that must be within the tolerance. */
  minShare: number;
  /** The content kept must be at least this share of each side (else nothing is trimmed: a flat picture). */
  minKeep: number;
}

export const DEFAULT_TRIM: TrimOptions = { tolerance: 10, minShare: 0.98, minKeep: 0.4 };

/**
 * Uniform borders (letterboxing, pillarboxing, padding of one colour; each side its own colour): the rectangle of
 * content left once lines that are (almost) all the colour of the outermost line are removed from each side.
 */
export function trimBorders(g: Gray, opts: TrimOptions = DEFAULT_TRIM): Rect {
  const { width: w, height: h, data } = g;
  const px = (x: number, y: number): number => data[y * w + x] as number;
  const line = (horizontal: boolean, at: number, from: number, to: number): number[] => {
    const out: number[] = [];
    for (let i = from; i < to; i++) out.push(horizontal ? px(i, at) : px(at, i));
    return out;
  };
  const uniform = (values: number[], ref: number): boolean => {
    let ok = 0;
    for (const v of values) if (Math.abs(v - ref) <= opts.tolerance) ok++;
    return ok >= opts.minShare * values.length;
  };
  let top = 0;
  let bottom = h;
  let left = 0;
  let right = w;
  const topRef = median(line(true, 0, 0, w));
  while (top < h - 1 && uniform(line(true, top, 0, w), topRef)) top++;
  const bottomRef = median(line(true, h - 1, 0, w));
  while (bottom > top + 1 && uniform(line(true, bottom - 1, 0, w), bottomRef)) bottom--;
  const leftRef = median(line(false, 0, top, bottom));
  while (left < w - 1 && uniform(line(false, left, top, bottom), leftRef)) left++;
  const rightRef = median(line(false, w - 1, top, bottom));
  while (right > left + 1 && uniform(line(false, right - 1, top, bottom), rightRef)) right--;
  if (bottom - top < opts.minKeep * h || right - left < opts.minKeep * w) return fullRect(g);
  return { left, top, width: right - left, height: bottom - top };
}

export interface CaptionOptions {
  /** A band is this share of the picture's height at least, and at most. */
  minHeight: number;
  maxHeight: number;
  /** Grey levels around the band's colour that count as background. */
  tolerance: number;
  /** A plain row of the band: at least this share of its pixels is the band's colour. */
  flatShare: number;
  /** A text row of the band: at least this share is the band's colour… */
  textShare: number;
  /** …and it has sharp marks: at least this share of horizontal neighbours differ by `edgeStep` or more. */
  minEdges: number;
  edgeStep: number;
  /** Share of the band's rows that must be text rows (flat sky with soft clouds is not a caption). */
  minTextRows: number;
  /**
   * A faint row (the tips of the letters, anti-aliased by the downscaling): at least this share is the band's colour,
   * with fewer sharp marks than a text row; part of the band, counted neither as text nor as margin.
   */
  faintShare: number;
  /**
   * Consecutive rows that may be neither plain, faint nor text yet still part of the band: at least `textShare` of the
   * band's colour without sharp marks, as at the soft top and bottom edges of large bold glyphs once a video frame
   * is scaled down (optional; 0 when absent).
   */
  softRows?: number;
}

export const DEFAULT_CAPTION: CaptionOptions = {
  minHeight: 0.04,
  maxHeight: 0.3,
  tolerance: 12,
  flatShare: 0.9,
  textShare: 0.3,
  minEdges: 0.02,
  edgeStep: 48,
  minTextRows: 0.15,
  faintShare: 0.8,
};

export interface CaptionBands {
  /** Rows of a caption band at the top (0 when none) and at the bottom, within the given picture. */
  top: number;
  bottom: number;
}

/**
 * Caption bands: from the top or bottom edge, rows of one flat colour (margins) and rows of that colour with
 * sharp marks on it (text), ending on a plain row; at least a few text rows. Returns how many rows to strip at
 * each end (0 when there is no band).
 */
export function detectCaptionBands(g: Gray, opts: CaptionOptions = DEFAULT_CAPTION): CaptionBands {
  const { width: w, height: h, data } = g;
  const rowStats = (y: number, level: number): { share: number; edges: number } => {
    const off = y * w;
    let near = 0;
    let edges = 0;
    for (let i = 0; i < w; i++) {
      const v = data[off + i] as number;
      if (Math.abs(v - level) <= opts.tolerance) near++;
      if (i > 0 && Math.abs(v - (data[off + i - 1] as number)) >= opts.edgeStep) edges++;
    }
    return { share: near / w, edges: edges / w };
  };
  const scan = (fromTop: boolean): number => {
    const rowAt = (k: number): number => (fromTop ? k : h - 1 - k);
    const off = rowAt(0) * w;
    const edgeRow = Array.from(data.subarray(off, off + w)).sort((a, b) => a - b);
    const level = edgeRow[w >> 1] as number;
    const maxRows = Math.min(h - 1, Math.floor(opts.maxHeight * h));
    let firstText = -1;
    let lastText = -1;
    let textRows = 0;
    let plainAfter = 0;
    let soft = 0;
    for (let n = 0; n <= maxRows; n++) {
      const s = rowStats(rowAt(n), level);
      if (s.share >= opts.flatShare && s.edges < opts.minEdges) {
        plainAfter++;
        soft = 0;
      } else if (s.edges < opts.minEdges && s.share >= opts.faintShare)
        continue; // grazed by the tips of the letters
      else if (s.share >= opts.textShare && s.edges >= opts.minEdges) {
        if (firstText < 0) firstText = n;
        lastText = n;
        textRows++;
        plainAfter = 0;
        soft = 0;
      } else if (s.share >= opts.textShare && soft < (opts.softRows ?? 0)) soft++;
      else break;
    }
    // no text, or no plain margin between the text and the picture: not a caption band (a dark picture's edges)
    if (firstText < 0 || plainAfter === 0) return 0;
    // the band ends on its margin after the text: as wide as the margin before it (captions are centred in their
    // band), never wider than the plain rows seen, so a flat sky next to the band is not taken with it
    const margin = Math.min(plainAfter, firstText + 1 + Math.ceil(0.25 * (lastText - firstText + 1)));
    const rows = lastText + 1 + margin;
    if (rows < Math.ceil(opts.minHeight * h) || textRows < Math.max(2, opts.minTextRows * rows)) return 0;
    return rows;
  };
  return { top: scan(true), bottom: scan(false) };
}

/** The rectangle left once the caption bands are taken off (pure). */
export function stripBands(r: Rect, bands: CaptionBands): Rect {
  return { left: r.left, top: r.top + bands.top, width: r.width, height: r.height - bands.top - bands.bottom };
}

export interface WindowSpec {
  /** Short name, e.g. "c90" (centre, 90%), "tl80" (top-left, 80%), "t88" (top, full width, 88% of the height). */
  name: string;
  /** Share of the width and height kept. */
  sw: number;
  sh: number;
  /** Where the window sits within the slack: 0 = left/top, 0.5 = centre, 1 = right/bottom. */
  ax: number;
  ay: number;
}

const w = (name: string, sw: number, sh: number, ax: number, ay: number): WindowSpec => ({ name, sw, sh, ax, ay });

/** Shares kept by the strip windows (one end or side cut off), 3% apart. */
const STRIPS = [0.97, 0.94, 0.91, 0.88, 0.85, 0.82, 0.79];

/**
 * The default windows stored with every picture (50), chosen after the crops re-uploaders make (issue 23):
 * - centred at 95/90/85/80% (a centred crop; the inscribed rectangle of a rotated copy cropped back to its size);
 * - the four corners at 90/85/80% and the middle of each side at 90% (an off-centre crop of up to about 10%: the
 *   3×3 grid of 90% windows leaves at most 2.5% of offset on each axis);
 * - top and bottom strips (full width) at 97/94/91/88/85/82/79% of the height: one end cut off, or hidden by a
 *   banner;
 * - left and right strips (full height) at 97/94/91/88/85/82/79/76% of the width: one side cut off.
 * A view absorbs about 2–3% of difference in scale but only about 1% of shift (a window moved by 1% of the picture's
 * width is some 30 bits away on real photographs): windows sit where crops leave the picture, and the strips (whose
 * centre moves by half the cut) are 3% apart, so that any cut of 3–24% is within 1.5% of one of them.
 * 50 windows + base + caption-stripped: at most 52 stored views a picture (166 bytes each in the views index).
 */
export const DEFAULT_WINDOWS: WindowSpec[] = [
  ...[0.95, 0.9, 0.85, 0.8].map((s) => w(`c${Math.round(s * 100)}`, s, s, 0.5, 0.5)),
  ...[0.9, 0.85, 0.8].flatMap((s) => {
    const p = Math.round(s * 100);
    return [w(`tl${p}`, s, s, 0, 0), w(`tr${p}`, s, s, 1, 0), w(`bl${p}`, s, s, 0, 1), w(`br${p}`, s, s, 1, 1)];
  }),
  w('tc90', 0.9, 0.9, 0.5, 0),
  w('bc90', 0.9, 0.9, 0.5, 1),
  w('lc90', 0.9, 0.9, 0, 0.5),
  w('rc90', 0.9, 0.9, 1, 0.5),
  ...STRIPS.flatMap((s) => [w(`t${Math.round(s * 100)}`, 1, s, 0.5, 0), w(`b${Math.round(s * 100)}`, 1, s, 0.5, 1)]),
  ...[...STRIPS, 0.76].flatMap((s) => [w(`l${Math.round(s * 100)}`, s, 1, 0, 0.5), w(`r${Math.round(s * 100)}`, s, 1, 1, 0.5)]),
];

/** A window's rectangle inside `r` (pure). */
export function windowRect(r: Rect, s: WindowSpec): Rect {
  const width = Math.max(1, Math.round(r.width * s.sw));
  const height = Math.max(1, Math.round(r.height * s.sh));
  return { left: r.left + Math.round((r.width - width) * s.ax), top: r.top + Math.round((r.height - height) * s.ay), width, height };
}

/**
 * The picture turned by `degrees` (counter-clockwise positive) about its centre, same size, bilinear; the corners
 * that come from outside are filled with `fill` (pure). Used to undo the small rotations re-uploaders add.
 */
export function rotateGray(g: Gray, degrees: number, fill: number): Gray {
  const { width: w, height: h, data } = g;
  const out = new Uint8Array(w * h);
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      const dy = y - cy;
      const sx = cos * dx - sin * dy + cx;
      const sy = sin * dx + cos * dy + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= w - 1 || y0 >= h - 1) {
        out[y * w + x] = fill;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      const v =
        (data[i] as number) * (1 - fx) * (1 - fy) +
        (data[i + 1] as number) * fx * (1 - fy) +
        (data[i + w] as number) * (1 - fx) * fy +
        (data[i + w + 1] as number) * fx * fy;
      out[y * w + x] = Math.round(v);
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * The angle (degrees, magnitude only) of a small rotation made with a fill colour, read off the fill triangles in
 * the corners: each corner's fill run along the top/bottom row (a) and down/up the side (b) are the legs of a
 * right triangle whose long side is an edge of the turned picture, so the angle is atan(short leg / long leg).
 * The median over the corners that have such a triangle; undefined when fewer than two do.
 */
export function estimateRotation(g: Gray, opts: { tolerance: number; maxDegrees: number } = { tolerance: 24, maxDegrees: 10 }): number | undefined {
  const { width: w, height: h, data } = g;
  const fill = cornerLevel(g);
  const at = (x: number, y: number): number => data[y * w + x] as number;
  const run = (x0: number, y0: number, dx: number, dy: number, max: number): number => {
    let n = 0;
    while (n < max && Math.abs(at(x0 + dx * n, y0 + dy * n) - fill) <= opts.tolerance) n++;
    return n;
  };
  const angles: number[] = [];
  for (const [cx, cy, dx, dy] of [
    [0, 0, 1, 1],
    [w - 1, 0, -1, 1],
    [0, h - 1, 1, -1],
    [w - 1, h - 1, -1, -1],
  ] as Array<[number, number, number, number]>) {
    const a = run(cx, cy, dx, 0, w);
    const b = run(cx, cy, 0, dy, h);
    if (a < 2 || b < 2 || a >= w - 1 || b >= h - 1) continue;
    const deg = (Math.atan(Math.min(a, b) / Math.max(a, b)) * 180) / Math.PI;
    if (deg >= 0.5 && deg <= opts.maxDegrees) angles.push(deg);
  }
  if (angles.length < 2) return undefined;
  return median(angles);
}

/** The colour of the picture's corners (median of the four corner pixels): the fill of a rotated copy. */
export function cornerLevel(g: Gray): number {
  const { width: w, height: h, data } = g;
  return median([data[0] as number, data[w - 1] as number, data[(h - 1) * w] as number, data[h * w - 1] as number]);
}
