import sharp from 'sharp';
import { decodeImage } from '../../src/media/decode-image';
import { MihIndex } from '../../src/media/mih-index';
import { ViewIndex } from '../../src/media/view-index';
import {
  crop,
  DEFAULT_WINDOWS,
  detectCaptionBands,
  estimateRotation,
  fullRect,
  rotateGray,
  stripBands,
  toGraySmall,
  trimBorders,
  windowRect,
  type Gray,
} from '../../src/media/normalise';
import { pdqDihedral } from '../../src/media/pdq-hash';
import { bestPerItem, matchPicture, parseViewId, videoRelation, viewId, type PictureHit } from '../../src/media/view-match';
import {
  cellsHash,
  DEFAULT_VIEW_OPTIONS,
  dihedralCells,
  imageViews,
  inscribedShare,
  letterbox,
  normalisedFrameHash,
  regionCells,
  regionPdq,
  summedArea,
  viewsOfGray,
} from '../../src/media/views';
import { EDITS, encodePicture, evalPicture, scene } from '../../src/simulator/reupload-variants';

function gray(width: number, height: number, f: (x: number, y: number) => number): Gray {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { width, height, data };
}
/** A textured picture: smooth waves plus a checker, never uniform along a line. */
const texture = (x: number, y: number): number => 60 + Math.round(60 * Math.sin(x / 7) * Math.cos(y / 5)) + (((x >> 3) + (y >> 3)) % 2) * 50;

describe('toGraySmall', () => {
  it('keeps small pictures at full size and averages larger ones down to maxSide', () => {
    const rgb = new Uint8Array(4 * 2 * 3).fill(200);
    expect(toGraySmall(rgb, 4, 2, 3, 256)).toMatchObject({ width: 4, height: 2 });
    const big = new Uint8Array(600 * 300 * 3);
    for (let i = 0; i < big.length; i += 3) big[i] = big[i + 1] = big[i + 2] = (i / 3) % 600 < 300 ? 0 : 255;
    const g = toGraySmall(big, 600, 300, 3, 200);
    expect(g).toMatchObject({ width: 200, height: 100 });
    expect(g.data[0]).toBe(0);
    expect(g.data[199]).toBeGreaterThanOrEqual(254);
  });
});

describe('trimBorders', () => {
  it('finds the picture inside letterbox bars (top and bottom) and pillarbox bars (left and right)', () => {
    const letter = gray(100, 80, (x, y) => (y < 12 || y >= 68 ? 0 : texture(x, y)));
    expect(trimBorders(letter)).toEqual({ left: 0, top: 12, width: 100, height: 56 });
    const pillar = gray(120, 60, (x, y) => (x < 20 ? 255 : x >= 110 ? 3 : texture(x, y)));
    expect(trimBorders(pillar)).toEqual({ left: 20, top: 0, width: 90, height: 60 });
  });
  it('tolerates noise in the bars but not content', () => {
    const noisy = gray(100, 80, (x, y) => (y < 10 ? (x * 7 + y * 3) % 9 : texture(x, y)));
    expect(trimBorders(noisy).top).toBe(10);
  });
  it('trims nothing from a picture without borders, or from a flat picture', () => {
    const pic = gray(90, 70, texture);
    expect(trimBorders(pic)).toEqual(fullRect(pic));
    const flat = gray(50, 50, () => 128);
    expect(trimBorders(flat)).toEqual(fullRect(flat));
  });
});

async function grayOf(png: Buffer): Promise<Gray> {
  const img = await decodeImage(png, { maxPixels: 1e8 });
  return toGraySmall(img.pixels, img.width, img.height, img.channels, 256);
}

function banner(width: number, height: number, text: string): Buffer {
  return Buffer.from(
    `<svg width="${width}" height="${height}"><rect width="100%" height="100%" fill="#000"/><text x="10" y="${Math.round(height * 0.7)}" font-size="${Math.round(height * 0.55)}" fill="#fff" font-family="DejaVu Sans" font-weight="bold">${text}</text></svg>`,
  );
}

