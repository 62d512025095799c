/**
 * Issue 23, the video side: frame prints (vertical letterbox down to 25%, bold caption bands, strip windows), the
 * frame-bag builder, windowed frame coverage and the frame-bag index with windows. Pure; generated frames only.
 */
import { settingsSchema } from '../../src/config/schema';
import { feedEntryOf, feedItemOf } from '../../src/media/fingerprint-feed';
import { videoMatch, videoMatchWindowed } from '../../src/media/frame-bag';
import { DEFAULT_CAPTION, DEFAULT_TRIM, detectCaptionBands, trimBorders, type Gray } from '../../src/media/normalise';
import { hamming } from '../../src/media/pdq-hash';
import { FrameBagIndex, relateBags } from '../../src/media/signals/frame-bag';
import type { MediaItemDoc } from '../../src/media/types';
import { extractFrames, forEachFrame, VideoDecodeError, videoFingerprint, videoPrintOptions } from '../../src/media/video-frames';
import {
  DEFAULT_FRAME_PRINT,
  FRAME_WINDOWS,
  barsWithText,
  FrameBagBuilder,
  formatWindows,
  framePrint,
  frameRects,
  parseWindows,
  VIDEO_CAPTION,
  VIDEO_TRIM,
  type FramePrint,
  type FrameWindow,
} from '../../src/media/video-print';
import { scene } from '../../src/simulator/reupload-variants';
import { editClip, movingClip, VIDEO_EDITS } from '../../src/simulator/video-edits';

const S = 256;

/** A generated scene as a 256×256 RGB frame (what extractFrames hands over). */
const frameOf = (seed: number): Uint8Array => scene(seed, S, S).rgb;

/** The frame with rows [from, to) painted `level`, with white and black blocks on it (bold text). */
function withBand(rgb: Uint8Array, from: number, to: number, level: number): Uint8Array {
  const out = new Uint8Array(rgb);
  for (let y = from; y < to; y++)
    for (let x = 0; x < S; x++) {
      const text = y > from + (to - from) / 3 && y < to - (to - from) / 3 && x > 30 && x < S - 30 && (x >> 3) % 2 === 0;
      out.fill(text ? 255 - level : level, (y * S + x) * 3, (y * S + x) * 3 + 3);
    }
  return out;
}

/** A 16:9 picture letterboxed into a square frame squeezed from 9:16 (content 32% of the height), black bars. */
function vertical(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(S * S * 3);
  const h = Math.round(0.32 * S);
  const top = (S - h) >> 1;
  for (let y = 0; y < h; y++) {
    const sy = Math.floor((y * S) / h);
    out.set(rgb.subarray(sy * S * 3, (sy + 1) * S * 3), (top + y) * S * 3);
  }
  return out;
}

function gray(width: number, height: number, f: (x: number, y: number) => number): Gray {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { width, height, data };
}

describe('frame rectangles', () => {
  it('trims centred uniform bars down to 25% of the frame (pictures keep 40%)', () => {
    const content = (y: number): boolean => y >= 88 && y < 168; // 80 of 256 rows: 31%
    const g = gray(S, S, (x, y) => (content(y) ? 40 + ((x * 7 + y * 13) % 160) : 0));
    expect(trimBorders(g, DEFAULT_TRIM)).toEqual({ left: 0, top: 0, width: S, height: S });
    expect(frameRects(g, DEFAULT_FRAME_PRINT).trimmed).toEqual({ left: 0, top: 88, width: S, height: 80 });
  });

  it('does not trim bars of unequal size (a flat sky is no letterbox)', () => {
    const g = gray(S, S, (x, y) => (y >= 100 && y < 180 ? 40 + ((x * 7 + y * 13) % 160) : 0));
    expect(frameRects(g, DEFAULT_FRAME_PRINT).trimmed.height).toBe(S);
  });

  it('takes bars as equal when one holds a title (trimming stops at the text)', () => {
    const content = (y: number): boolean => y >= 88 && y < 168;
    const title = (x: number, y: number): boolean => y >= 40 && y < 48 && x > 60 && x < 196 && (x >> 2) % 2 === 0;
    const g = gray(S, S, (x, y) => (content(y) ? 40 + ((x * 7 + y * 13) % 160) : title(x, y) ? 255 : 0));
    const t = trimBorders(g, VIDEO_TRIM);
    expect(t.top).toBeLessThan(48);
    expect(barsWithText(g, t)).toEqual({ left: 0, top: 88, width: S, height: 80 });
    expect(frameRects(g, DEFAULT_FRAME_PRINT).trimmed).toEqual({ left: 0, top: 88, width: S, height: 80 });
    // a band below a picture (no bar above it): unchanged
    const band = gray(S, S, (x, y) => (y < 200 ? 40 + ((x * 7 + y * 13) % 160) : y >= 220 && y < 230 && (x >> 2) % 2 === 0 ? 255 : 0));
    const tb = trimBorders(band, VIDEO_TRIM);
    expect(barsWithText(band, tb)).toEqual(tb);
  });

  it('finds a band of large bold text whose glyph edges are soft rows', () => {
    // from the bottom: 10 plain rows, a soft row (band colour with smooth grey), 12 rows of sharp bold marks,
    // a soft row, 8 plain rows, then the picture
    const g = gray(S, S, (x, y) => {
      const n = S - 1 - y;
      if (n < 10 || (n > 23 && n < 32)) return 0;
      if (n === 10 || n === 23) return x > 40 && x < 110 ? 60 : 0;
      if (n < 23) return x > 30 && x < S - 30 && (x >> 4) % 2 === 0 ? 255 : 0;
      return 90 + ((x * 7 + y * 13) % 120);
    });
    expect(detectCaptionBands(g, DEFAULT_CAPTION).bottom).toBe(0);
    expect(detectCaptionBands(g, VIDEO_CAPTION).bottom).toBeGreaterThanOrEqual(30);
  });
});

