/**
 * Deterministic evaluation set for re-upload matching (issue 12): synthetic photo-like scenes and the edits that
 * re-uploaders make, produced with sharp and ffmpeg. Every picture is generated (gradients, value-noise textures,
 * shapes, a horizon and shading): no real photos, nothing harmful.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp, { type Sharp } from 'sharp';
import { prng } from './text-generator';

const run = promisify(execFile);

export interface RawPicture {
  width: number;
  height: number;
  /** RGB, row-major. */
  rgb: Uint8Array;
}

/** Smooth value noise (several octaves) in [0, 1]. */
function valueNoise(seed: number, w: number, h: number, cell: number, octaves: number): Float32Array {
  const out = new Float32Array(w * h);
  let amp = 1;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    const rnd = prng(seed * 131 + o * 7 + 1);
    const c = Math.max(2, Math.round(cell / 2 ** o));
    const gw = Math.ceil(w / c) + 2;
    const gh = Math.ceil(h / c) + 2;
    const grid = new Float32Array(gw * gh);
    for (let i = 0; i < grid.length; i++) grid[i] = rnd();
    for (let y = 0; y < h; y++) {
      const gy = y / c;
      const y0 = Math.floor(gy);
      const fy = gy - y0;
      const sy = fy * fy * (3 - 2 * fy);
      for (let x = 0; x < w; x++) {
        const gx = x / c;
        const x0 = Math.floor(gx);
        const fx = gx - x0;
        const sx = fx * fx * (3 - 2 * fx);
        const a = grid[y0 * gw + x0] as number;
        const b = grid[y0 * gw + x0 + 1] as number;
        const d = grid[(y0 + 1) * gw + x0] as number;
        const e = grid[(y0 + 1) * gw + x0 + 1] as number;
        out[y * w + x] = (out[y * w + x] as number) + amp * ((a * (1 - sx) + b * sx) * (1 - sy) + (d * (1 - sx) + e * sx) * sy);
      }
    }
    total += amp;
    amp *= 0.5;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / total;
  return out;
}

/**
 * A photo-like synthetic scene: sky gradient over a textured ground with a wavy horizon, soft-edged shapes
 * (sun, blobs, buildings, stripes) with shading, and fine grain. `shift` pans the scene (for hard negatives: two
 * frames of one scene), by up to 160 pixels.
 */