describe('detectCaptionBands', () => {
  const p = scene(42, 480, 360);
  const raw = { raw: { width: p.width, height: p.height, channels: 3 as const } };
  it('finds a caption band laid over the bottom of a picture, about its height', async () => {
    const png = await sharp(p.rgb, raw)
      .composite([{ input: banner(480, 54, 'SHARE BEFORE IT IS DELETED'), left: 0, top: 306 }])
      .png()
      .toBuffer();
    const g = await grayOf(png);
    const bands = detectCaptionBands(g);
    expect(bands.top).toBe(0);
    const expected = Math.round((54 * g.height) / 360);
    expect(Math.abs(bands.bottom - expected)).toBeLessThanOrEqual(3);
    expect(stripBands(fullRect(g), bands).height).toBe(g.height - bands.bottom);
  });
  it('finds a caption band added above a picture', async () => {
    const png = await sharp(p.rgb, raw)
      .extend({ top: 50, bottom: 0, left: 0, right: 0, background: '#000' })
      .composite([{ input: banner(480, 50, 'join our new channel'), left: 0, top: 0 }])
      .png()
      .toBuffer();
    const g = await grayOf(png);
    const bands = detectCaptionBands(g);
    expect(Math.abs(bands.top - Math.round((50 * g.height) / 410))).toBeLessThanOrEqual(3);
    expect(bands.bottom).toBe(0);
  });
  it('a band whose text has faint rows (letter tips blurred by the downscaling) is still a band', () => {
    // bottom up: 6 plain rows, 1 faint row (a few soft marks), 10 text rows, 8 plain rows, then the picture
    const band = (x: number, k: number): number => {
      if (k < 6 || (k >= 17 && k < 25)) return 20;
      if (k === 6) return x % 10 === 0 ? 40 : 20;
      return x % 6 < 3 ? 230 : 20;
    };
    const g = gray(100, 200, (x, y) => (y >= 175 ? band(x, 199 - y) : texture(x, y)));
    expect(detectCaptionBands(g)).toEqual({ top: 0, bottom: 25 });
  });
  it('finds no band on plain pictures or on a flat band without text', async () => {
    for (let n = 0; n < 4; n++) {
      const b = detectCaptionBands(await grayOf(await encodePicture(scene(1000 + n, 256, 192))));
      expect({ n, ...b }).toEqual({ n, top: 0, bottom: 0 });
    }
    const flatBand = gray(100, 80, (x, y) => (y >= 64 ? 0 : texture(x, y)));
    expect(detectCaptionBands(flatBand)).toEqual({ top: 0, bottom: 0 });
  }, 240000);
});

describe('windows', () => {
  it('places windows by share and anchor inside the content rectangle', () => {
    const r = { left: 10, top: 20, width: 200, height: 100 };
    const byName = new Map(DEFAULT_WINDOWS.map((w) => [w.name, w]));
    expect(windowRect(r, byName.get('c90') as never)).toEqual({ left: 20, top: 25, width: 180, height: 90 });
    expect(windowRect(r, byName.get('br80') as never)).toEqual({ left: 50, top: 40, width: 160, height: 80 });
    expect(windowRect(r, byName.get('t91') as never)).toEqual({ left: 10, top: 20, width: 200, height: 91 });
    for (const w of DEFAULT_WINDOWS) {
      const x = windowRect(r, w);
      expect(x.left).toBeGreaterThanOrEqual(r.left);
      expect(x.left + x.width).toBeLessThanOrEqual(r.left + r.width);
      expect(x.top + x.height).toBeLessThanOrEqual(r.top + r.height);
    }
  });
  it('stores full-height side strips, side middles and a bounded number of windows (issue 23)', () => {
    const r = { left: 0, top: 0, width: 200, height: 100 };
    const byName = new Map(DEFAULT_WINDOWS.map((w) => [w.name, w]));
    expect(windowRect(r, byName.get('l79') as never)).toEqual({ left: 0, top: 0, width: 158, height: 100 });
    expect(windowRect(r, byName.get('r76') as never)).toEqual({ left: 48, top: 0, width: 152, height: 100 });
    expect(windowRect(r, byName.get('rc90') as never)).toEqual({ left: 20, top: 5, width: 180, height: 90 });
    expect(DEFAULT_WINDOWS).toHaveLength(50);
    expect(new Set(DEFAULT_WINDOWS.map((w) => w.name)).size).toBe(50);
  });
  it('dihedral cells: a mirrored or turned picture turned back gives the original cells', () => {
    const g = gray(96, 64, texture);
    const c = regionCells(summedArea(g), g, fullRect(g)).cells;
    // mirror left to right, then undo it
    const m = gray(96, 64, (x, y) => texture(95 - x, y));
    expect(cellsHash(dihedralCells(regionCells(summedArea(m), m, fullRect(m)).cells, 1))).toBe(cellsHash(c));
    // a turn by 180°
    const t = gray(96, 64, (x, y) => texture(95 - x, 63 - y));
    expect(cellsHash(dihedralCells(regionCells(summedArea(t), t, fullRect(t)).cells, 3))).toBe(cellsHash(c));
    // transposed twice is the identity
    expect(dihedralCells(dihedralCells(c, 4), 4)).toEqual(c);
  });
  it('inscribedShare: the centred rectangle left whole by a turn', () => {
    expect(inscribedShare(100, 100, 0)).toBeCloseTo(1, 6);
    expect(inscribedShare(100, 100, 5)).toBeCloseTo(1 / (Math.cos(Math.PI / 36) + Math.sin(Math.PI / 36)), 6);
    expect(inscribedShare(400, 300, -5)).toBeCloseTo(inscribedShare(400, 300, 5), 9);
    expect(inscribedShare(400, 300, 5)).toBeLessThan(inscribedShare(400, 300, 3));
  });
  it('a region hash of a crop equals the hash of the cropped picture (same cells)', () => {
    const g = gray(128, 128, texture);
    const r = { left: 0, top: 0, width: 64, height: 64 };
    const a = regionPdq(summedArea(g), g, r);
    const c = crop(g, r);
    expect(regionPdq(summedArea(c), c, fullRect(c)).hash).toBe(a.hash);
  });
});