describe('framePrint', () => {
  const clean = framePrint(frameOf(7), S, S);

  it('hashes a plain frame as before and keeps its 2 strip windows', () => {
    expect(clean.how).toBeUndefined();
    expect(clean.windows.map((w) => w.name)).toEqual(FRAME_WINDOWS.map((w) => w.name));
    expect(framePrint(frameOf(7), S, S, { ...DEFAULT_FRAME_PRINT, windows: [] }).windows).toEqual([]);
  });

  it('a band drawn over the bottom: the frame no longer matches, its top window does', () => {
    for (const band of [0.12, 0.2, 0.28]) {
      const copy = framePrint(withBand(frameOf(7), Math.round((1 - band) * S), S, 0), S, S);
      const win = (p: FramePrint, name: string): string => p.windows.find((w) => w.name === name)?.hash ?? '';
      const name = 't70';
      expect(hamming(win(copy, name), win(clean, name))).toBeLessThanOrEqual(12);
      expect(hamming(copy.hash, clean.hash)).toBeGreaterThan(31);
    }
  });

  it('a 16:9 frame letterboxed into 9:16 hashes like the clip', () => {
    const copy = framePrint(vertical(frameOf(7)), S, S);
    expect(copy.how).toBe('trimmed');
    expect(hamming(copy.hash, clean.hash)).toBeLessThanOrEqual(31);
  });
});

describe('FrameBagBuilder', () => {
  const f = (hash: string, quality = 100): FramePrint => ({ hash, quality, windows: [{ name: 't70', hash }] });
  const A = '0'.repeat(64);
  const B = 'f'.repeat(64);
  const A2 = `1${'0'.repeat(63)}`;

  it('keeps a frame once it moved past the dedup distance from the last kept one; caps the bag', () => {
    const b = new FrameBagBuilder({ dedupDistance: 10, minQuality: 50, maxFrames: 2 });
    expect(b.push(f(A))).toBe(true);
    expect(b.push(f(A2))).toBe(true); // 1 bit from A: dropped
    expect(b.push(f(B))).toBe(false); // kept, and the bag is full
    expect(b.push(f(A))).toBe(false);
    expect(b.result()).toEqual({ frames: [A, B], windows: [`t70:${A}`, `t70:${B}`] });
  });

  it('drops low-quality frames (they still reset the dedup reference)', () => {
    const b = new FrameBagBuilder({ dedupDistance: 10, minQuality: 50, maxFrames: 10 });
    b.push(f(A, 10));
    b.push(f(A2));
    b.push(f(B));
    expect(b.result().frames).toEqual([B]);
  });
});

describe('stored windows', () => {
  it('round-trip and skip malformed entries', () => {
    const ws = [
      { name: 't70', hash: 'a'.repeat(64) },
      { name: 'b70', hash: '0'.repeat(64) },
    ];
    expect(parseWindows(formatWindows(ws))).toEqual(ws);
    expect(parseWindows('')).toEqual([]);
    expect(parseWindows(`t70:zz,b70:${'1'.repeat(64)},x`)).toEqual([{ name: 'b70', hash: '1'.repeat(64) }]);
  });

  it('travel in the media item, not in the feed entry', () => {
    const doc = {
      _id: 'sha256:x',
      clusterId: 'c',
      firstSeenAt: new Date(0),
      frames: ['0'.repeat(64)],
      frameWindows: [`t70:${'0'.repeat(64)}`],
    } as MediaItemDoc;
    const item = feedItemOf(doc);
    expect(item.frameWindows).toEqual(doc.frameWindows);
    expect(feedEntryOf(item)).toEqual({ id: 'sha256:x', clusterId: 'c', firstSeenAt: 0, more: true });
  });
});

