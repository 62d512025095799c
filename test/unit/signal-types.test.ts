import {
  bandsToAdd,
  DEFAULT_CLUSTER_JACCARD,
  MINHASH_TEXT_SIGNAL,
  nearTextClusters,
  ownTextClusterId,
  TEXT_BAND_CAP,
  type TextClusterBacking,
} from '../../src/core/signals/minhash-text';
import { SHORT_TEXT_SIGNAL } from '../../src/core/signals/short-text';
import { SignalHashError } from '../../src/core/signals/signal-type';
import { lshBands, minhashSignature } from '../../src/core/text/minhash';
import { pdqDihedral } from '../../src/media/pdq-hash';
import { DEFAULT_FRAME_BAG_THRESHOLD, FRAME_BAG_SIGNAL, frameBagThreshold } from '../../src/media/signals/frame-bag';
import { AVATAR_PDQ_SIGNAL, PDQ_SIGNAL, PDQ_VIEW_SIGNAL } from '../../src/media/signals/pdq';
import { SIGNAL_NAMES, SIGNAL_TYPES, signalsFor, signalType } from '../../src/media/signals/registry';
import { settingsSchema } from '../../src/config/schema';
import { scene } from '../../src/simulator/reupload-variants';

/** A deterministic 64-hex hash. */
function hex(seed: number): string {
  let s = (seed * 2654435761) >>> 0 || 1;
  let out = '';
  for (let i = 0; i < 64; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out += (s & 15).toString(16);
  }
  return out;
}

/** Every bit flipped: distance 256. */
const inverse = (h: string): string => [...h].map((c) => (15 - parseInt(c, 16)).toString(16)).join('');
/** The first `n` bits flipped. */
function flipBits(h: string, n: number): string {
  const chars = [...h];
  for (let b = 0; b < n; b++) {
    const i = Math.floor(b / 4);
    chars[i] = (parseInt(chars[i] as string, 16) ^ (8 >> (b % 4))).toString(16);
  }
  return chars.join('');
}

function expectHashError(fn: () => unknown, signal: string, problem: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SignalHashError);
  const e = err as SignalHashError;
  expect(e.signal).toBe(signal);
  expect(e.message.startsWith(`${signal} hash: `)).toBe(true);
  expect(e.problem).toMatch(problem);
}

const media = settingsSchema.parse({}).media;
const text = settingsSchema.parse({}).text;

describe('signal type registry', () => {
  it('names every signal type by its own name, and an unknown name lists the known ones', () => {
    for (const n of SIGNAL_NAMES) expect(SIGNAL_TYPES[n].name).toBe(n);
    expect(SIGNAL_NAMES).toEqual(['pdq', 'pdq-view', 'video-frame-bag', 'avatar-pdq', 'minhash-text', 'short-text']);
    expect(signalType('pdq')).toBe(PDQ_SIGNAL);
    expect(() => signalType('md5')).toThrow('unknown signal type "md5" (known: pdq, pdq-view, video-frame-bag, avatar-pdq, minhash-text, short-text)');
  });

  it('maps content kinds to signal types', () => {
    expect(signalsFor('photo')).toEqual(['pdq', 'pdq-view']);
    expect(signalsFor('avatar')).toEqual(['avatar-pdq']);
    expect(signalsFor('video')).toEqual(['video-frame-bag']);
    expect(signalsFor('text')).toEqual(['minhash-text']);
    expect(signalsFor('short-text')).toEqual(['short-text']);
  });

  it('keeps the settings defaults as the default thresholds', () => {
    expect(PDQ_SIGNAL.threshold).toBe(media.matchRadius);
    expect(PDQ_VIEW_SIGNAL.threshold).toBe(media.matchRadius);
    expect(FRAME_BAG_SIGNAL.threshold).toEqual(frameBagThreshold(media));
    expect(MINHASH_TEXT_SIGNAL.threshold).toBe(text.clusterJaccard);
    expect(AVATAR_PDQ_SIGNAL.threshold).toBe(31);
  });
});