export function scene(seed: number, width: number, height: number, opts: { shiftX?: number; objectsSeed?: number } = {}): RawPicture {
  const rnd = prng(seed * 7919 + 3);
  const sx0 = Math.min(160, opts.shiftX ?? 0);
  const W = width + 160; // the scene is 160 px wider than a frame: a panned frame sees the same texture
  const pal = (): [number, number, number] => [rnd() * 255, rnd() * 255, rnd() * 255];
  const skyTop = pal();
  const skyLow = pal();
  const ground = pal();
  const ground2 = pal();
  const horizon = 0.35 + rnd() * 0.35;
  const waveA = 0.03 + rnd() * 0.08;
  const waveF = 1 + rnd() * 5;
  const texture = valueNoise(seed, W, height, 24 + rnd() * 60, 4);
  const clouds = valueNoise(seed + 999, W, height, 40 + rnd() * 80, 3);
  const rgb = new Uint8Array(width * height * 3);
  const ornd = prng((opts.objectsSeed ?? seed) * 104729 + 11);
  const shapes = Array.from({ length: 5 + Math.floor(ornd() * 7) }, () => {
    const kind = Math.floor(ornd() * 4);
    const cx = ornd() * (width + 160);
    const cy = ornd() * height;
    const r = (0.06 + ornd() * 0.22) * height;
    const ar = 0.4 + ornd() * 1.8;
    const col: [number, number, number] = [ornd() * 255, ornd() * 255, ornd() * 255];
    const period = 6 + Math.floor(ornd() * 20);
    return { kind, cx, cy, r, ar, col, period, x0: cx - r * ar - 1, x1: cx + r * ar + 1, y0: cy - r - 1, y1: cy + r + 1 };
  });
  const W2 = W;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const X = x + sx0;
      const t = texture[y * W + X] as number;
      const hz = (horizon + waveA * Math.sin((X / W2) * Math.PI * 2 * waveF + seed)) * height;
      let r: number;
      let g: number;
      let b: number;
      if (y < hz) {
        const k = y / hz;
        const cl = Math.max(0, (clouds[y * W + X] as number) - 0.5) * 2;
        r = (skyTop[0] * (1 - k) + skyLow[0] * k) * (1 - cl) + 235 * cl;
        g = (skyTop[1] * (1 - k) + skyLow[1] * k) * (1 - cl) + 235 * cl;
        b = (skyTop[2] * (1 - k) + skyLow[2] * k) * (1 - cl) + 235 * cl;
      } else {
        const k = 0.6 + 0.4 * Math.min(1, (y - hz) / (height - hz + 1));
        r = (ground[0] * (1 - t) + ground2[0] * t) * k;
        g = (ground[1] * (1 - t) + ground2[1] * t) * k;
        b = (ground[2] * (1 - t) + ground2[2] * t) * k;
      }
      for (const s of shapes) {
        if (X < s.x0 || X > s.x1 || y < s.y0 || y > s.y1) continue;
        const dx = (X - s.cx) / (s.r * s.ar);
        const dy = (y - s.cy) / s.r;
        let inside = 0;
        if (s.kind === 0)
          inside = Math.max(0, Math.min(1, (1 - Math.sqrt(dx * dx + dy * dy)) * 12)); // disc
        else if (s.kind === 1)
          inside = Math.abs(dx) < 0.6 && dy > -1 && dy < 1 ? 1 : 0; // building
        else if (s.kind === 2)
          inside = dx * dx + dy * dy < 1 && Math.floor((X + y) / s.period) % 2 === 0 ? 1 : 0; // striped disc
        else inside = Math.abs(dx) + Math.abs(dy) < 1 ? 1 : 0; // diamond
        if (inside > 0) {
          const shade = (0.7 + 0.3 * (1 - (dy + 1) / 2) + 0.15 * (t - 0.5)) * inside;
          r = r * (1 - inside) + s.col[0] * shade;
          g = g * (1 - inside) + s.col[1] * shade;
          b = b * (1 - inside) + s.col[2] * shade;
        }
      }
      const i = (y * width + x) * 3;
      const grain = (((X * 73856093) ^ (y * 19349663) ^ seed) & 15) - 7.5;
      rgb[i] = Math.max(0, Math.min(255, Math.round(r + grain)));
      rgb[i + 1] = Math.max(0, Math.min(255, Math.round(g + grain)));
      rgb[i + 2] = Math.max(0, Math.min(255, Math.round(b + grain)));
    }
  }
  return { width, height, rgb };
}

const SIZES: Array<[number, number]> = [
  [480, 360],
  [400, 400],
  [360, 480],
  [512, 288],
  [450, 300],
  [600, 300],
];

/** The n-th picture of the set: a scene at one of a few aspect ratios (4:3, 1:1, 3:4, 16:9, 3:2, 2:1). */
const pictures = new Map<number, RawPicture>();

export function evalPicture(n: number): RawPicture {
  let p = pictures.get(n);
  if (!p) {
    const [w, h] = SIZES[n % SIZES.length] as [number, number];
    p = scene(1000 + n, w, h);
    pictures.set(n, p);
  }
  return p;
}

export type EditFamily = 'control' | 'crop' | 'side-crop' | 'caption' | 'letterbox' | 'rotation';

export interface Edit {
  family: EditFamily;
  name: string;
  apply: (p: RawPicture, seed: number) => Promise<Buffer>;
}

const rawInput = (p: RawPicture) => ({ raw: { width: p.width, height: p.height, channels: 3 as const } });
const png = (s: Sharp) => s.png().toBuffer();

function cropBy(frac: number, anchor: 'centre' | 'random' | 'top-left' | 'bottom-right'): Edit['apply'] {
  return (p, seed) => {
    const w = Math.round(p.width * (1 - frac));
    const h = Math.round(p.height * (1 - frac));
    const rnd = prng(seed * 31 + Math.round(frac * 100));
    const ax = anchor === 'centre' ? 0.5 : anchor === 'top-left' ? 0 : anchor === 'bottom-right' ? 1 : rnd();
    const ay = anchor === 'centre' ? 0.5 : anchor === 'top-left' ? 0 : anchor === 'bottom-right' ? 1 : rnd();
    return png(sharp(p.rgb, rawInput(p)).extract({ left: Math.round((p.width - w) * ax), top: Math.round((p.height - h) * ay), width: w, height: h }));
  };
}