describe('windowed frame coverage and the frame-bag index', () => {
  const clips = [11, 12, 13, 14].map((seed) => frameOf(seed));
  const storedPrints = clips.map((rgb) => framePrint(rgb, S, S));
  const stored = { frames: storedPrints.map((p) => p.hash), windows: storedPrints.map((p) => p.windows) };
  const copyPrints = clips.map((rgb) => framePrint(withBand(rgb, Math.round(0.8 * S), S, 255), S, S));
  const copy = { frames: copyPrints.map((p) => p.hash), windows: copyPrints.map((p) => p.windows) };
  const t = { radius: 31, sameStoredPct: 80, sameQueryPct: 80, containsPct: 80, containedInPct: 80, minFrames: 3 };

  it('frames with a band over them match by their windows only', () => {
    expect(videoMatch(copy.frames, stored.frames, 31)).toEqual({ storedPct: 0, queryPct: 0 });
    expect(videoMatchWindowed(copy, stored, 31)).toEqual({ storedPct: 100, queryPct: 100 });
    // a window matches a window of the same name only
    const renamed = { ...copy, windows: copy.windows.map((ws) => ws.map((w) => ({ ...w, name: `x${w.name}` }))) };
    expect(videoMatchWindowed(renamed, stored, 31).queryPct).toBe(0);
    expect(relateBags(copy, stored, t)?.via).toBe('video');
    expect(relateBags(copy.frames, stored.frames, t)).toBeUndefined();
  });

  it('the index finds a stored video by its windows, and replaces a bag with its windows', () => {
    const idx = new FrameBagIndex(t);
    idx.add('v1', stored);
    idx.add('v2', { frames: [frameOf(90), frameOf(91), frameOf(92)].map((rgb) => framePrint(rgb, S, S).hash) });
    expect(idx.windowCount).toBe(stored.windows.flat().length);
    expect(idx.query(copy).map((h) => h.id)).toEqual(['v1']);
    expect(idx.query(copy.frames)).toEqual([]);
    expect(idx.query(stored.frames).map((h) => h.id)).toEqual(['v1']);
    idx.add('v1', stored.frames);
    expect(idx.windowCount).toBe(0);
    expect(idx.query(copy)).toEqual([]);
  });
});

describe('videoPrintOptions', () => {
  it('samples at media.videoFps for maxVideoSeconds, keeps maxFrames, windows on by default', () => {
    const m = settingsSchema.parse({}).media;
    const o = videoPrintOptions(m);
    expect(o).toMatchObject({ fps: 2, maxSeconds: 600, maxFrames: 1200, maxBagFrames: 600, dedupDistance: 10 });
    expect(o.print.windows).toBe(FRAME_WINDOWS);
    expect(videoPrintOptions({ ...m, videoFrameWindows: false }).print.windows).toEqual([]);
  });
});

describe('videoFingerprint (ffmpeg)', () => {
  const m = settingsSchema.parse({}).media;
  const t = { radius: 31, sameStoredPct: 80, sameQueryPct: 80, containsPct: 80, containedInPct: 80, minFrames: 3 };
  const print = async (v: Buffer): Promise<{ frames: string[]; windows: FrameWindow[][] }> => {
    const p = await videoFingerprint(v, videoPrintOptions(m));
    return { frames: p.frames, windows: p.windows.map(parseWindows) };
  };

  it('streams frames, stops when told to, and caps like extractFrames', async () => {
    const clip = await movingClip([61, 62]);
    let seen = 0;
    expect(await forEachFrame(clip, { fps: 2, maxSeconds: 60, maxFrames: 100, timeoutMs: 60000 }, () => ++seen < 3)).toBe(3);
    expect(await extractFrames(clip, { fps: 2, maxSeconds: 60, maxFrames: 5, timeoutMs: 60000 })).toHaveLength(5);
    await expect(extractFrames(Buffer.from('not a video'), { fps: 1, maxSeconds: 5, maxFrames: 5, timeoutMs: 60000 })).rejects.toBeInstanceOf(VideoDecodeError);
  }, 60000);

  it('a caption band over the frames and a copy played 1.5x faster match the stored clip; another clip does not', async () => {
    const clip = await movingClip([71, 72, 73]);
    const stored = await print(clip);
    expect(stored.frames.length).toBeGreaterThanOrEqual(6);
    expect(stored.windows.every((ws) => ws.length === FRAME_WINDOWS.length)).toBe(true);
    expect(relateBags(await print(await editClip(clip, VIDEO_EDITS.captionOver(4))), stored, t)?.via).toBe('video');
    expect(relateBags(await print(await editClip(clip, VIDEO_EDITS.speed(1.5))), stored, t)).toBeDefined();
    expect(relateBags(await print(await movingClip([81, 82, 83])), stored, t)).toBeUndefined();
  }, 120000);
});