describe('pdq, avatar-pdq and pdq-view', () => {
  const a = hex(1);
  it.each([PDQ_SIGNAL, AVATAR_PDQ_SIGNAL, PDQ_VIEW_SIGNAL])('$name: identical → 0 and a match; far → no match; up to the threshold', (sig) => {
    expect(sig.compare(a, a)).toEqual({ distance: 0, match: true });
    expect(sig.compare(a, inverse(a))).toEqual({ distance: 256, match: false });
    expect(sig.compare(a, flipBits(a, 31))).toEqual({ distance: 31, match: true });
    expect(sig.compare(a, flipBits(a, 32))).toEqual({ distance: 32, match: false });
    expect(sig.compare(a, flipBits(a, 12), 10)).toEqual({ distance: 12, match: false });
  });

  it.each([PDQ_SIGNAL, AVATAR_PDQ_SIGNAL, PDQ_VIEW_SIGNAL])('$name: a bad hash string is an error naming the signal and the fault', (sig) => {
    expectHashError(() => sig.parse(a.slice(1)), sig.name, /^expected 64 hex characters, got 63$/);
    expectHashError(() => sig.parse(`${a.slice(0, 10)}g${a.slice(11)}`), sig.name, /^not a hex character at position 10: "g"$/);
    expect(sig.parse(a.toUpperCase())).toBe(a);
    expect(sig.format(sig.parse(a))).toBe(a);
  });

  it('pdq: fromContent is the plain hash of the dihedral set; the index finds it', () => {
    const p = scene(3, 160, 120);
    const img = { pixels: p.rgb, width: p.width, height: p.height, channels: 3 };
    const h = PDQ_SIGNAL.fromContent(img) as string;
    expect(h).toBe(pdqDihedral(p.rgb, p.width, p.height, 3)[0]?.hash);
    expect(AVATAR_PDQ_SIGNAL.fromContent(img)).toBe(h);
    const idx = PDQ_SIGNAL.createIndex();
    idx.add('x', h);
    idx.add('far', inverse(h));
    expect(idx.query(flipBits(h, 5))).toEqual([{ id: 'x', distance: 5 }]);
    expect(idx.size).toBe(2);
  });

  it('pdq-view: fromContent is the base view; the view index finds the picture by it', () => {
    const p = scene(4, 160, 120);
    const v = PDQ_VIEW_SIGNAL.fromContent({ pixels: p.rgb, width: p.width, height: p.height, channels: 3 }) as string;
    expect(v).toMatch(/^[0-9a-f]{64}$/);
    const idx = PDQ_VIEW_SIGNAL.createIndex();
    idx.add('sha256:p', [{ hash: v, how: 'base' }]);
    expect(idx.query(v).map((m) => m.id)).toEqual(['sha256:p|base|0']);
  });
});