/**
 * One side cut off: `frac` of the width (left, right) or of the height (top, bottom), the rest kept whole; with a
 * range [lo, hi], an amount drawn per picture (so that the bench does not favour the stored windows' own sizes).
 */
function cutSide(side: 'left' | 'right' | 'top' | 'bottom', frac: number | [number, number]): Edit['apply'] {
  return (p, seed) => {
    const horizontal = side === 'left' || side === 'right';
    const share = typeof frac === 'number' ? frac : frac[0] + (frac[1] - frac[0]) * prng(seed * 97 + side.length * 13 + Math.round(frac[1] * 100))();
    const cut = Math.round((horizontal ? p.width : p.height) * share);
    return png(
      sharp(p.rgb, rawInput(p)).extract({
        left: side === 'left' ? cut : 0,
        top: side === 'top' ? cut : 0,
        width: horizontal ? p.width - cut : p.width,
        height: horizontal ? p.height : p.height - cut,
      }),
    );
  };
}

const SIDES = ['left', 'right', 'top', 'bottom'] as const;

/** A window of `sw` × `sh` of the picture at a random place (each axis its own share and place). */
function offCentre(sw: number, sh: number): Edit['apply'] {
  return (p, seed) => {
    const rnd = prng(seed * 53 + Math.round(sw * 1000 + sh * 10));
    const w = Math.round(p.width * sw);
    const h = Math.round(p.height * sh);
    return png(sharp(p.rgb, rawInput(p)).extract({ left: Math.round((p.width - w) * rnd()), top: Math.round((p.height - h) * rnd()), width: w, height: h }));
  };
}

function captionSvg(w: number, h: number, text: string, bg: string, fg: string): Buffer {
  const size = Math.round(h * 0.55);
  return Buffer.from(
    `<svg width="${w}" height="${h}"><rect width="100%" height="100%" fill="${bg}"/><text x="${Math.round(w * 0.04)}" y="${Math.round(h * 0.7)}" font-size="${size}" fill="${fg}" font-family="DejaVu Sans" font-weight="bold">${text}</text></svg>`,
  );
}

const CAPTIONS = ['SHARE BEFORE IT IS DELETED', 'breaking: the truth they hide', 'join our new channel now', 'WATCH AND SPREAD', 'they cannot stop us'];

function captionOver(where: 'top' | 'bottom', frac: number): Edit['apply'] {
  return (p, seed) => {
    const bh = Math.round(p.height * frac);
    const svg = captionSvg(p.width, bh, CAPTIONS[seed % CAPTIONS.length] as string, seed % 2 ? '#000000' : '#ffffff', seed % 2 ? '#ffffff' : '#c00000');
    return png(sharp(p.rgb, rawInput(p)).composite([{ input: svg, left: 0, top: where === 'top' ? 0 : p.height - bh }]));
  };
}

function captionAdded(where: 'top' | 'bottom', frac: number): Edit['apply'] {
  return (p, seed) => {
    const bh = Math.round(p.height * frac);
    const svg = captionSvg(p.width, bh, CAPTIONS[(seed + 2) % CAPTIONS.length] as string, seed % 2 ? '#ffffff' : '#1a1a1a', seed % 2 ? '#000000' : '#ffee00');
    const bg = seed % 2 ? { r: 255, g: 255, b: 255 } : { r: 26, g: 26, b: 26 };
    return png(
      sharp(p.rgb, rawInput(p))
        .extend({ top: where === 'top' ? bh : 0, bottom: where === 'bottom' ? bh : 0, left: 0, right: 0, background: bg })
        .composite([{ input: svg, left: 0, top: where === 'top' ? 0 : p.height }]),
    );
  };
}