describe('estimateRotation', () => {
  it('reads a small rotation off the fill corners, and none from an upright picture or a letterbox', async () => {
    const p = scene(7, 400, 300);
    const raw = { raw: { width: p.width, height: p.height, channels: 3 as const } };
    for (const deg of [3, -4, 5]) {
      const png = await sharp(p.rgb, raw).rotate(deg, { background: '#000' }).png().toBuffer();
      const est = estimateRotation(await grayOf(png));
      expect(est).toBeDefined();
      expect(Math.abs((est as number) - Math.abs(deg))).toBeLessThanOrEqual(0.7);
    }
    expect(estimateRotation(await grayOf(await encodePicture(p)))).toBeUndefined();
    const boxed = gray(160, 90, (x, y) => (x < 20 || x >= 140 ? 0 : texture(x, y)));
    expect(estimateRotation(boxed)).toBeUndefined();
  }, 240000);
  it('a picture dark at its corners turned on black: the angle is read with the tight tolerance, and the views undo it', async () => {
    // a vignetted scene (as a space photograph): its corners fade to 8, within the loose tolerance (24) of a black fill
    const p = scene(11, 400, 300);
    const dmax = Math.hypot(p.width / 2, p.height / 2);
    const dark = Buffer.from(
      p.rgb.map((v, i) => {
        const px = Math.floor(i / 3);
        const d = Math.hypot((px % p.width) - p.width / 2, Math.floor(px / p.width) - p.height / 2) / dmax;
        return 8 + Math.round(v * 0.9 * Math.max(0, 1 - 1.1 * d * d));
      }),
    );
    const raw = { raw: { width: p.width, height: p.height, channels: 3 as const } };
    const png = await sharp(dark, raw).rotate(4, { background: '#000' }).png().toBuffer();
    const g = await grayOf(png);
    expect(estimateRotation(g, { tolerance: 24, maxDegrees: 10 })).toBeUndefined();
    const views = viewsOfGray(g);
    expect(views.rotation).toBeDefined();
    expect(Math.abs((views.rotation as number) - 4)).toBeLessThanOrEqual(0.7);
    expect(views.query.some((v) => v.how === 'rotated')).toBe(true);
    // the same scene upright and dark: no angle
    expect(viewsOfGray(await grayOf(await sharp(dark, raw).png().toBuffer())).rotation).toBeUndefined();
  }, 60000);
  it('rotateGray turns and back: a 90° turn moves the corner pixel', () => {
    const g = gray(5, 5, (x, y) => (x === 0 && y === 0 ? 255 : 0));
    const r = rotateGray(g, 90, 0);
    const corners = [r.data[0], r.data[4], r.data[20], r.data[24]];
    expect(corners.filter((v) => v === 255)).toHaveLength(1);
    expect(r.data[0]).toBe(0);
  });
});

describe('videoRelation (vPDQ either-side rule, split in two directions)', () => {
  const o = { sameStoredPct: 80, sameQueryPct: 80, containsPct: 80, containedInPct: 80, minFrames: 3 };
  it('same when both sides are covered', () => {
    expect(videoRelation({ storedPct: 90, queryPct: 85 }, 10, 10, o)).toEqual({ via: 'video', distance: 15 });
  });
  it('contains: the new video covers a stored clip (a compilation)', () => {
    expect(videoRelation({ storedPct: 100, queryPct: 40 }, 5, 12, o)).toEqual({ via: 'contains', distance: 0 });
  });
  it('contained in: the new video is a clip of a stored one', () => {
    expect(videoRelation({ storedPct: 30, queryPct: 100 }, 20, 5, o)).toEqual({ via: 'contained-in', distance: 0 });
  });
  it('nothing below the thresholds, or with too few matched frames', () => {
    expect(videoRelation({ storedPct: 60, queryPct: 50 }, 10, 10, o)).toBeUndefined();
    expect(videoRelation({ storedPct: 100, queryPct: 10 }, 2, 20, o)).toBeUndefined();
  });
});