describe('video-frame-bag', () => {
  const bag = [1, 2, 3, 4, 5].map(hex);
  it('identical → 0 and a match; unrelated → no match', () => {
    expect(FRAME_BAG_SIGNAL.compare(bag, bag)).toEqual({ distance: 0, match: true });
    expect(FRAME_BAG_SIGNAL.compare(bag, bag.map(inverse))).toEqual({ distance: 100, match: false });
    expect(FRAME_BAG_SIGNAL.compare(bag, [])).toEqual({ distance: 100, match: false });
  });

  it('a compilation contains a clip; the index tells the relation', () => {
    const compilation = [...[10, 11, 12].map(hex), ...bag, ...[13, 14, 15].map(hex)];
    const idx = FRAME_BAG_SIGNAL.createIndex();
    idx.add('clip', bag);
    idx.add('other', [20, 21, 22].map(hex));
    expect(idx.query(compilation)).toEqual([{ id: 'clip', distance: 0, via: 'contains' }]);
    expect(idx.query(bag)).toEqual([{ id: 'clip', distance: 0, via: 'video' }]);
    expect(idx.query(bag, { ...DEFAULT_FRAME_BAG_THRESHOLD, radius: 0 }).map((h) => h.via)).toEqual(['video']);
    idx.add('clip', [30, 31, 32].map(hex));
    expect(idx.query(bag)).toEqual([]);
    expect(idx.frameCount).toBe(6);
  });

  it('fromContent drops near-identical consecutive frames and poor ones', () => {
    const frames = [
      { hash: bag[0] as string, quality: 90 },
      { hash: flipBits(bag[0] as string, 3), quality: 90 },
      { hash: bag[1] as string, quality: 10 },
      { hash: bag[2] as string, quality: 90 },
    ];
    expect(FRAME_BAG_SIGNAL.fromContent({ frames, dedupDistance: 10, minQuality: 50 })).toEqual([bag[0], bag[2]]);
  });

  it('reads and writes a bag; a bad one is an error naming the signal and the frame', () => {
    expect(FRAME_BAG_SIGNAL.parse(FRAME_BAG_SIGNAL.format(bag))).toEqual(bag);
    expectHashError(() => FRAME_BAG_SIGNAL.parse(''), 'video-frame-bag', /^no frames$/);
    expectHashError(() => FRAME_BAG_SIGNAL.parse(`${bag[0] as string},abc`), 'video-frame-bag', /^frame 1: expected 64 hex characters, got 3$/);
  });
});

/** An in-memory backing of the MinHash text index. */
function memoryBacking(): TextClusterBacking & { sigs: Map<string, { sig: number[]; at: Date }> } {
  const buckets = new Map<string, string[]>();
  const sigs = new Map<string, { sig: number[]; at: Date }>();
  return {
    sigs,
    bucketClusters: (bands) => Promise.resolve(bands.map((b) => [...(buckets.get(b) ?? [])])),
    signature: (key) => Promise.resolve(sigs.get(key)),
    addToBuckets: (bands, clusterId) => {
      for (const b of bands) buckets.set(b, [...(buckets.get(b) ?? []), clusterId].slice(0, TEXT_BAND_CAP));
      return Promise.resolve();
    },
  };
}