/** A band added below or above with one line of heavy text filling most of the band (dense strokes). */
function boldBandAdded(where: 'top' | 'bottom', frac: number): Edit['apply'] {
  return (p, seed) => {
    const bh = Math.round(p.height * frac);
    const dark = seed % 2 === 0;
    const text = ['WAKE UP', 'SHARE THIS NOW', 'THE TRUTH', 'BANNED VIDEO', 'REPOST!'][seed % 5] as string;
    const size = Math.round(bh * 0.8);
    const svg = Buffer.from(
      `<svg width="${p.width}" height="${bh}"><rect width="100%" height="100%" fill="${dark ? '#000000' : '#ffffff'}"/><text x="50%" y="${Math.round(bh * 0.8)}" text-anchor="middle" textLength="${Math.round(p.width * 0.9)}" lengthAdjust="spacingAndGlyphs" font-size="${size}" fill="${dark ? '#ffffff' : '#000000'}" font-family="DejaVu Sans" font-weight="900">${text}</text></svg>`,
    );
    const bg = dark ? { r: 0, g: 0, b: 0 } : { r: 255, g: 255, b: 255 };
    return png(
      sharp(p.rgb, rawInput(p))
        .extend({ top: where === 'top' ? bh : 0, bottom: where === 'bottom' ? bh : 0, left: 0, right: 0, background: bg })
        .composite([{ input: svg, left: 0, top: where === 'top' ? 0 : p.height }]),
    );
  };
}

function letterbox(colour: { r: number; g: number; b: number }, scale: number): Edit['apply'] {
  return async (p) => {
    // fit the picture into a 16:9 frame (bars on two sides), at `scale` of the frame's height or width
    const W = 640;
    const H = 360;
    const f = Math.min(W / p.width, H / p.height) * scale;
    const w = Math.round(p.width * f);
    const h = Math.round(p.height * f);
    const inner = await sharp(p.rgb, rawInput(p)).resize(w, h).png().toBuffer();
    return png(
      sharp({ create: { width: W, height: H, channels: 3, background: colour } }).composite([
        { input: inner, left: Math.round((W - w) / 2), top: Math.round((H - h) / 2) },
      ]),
    );
  };
}

function rotate(deg: number, colour: { r: number; g: number; b: number }, keepSize: boolean): Edit['apply'] {
  return async (p) => {
    const turned = sharp(p.rgb, rawInput(p)).rotate(deg, { background: colour });
    if (!keepSize) return png(turned);
    const buf = await turned.png().toBuffer();
    const m = await sharp(buf).metadata();
    return png(
      sharp(buf).extract({
        left: Math.round(((m.width ?? 0) - p.width) / 2),
        top: Math.round(((m.height ?? 0) - p.height) / 2),
        width: p.width,
        height: p.height,
      }),
    );
  };
}

function noise(sigma: number): Edit['apply'] {
  return (p, seed) => {
    const rnd = prng(seed * 17 + 5);
    const out = new Uint8Array(p.rgb.length);
    for (let i = 0; i < out.length; i++) {
      const g = (rnd() + rnd() + rnd() - 1.5) * 2 * sigma;
      out[i] = Math.max(0, Math.min(255, Math.round((p.rgb[i] as number) + g)));
    }
    return png(sharp(out, rawInput(p)));
  };
}

function logo(): Edit['apply'] {
  return (p, seed) => {
    const s = Math.round(Math.min(p.width, p.height) * 0.12);
    const svg = Buffer.from(
      `<svg width="${s}" height="${s}"><circle cx="${s / 2}" cy="${s / 2}" r="${s / 2 - 1}" fill="#ffffff" opacity="0.8"/><text x="${s * 0.2}" y="${s * 0.65}" font-size="${s * 0.45}" font-family="DejaVu Sans" fill="#003366">TV</text></svg>`,
    );
    return png(sharp(p.rgb, rawInput(p)).composite([{ input: svg, left: seed % 2 ? p.width - s - 8 : 8, top: 8 }]));
  };
}

/** A large semi-transparent word across the middle of the picture. */
function watermark(): Edit['apply'] {
  return (p, seed) => {
    const size = Math.round(Math.min(p.width, p.height) * 0.12);
    const svg = Buffer.from(
      `<svg width="${p.width}" height="${p.height}"><text x="50%" y="55%" text-anchor="middle" font-size="${size}" font-family="DejaVu Sans" font-weight="bold" fill="#ffffff" fill-opacity="0.35">${seed % 2 ? '@channel_news' : 'EXCLUSIVE'}</text></svg>`,
    );
    return png(sharp(p.rgb, rawInput(p)).composite([{ input: svg, left: 0, top: 0 }]));
  };
}