describe('MIH exact-chunk probe', () => {
  it('returns only hashes within the radius, a subset of the full probe, and every one within 15 bits', () => {
    const idx = new MihIndex();
    const base = 'f'.repeat(32) + '0'.repeat(32);
    const flip = (bits: number): string => {
      const chars = base.split('');
      for (let b = 0; b < bits; b++) {
        const pos = (b * 9) % 64;
        chars[pos] = (parseInt(chars[pos] as string, 16) ^ (1 << (b % 4))).toString(16);
      }
      return chars.join('');
    };
    for (let d = 0; d <= 40; d += 2) idx.add(`d${d}`, flip(d));
    const full = idx.query(base, 31).map((m) => m.id);
    const exact = idx.query(base, 31, 'exact-chunks');
    expect(exact.every((m) => m.distance <= 31 && full.includes(m.id))).toBe(true);
    for (const m of idx.query(base, 31)) if (m.distance <= 15) expect(exact.map((x) => x.id)).toContain(m.id);
  });
});

describe('re-upload matching on generated pictures (views + MIH, as intake does)', () => {
  const stored = { images: new MihIndex(), views: new ViewIndex() };
  async function fingerprint(png: Buffer) {
    const img = await decodeImage(png, { maxPixels: 1e8 });
    const d = pdqDihedral(img.pixels, img.width, img.height, img.channels);
    return { dihedral: d.map((x) => x.hash), views: imageViews(img.pixels, img.width, img.height, img.channels, DEFAULT_VIEW_OPTIONS) };
  }
  async function match(png: Buffer): Promise<PictureHit[]> {
    const fp = await fingerprint(png);
    return bestPerItem(matchPicture({ dihedral: fp.dihedral, views: fp.views.query }, stored, { radius: 31, extraProbe: 'exact-chunks', views: true }));
  }
  beforeAll(async () => {
    for (let n = 0; n < 8; n++) {
      const fp = await fingerprint(await encodePicture(evalPicture(n)));
      stored.images.add(`p${n}`, fp.dihedral[0] as string);
      stored.views.addPicture(`p${n}`, fp.views.stored);
    }
  }, 240000);
  const edit = (name: string) => EDITS.find((e) => e.name === name) as (typeof EDITS)[number];

  it.each([
    ['letterbox black', 'trimmed'],
    ['banner over bottom 18%', 'caption-stripped'],
    ['crop 10% centre', 'window'],
    ['rotate +3° (black corners)', 'rotated'],
    ['rotate +3° (black, same size)', 'rotated'],
    ['cut left 10%', 'window'],
    ['rotate 180°', 'pdq-dihedral'],
  ])(
    'a copy with "%s" matches its original (via %s) and nothing else',
    async (name, via) => {
      const n = 2;
      const hits = await match(await edit(name).apply(evalPicture(n), n));
      expect(hits.map((h) => h.mediaId)).toEqual([`p${n}`]);
      expect(hits[0]?.via).toBe(via);
    },
    240000,
  );
  it('a copy with a band of heavy text added below matches its original (via caption-stripped)', async () => {
    const n = 3;
    const hits = await match(await edit('bold band added below 15%').apply(evalPicture(n), n));
    expect(hits.map((h) => [h.mediaId, h.via])).toEqual([[`p${n}`, 'caption-stripped']]);
  }, 240000);
  it('an unrelated picture matches nothing, even letterboxed', async () => {
    expect(await match(await encodePicture(evalPicture(30)))).toEqual([]);
    expect(await match(await edit('letterbox white').apply(evalPicture(31), 31))).toEqual([]);
  }, 240000);
  it('view ids carry the media id and the kind of view', () => {
    expect(parseViewId(viewId('sha256:ab', { hash: '0'.repeat(64), how: 'window' }, 3))).toEqual({ mediaId: 'sha256:ab', how: 'window' });
  });
  it('letterbox bars in video frames: only opposite bars of about equal size count', () => {
    const g = { width: 200, height: 100 };
    expect(letterbox(g, { left: 0, top: 10, width: 200, height: 80 })).toEqual({ left: 0, top: 10, width: 200, height: 80 });
    expect(letterbox(g, { left: 0, top: 20, width: 200, height: 80 })).toEqual({ left: 0, top: 0, width: 200, height: 100 }); // top only: a flat sky
    expect(letterbox(g, { left: 30, top: 0, width: 140, height: 100 })).toEqual({ left: 30, top: 0, width: 140, height: 100 });
  });
  it('video frames keep their plain PDQ unless they have borders or a caption band', () => {
    const f = scene(3, 256, 256);
    const plain = normalisedFrameHash(f.rgb, 256, 256, { trim: true, captions: true, workSide: 256 });
    expect(plain.how).toBeUndefined();
    const boxed = new Uint8Array(f.rgb);
    for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x++) if (y < 32 || y >= 224) boxed.fill(0, (y * 256 + x) * 3, (y * 256 + x) * 3 + 3);
    expect(normalisedFrameHash(boxed, 256, 256, { trim: true, captions: true, workSide: 256 }).how).toBe('trimmed');
  });
});