describe('minhash-text', () => {
  const long = 'the harbour master posted the tide table for the northern quay again this tuesday morning before dawn';
  const edited = 'the harbour master posted the tide table for the northern quay again this tuesday morning before sunrise';
  const other = 'a recipe for lentil soup with cumin lemon and fresh coriander served with warm flat bread at lunch';
  const content = (t: string) => ({ text: t, minWords: text.minWords });

  it('identical → 0 and a match; unrelated → no match; too short → no signature', () => {
    const a = MINHASH_TEXT_SIGNAL.fromContent(content(long)) as number[];
    expect(a).toEqual(minhashSignature(long));
    expect(MINHASH_TEXT_SIGNAL.compare(a, a)).toEqual({ distance: 0, match: true });
    const far = MINHASH_TEXT_SIGNAL.compare(a, MINHASH_TEXT_SIGNAL.fromContent(content(other)) as number[]);
    expect(far.match).toBe(false);
    expect(far.distance).toBeGreaterThan(1 - DEFAULT_CLUSTER_JACCARD);
    expect(MINHASH_TEXT_SIGNAL.fromContent(content('three short words'))).toBeUndefined();
  });

  it('reads and writes a signature; a bad one is an error naming the signal and the fault', () => {
    const a = minhashSignature(long);
    expect(MINHASH_TEXT_SIGNAL.parse(MINHASH_TEXT_SIGNAL.format(a))).toEqual(a);
    expectHashError(() => MINHASH_TEXT_SIGNAL.parse('1,2,3'), 'minhash-text', /^expected 64 comma-separated integers, got 3$/);
    const bad = [...a.slice(0, 5).map(String), 'x1', ...a.slice(6).map(String)].join(',');
    expectHashError(() => MINHASH_TEXT_SIGNAL.parse(bad), 'minhash-text', /^row 5 is not an integer below 2\^32 \+ 15: "x1"$/);
  });

  it('the index finds the earliest near-duplicate cluster through shared bands', async () => {
    const backing = memoryBacking();
    const idx = MINHASH_TEXT_SIGNAL.createIndex(backing, 0.5);
    const a = minhashSignature(long);
    backing.sigs.set('p1', { sig: a, at: new Date(1000) });
    await idx.add(ownTextClusterId('p1'), lshBands(a));
    const found = await idx.query(minhashSignature(edited));
    expect(found.map((r) => r.clusterId)).toEqual(['tc:p1']);
    expect(await idx.query(minhashSignature(other))).toEqual([]);
  });

  it('pure parts: earliest cluster first, bands whose bucket lacks the cluster and has room', () => {
    const s = minhashSignature(long);
    const reps = [
      { clusterId: 'tc:b', sig: s, at: new Date(2000) },
      undefined,
      { clusterId: 'tc:a', sig: s, at: new Date(2000) },
      { clusterId: 'tc:z', sig: s, at: new Date(1000) },
      { clusterId: 'tc:far', sig: minhashSignature(other), at: new Date(0) },
    ];
    expect(nearTextClusters(s, reps, 0.7).map((r) => r.clusterId)).toEqual(['tc:z', 'tc:a', 'tc:b']);
    const full = Array.from({ length: TEXT_BAND_CAP }, (_, i) => `tc:${i}`);
    const held = new Map([
      ['b0', ['tc:x']],
      ['b1', full],
      ['b2', []],
    ]);
    expect(bandsToAdd(['b0', 'b1', 'b2', 'b3'], held, 'tc:x')).toEqual(['b2', 'b3']);
  });
});

describe('short-text', () => {
  const content = (t: string) => ({ text: t, minWords: 8 });
  it('identical → 0 and a match; different → no match', () => {
    const a = SHORT_TEXT_SIGNAL.fromContent(content('Tide table, Tuesday!')) as string;
    expect(SHORT_TEXT_SIGNAL.fromContent(content('tide   TABLE tuesday'))).toBe(a);
    expect(SHORT_TEXT_SIGNAL.compare(a, a)).toEqual({ distance: 0, match: true });
    const b = SHORT_TEXT_SIGNAL.fromContent(content('Tide table, Wednesday')) as string;
    expect(SHORT_TEXT_SIGNAL.compare(a, b)).toEqual({ distance: 1, match: false });
    expect(SHORT_TEXT_SIGNAL.fromContent(content('hello'))).toBeUndefined();
  });

  it('reads a hash back; a bad one is an error naming the signal and the fault', () => {
    const a = SHORT_TEXT_SIGNAL.fromContent(content('Tide table, Tuesday!')) as string;
    expect(SHORT_TEXT_SIGNAL.parse(a)).toBe(a);
    expectHashError(() => SHORT_TEXT_SIGNAL.parse('tc:abc:12'), 'short-text', /^expected the prefix "st:"$/);
    expectHashError(() => SHORT_TEXT_SIGNAL.parse('st:XYZ:12'), 'short-text', /lower-case hex digits/);
  });

  it('the exact index finds equal hashes only', () => {
    const idx = SHORT_TEXT_SIGNAL.createIndex();
    idx.add('ch1', 'st:ab:12');
    idx.add('ch2', 'st:ab:12');
    idx.add('ch3', 'st:cd:12');
    expect(idx.query('st:ab:12')).toEqual([
      { id: 'ch1', distance: 0 },
      { id: 'ch2', distance: 0 },
    ]);
    idx.add('ch1', 'st:cd:12');
    expect(idx.query('st:ab:12').map((m) => m.id)).toEqual(['ch2']);
    expect(idx.size).toBe(3);
  });
});