export const EDITS: Edit[] = [
  // PDQ-robust control edits
  { family: 'control', name: 'jpeg q40', apply: (p) => sharp(p.rgb, rawInput(p)).jpeg({ quality: 40 }).toBuffer() },
  { family: 'control', name: 'scale 50%', apply: (p) => png(sharp(p.rgb, rawInput(p)).resize(Math.round(p.width / 2))) },
  { family: 'control', name: 'crop 2%', apply: cropBy(0.02, 'centre') },
  { family: 'control', name: 'mirror', apply: (p) => png(sharp(p.rgb, rawInput(p)).flop()) },
  { family: 'control', name: 'brightness +25%', apply: (p) => png(sharp(p.rgb, rawInput(p)).modulate({ brightness: 1.25 })) },
  { family: 'control', name: 'contrast 1.3', apply: (p) => png(sharp(p.rgb, rawInput(p)).linear(1.3, -38)) },
  { family: 'control', name: 'gamma 1.8', apply: (p) => png(sharp(p.rgb, rawInput(p)).gamma(1.8)) },
  { family: 'control', name: 'blur 1.5', apply: (p) => png(sharp(p.rgb, rawInput(p)).blur(1.5)) },
  { family: 'control', name: 'noise', apply: noise(12) },
  { family: 'control', name: 'small logo', apply: logo() },
  { family: 'control', name: 'watermark', apply: watermark() },
  { family: 'control', name: 'rotate 180°', apply: (p) => png(sharp(p.rgb, rawInput(p)).rotate(180)) },
  { family: 'control', name: 'crop 2% one side', apply: cutSide('right', 0.02) },
  {
    family: 'control',
    name: 'scale 50% + logo + jpeg q30',
    apply: async (p, seed) => {
      const logoed = await sharp(await logo()(p, seed))
        .raw()
        .toBuffer({ resolveWithObject: true });
      return sharp(logoed.data, { raw: { width: logoed.info.width, height: logoed.info.height, channels: logoed.info.channels } })
        .resize(Math.round(p.width / 2))
        .jpeg({ quality: 30 })
        .toBuffer();
    },
  },
  // crops of 5–20%
  { family: 'crop', name: 'crop 5% centre', apply: cropBy(0.05, 'centre') },
  { family: 'crop', name: 'crop 10% centre', apply: cropBy(0.1, 'centre') },
  { family: 'crop', name: 'crop 15% centre', apply: cropBy(0.15, 'centre') },
  { family: 'crop', name: 'crop 20% centre', apply: cropBy(0.2, 'centre') },
  { family: 'crop', name: 'crop 10% top-left', apply: cropBy(0.1, 'top-left') },
  { family: 'crop', name: 'crop 15% bottom-right', apply: cropBy(0.15, 'bottom-right') },
  { family: 'crop', name: 'crop 10% off-centre', apply: cropBy(0.1, 'random') },
  { family: 'crop', name: 'crop 20% off-centre', apply: cropBy(0.2, 'random') },
  { family: 'crop', name: 'window 80% x 90% off-centre', apply: offCentre(0.8, 0.9) },
  // one side cut off, the rest whole (full height or full width)
  { family: 'side-crop', name: 'cut left 10%', apply: cutSide('left', 0.1) },
  { family: 'side-crop', name: 'cut left, random 5-25%', apply: cutSide('left', [0.05, 0.25]) },
  { family: 'side-crop', name: 'cut right, random 5-25%', apply: cutSide('right', [0.05, 0.25]) },
  { family: 'side-crop', name: 'cut top, random 5-20%', apply: cutSide('top', [0.05, 0.2]) },
  { family: 'side-crop', name: 'cut bottom, random 5-20%', apply: cutSide('bottom', [0.05, 0.2]) },
  { family: 'side-crop', name: 'cut one side, random 3-10%', apply: (p, seed) => cutSide(SIDES[seed % 4] as (typeof SIDES)[number], [0.03, 0.1])(p, seed) },
  // caption banners
  { family: 'caption', name: 'banner over bottom 12%', apply: captionOver('bottom', 0.12) },
  { family: 'caption', name: 'banner over top 10%', apply: captionOver('top', 0.1) },
  { family: 'caption', name: 'banner over bottom 18%', apply: captionOver('bottom', 0.18) },
  { family: 'caption', name: 'banner added below 15%', apply: captionAdded('bottom', 0.15) },
  { family: 'caption', name: 'banner added above 12%', apply: captionAdded('top', 0.12) },
  { family: 'caption', name: 'bold band added below 15%', apply: boldBandAdded('bottom', 0.15) },
  { family: 'caption', name: 'bold band added above 20%', apply: boldBandAdded('top', 0.2) },
  // letterboxing into 16:9
  { family: 'letterbox', name: 'letterbox black', apply: letterbox({ r: 0, g: 0, b: 0 }, 1) },
  { family: 'letterbox', name: 'letterbox white', apply: letterbox({ r: 255, g: 255, b: 255 }, 1) },
  { family: 'letterbox', name: 'letterbox black, padded 90%', apply: letterbox({ r: 0, g: 0, b: 0 }, 0.9) },
  // small rotations
  { family: 'rotation', name: 'rotate +3° (black corners)', apply: rotate(3, { r: 0, g: 0, b: 0 }, false) },
  { family: 'rotation', name: 'rotate -4° (white corners)', apply: rotate(-4, { r: 255, g: 255, b: 255 }, false) },
  { family: 'rotation', name: 'rotate +5° (black corners)', apply: rotate(5, { r: 0, g: 0, b: 0 }, false) },
  { family: 'rotation', name: 'rotate -5° (black, same size)', apply: rotate(-5, { r: 0, g: 0, b: 0 }, true) },
  { family: 'rotation', name: 'rotate +3° (black, same size)', apply: rotate(3, { r: 0, g: 0, b: 0 }, true) },
  { family: 'rotation', name: 'rotate +5° (white, same size)', apply: rotate(5, { r: 255, g: 255, b: 255 }, true) },
];

/** Hard negatives: two crops of different regions of one scene, and two frames of one panning scene. */
export async function hardNegatives(n: number): Promise<Array<{ name: string; a: Buffer; b: Buffer }>> {
  const out: Array<{ name: string; a: Buffer; b: Buffer }> = [];
  for (let i = 0; i < n; i++) {
    const big = scene(5000 + i, 720, 360);
    const left = await png(sharp(big.rgb, rawInput(big)).extract({ left: 0, top: 0, width: 400, height: 360 }));
    const right = await png(sharp(big.rgb, rawInput(big)).extract({ left: 320, top: 0, width: 400, height: 360 }));
    out.push({ name: `two crops of scene ${i}`, a: left, b: right });
    const f1 = scene(6000 + i, 400, 300, { shiftX: 0 });
    const f2 = scene(6000 + i, 400, 300, { shiftX: 140, objectsSeed: 7000 + i });
    out.push({ name: `two frames of scene ${i}`, a: await png(sharp(f1.rgb, rawInput(f1))), b: await png(sharp(f2.rgb, rawInput(f2))) });
  }
  return out;
}

/** Encodes a picture as PNG. */
export function encodePicture(p: RawPicture): Promise<Buffer> {
  return png(sharp(p.rgb, rawInput(p)));
}

/**
 * A tiny synthetic video with ffmpeg: one scene per `secondsPer` seconds at 160×120 (or the given size), 5 fps,
 * with optional letterbox padding (pad) or a caption band drawn over the bottom (drawbox).
 */
export async function sceneVideo(seeds: number[], opts: { secondsPer?: number; width?: number; height?: number; filter?: string } = {}): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'hw-eval-video-'));
  try {
    const w = opts.width ?? 160;
    const h = opts.height ?? 120;
    for (let i = 0; i < seeds.length; i++)
      await writeFile(join(dir, `s${String(i).padStart(4, '0')}.png`), await encodePicture(scene(seeds[i] as number, w, h)));
    const vf = opts.filter ? ['-vf', opts.filter] : [];
    await run(
      'ffmpeg',
      [
        '-v',
        'error',
        '-y',
        '-framerate',
        String(1 / (opts.secondsPer ?? 1)),
        '-i',
        join(dir, 's%04d.png'),
        ...vf,
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-r',
        '5',
        join(dir, 'out.mp4'),
      ],
      { timeout: 60000 },
    );
    return await readFile(join(dir, 'out.mp4'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
