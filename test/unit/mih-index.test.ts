import { MihIndex } from '../../src/media/mih-index';
import { ViewIndex } from '../../src/media/view-index';
import { hamming } from '../../src/media/pdq-hash';
import { prng } from '../../src/simulator/text-generator';

const rnd = prng(12345);
function randomHex(): string {
  let s = '';
  for (let i = 0; i < 64; i++) s += Math.floor(rnd() * 16).toString(16);
  return s;
}
/** Flip exactly the given bit positions (0..255, bit k lives in word k>>4). */
function flipBits(hex: string, bits: number[]): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i++) words[15 - i] = parseInt(hex.slice(i * 4, i * 4 + 4), 16);
  for (const b of bits) words[b >> 4] = (words[b >> 4] as number) ^ (1 << (b & 15));
  return Array.from({ length: 16 }, (_, i) => (words[15 - i] as number).toString(16).padStart(4, '0')).join('');
}
function sample(n: number, from: number): number[] {
  const pool = Array.from({ length: from }, (_, i) => i);
  for (let i = from - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
  }
  return pool.slice(0, n);
}

describe('MIH index: 100% recall against brute force', () => {
  it('random hashes with planted neighbours at every distance 0..40', () => {
    const idx = new MihIndex();
    const queries: string[] = [];
    for (let i = 0; i < 3000; i++) idx.add(`r${i}`, randomHex());
    for (let q = 0; q < 40; q++) {
      const base = randomHex();
      queries.push(base);
      for (let d = 0; d <= 40; d += 1) idx.add(`p${q}_${d}`, flipBits(base, sample(d, 256)));
    }
    for (const q of queries) {
      for (const r of [0, 10, 15, 16, 31]) {
        expect(idx.query(q, r)).toEqual(idx.bruteForce(q, r));
      }
      const found = idx.query(q, 31);
      expect(found.filter((m) => m.id.startsWith('p')).length).toBe(32); // distances 0..31 of its own plants
      for (const m of found) expect(m.distance).toBeLessThanOrEqual(31);
    }
  });

  it('adversarial: 31 flipped bits spread so that 15 chunks differ by 2 bits and one by 1', () => {
    const idx = new MihIndex();
    const q = randomHex();
    for (let t = 0; t < 200; t++) {
      const bits: number[] = [];
      const easy = Math.floor(rnd() * 16);
      for (let c = 0; c < 16; c++) {
        const within = sample(c === easy ? 1 : 2, 16).map((b) => c * 16 + b);
        bits.push(...within);
      }
      idx.add(`adv${t}`, flipBits(q, bits));
      // and the just-too-far case: 32 bits, 2 in every chunk
      idx.add(`far${t}`, flipBits(q, Array.from({ length: 16 }, (_, c) => sample(2, 16).map((b) => c * 16 + b)).flat()));
    }
    const res = idx.query(q, 31);
    expect(res).toHaveLength(200);
    expect(res.every((m) => m.id.startsWith('adv') && m.distance === 31)).toBe(true);
    expect(res).toEqual(idx.bruteForce(q, 31));
  });

  it('duplicates, all-zero hashes, removal and replacement', () => {
    const idx = new MihIndex();
    const zero = '0'.repeat(64);
    for (let i = 0; i < 50; i++) idx.add(`z${i}`, zero);
    idx.add('one', flipBits(zero, [255]));
    expect(idx.query(zero, 0)).toHaveLength(50);
    expect(idx.query(zero, 1)).toHaveLength(51);
    expect(idx.remove('z3')).toBe(true);
    expect(idx.remove('z3')).toBe(false);
    expect(idx.query(zero, 0)).toHaveLength(49);
    idx.add('one', 'f'.repeat(64)); // replace
    expect(idx.query(zero, 31).map((m) => m.id)).not.toContain('one');
    expect(idx.size).toBe(50);
    expect(() => idx.add('bad', 'xyz')).toThrow(/not a 256-bit PDQ hash/);
  });

  it('distances agree with hamming()', () => {
    const a = randomHex();
    const b = flipBits(a, [0, 17, 200]);
    const idx = new MihIndex();
    idx.add('b', b);
    expect(idx.query(a)[0]?.distance).toBe(hamming(a, b));
  });
  it('matches an independent scan with hamming() through incremental adds, removals, replacements and rebuilds', () => {
    const idx = new MihIndex();
    const live = new Map<string, string>();
    const put = (id: string, h: string): void => {
      idx.add(id, h);
      live.set(id, h);
    };
    const check = (queries: string[]): void => {
      for (const q of queries) {
        const all = [...live].map(([id, h]) => ({ id, distance: hamming(q, h) })).sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
        for (const r of [0, 7, 16, 31]) expect(idx.query(q, r)).toEqual(all.filter((m) => m.distance <= r));
      }
    };
    const bases = Array.from({ length: 30 }, () => randomHex());
    let n = 0;
    const near = (): string => flipBits(bases[n % bases.length] as string, sample(Math.floor(rnd() * 36), 256));
    for (let i = 0; i < 3000; i++) put(`a${n++}`, i % 3 === 0 ? near() : randomHex());
    check(bases.slice(0, 5)); // first build
    for (let i = 0; i < 500; i++) put(`b${n++}`, i % 2 === 0 ? near() : randomHex()); // not yet in the tables
    for (let i = 0; i < 3000; i += 7) {
      idx.remove(`a${i}`);
      live.delete(`a${i}`);
    }
    for (let i = 1; i < 3000; i += 11) put(`a${i}`, near()); // replaced
    check(bases.slice(10, 15));
    for (let i = 0; i < 2500; i++) put(`c${n++}`, near()); // past the rebuild threshold: rebuilt and compacted
    check(bases.slice(20, 25));
    expect(idx.size).toBe(live.size);
    for (const id of ['a7', 'a14', 'a1']) expect(idx.has(id)).toBe(live.has(id));
  });
});

describe('MIH layouts: inline and check', () => {
  it('the check layout with full probing finds exactly what brute force finds', () => {
    const idx = new MihIndex('check');
    const queries: string[] = [];
    for (let i = 0; i < 3000; i++) idx.add(`r${i}`, randomHex());
    for (let q = 0; q < 20; q++) {
      const base = randomHex();
      queries.push(base);
      for (let d = 0; d <= 40; d += 1) idx.add(`p${q}_${d}`, flipBits(base, sample(d, 256)));
    }
    for (const q of queries) for (const r of [0, 15, 16, 31]) expect(idx.query(q, r)).toEqual(idx.bruteForce(q, r));
  });

  it('exact-chunks probing in check layout: a subset of the truth, and near neighbours are found', () => {
    const inline = new MihIndex('inline');
    const check = new MihIndex('check');
    for (let i = 0; i < 5000; i++) {
      const h = randomHex();
      inline.add(`r${i}`, h);
      check.add(`r${i}`, h);
    }
    let planted = 0;
    let foundInline = 0;
    let foundCheck = 0;
    for (let q = 0; q < 200; q++) {
      const base = randomHex();
      const d = 8 + (q % 24); // 8..31
      const near = flipBits(base, sample(d, 256));
      inline.add(`p${q}`, near);
      check.add(`p${q}`, near);
      planted++;
      const truth = check.bruteForce(base, 31);
      const a = inline.query(base, 31, 'exact-chunks');
      const b = check.query(base, 31, 'exact-chunks');
      for (const m of b) expect(truth).toContainEqual(m); // never a hash beyond the radius, distances exact
      if (a.some((m) => m.id === `p${q}`)) foundInline++;
      if (b.some((m) => m.id === `p${q}`)) foundCheck++;
      if (d <= 12) expect(b.map((m) => m.id)).toContain(`p${q}`);
    }
    // the check word drops a true neighbour rarely: nearly everything the inline layout finds
    expect(foundCheck).toBeGreaterThanOrEqual(foundInline - 2);
    expect(foundInline / planted).toBeGreaterThan(0.9);
  });
});

describe('ViewIndex: many views per picture, no string per view', () => {
  const views = (n: number, base?: string) =>
    Array.from({ length: n }, (_, k) => ({ hash: k === 0 && base ? base : randomHex(), how: k === 0 ? ('base' as const) : ('window' as const) }));

  it('names hits by viewId, replaces and removes a picture with all its views', () => {
    const idx = new ViewIndex();
    const target = randomHex();
    const stored = views(25);
    stored[7] = { hash: flipBits(target, sample(5, 256)), how: 'window' };
    idx.addPicture('sha256:aa', stored);
    idx.addPicture('sha256:bb', views(25));
    expect(idx.size).toBe(50);
    expect(idx.pictures).toBe(2);
    expect(idx.query(target, 31).map((m) => m.id)).toEqual(['sha256:aa|window|7']);
    expect(idx.query(target, 31, 'exact-chunks').map((m) => m.id)).toEqual(['sha256:aa|window|7']);
    idx.addPicture('sha256:aa', views(3, flipBits(target, sample(2, 256)))); // replaced: the window is gone
    expect(idx.query(target, 31).map((m) => m.id)).toEqual(['sha256:aa|base|0']);
    expect(idx.size).toBe(28);
    expect(idx.removePicture('sha256:aa')).toBe(true);
    expect(idx.removePicture('sha256:aa')).toBe(false);
    expect(idx.query(target, 31)).toEqual([]);
    expect(idx.has('sha256:bb')).toBe(true);
  });

  it('a bad hash keeps none of the picture’s views; an unknown kind is refused', () => {
    const idx = new ViewIndex();
    const ok = views(4);
    expect(() => idx.addPicture('sha256:cc', [...ok, { hash: 'nothex', how: 'window' }])).toThrow(/not a 256-bit PDQ hash/);
    expect(idx.has('sha256:cc')).toBe(false);
    expect(idx.size).toBe(0);
    for (const v of ok) expect(idx.query(v.hash, 0)).toEqual([]);
    expect(() => idx.addPicture('sha256:cc', [{ hash: randomHex(), how: 'rotated' as never }])).toThrow(/unknown view kind "rotated"/);
  });

  it('matches brute force through removals, compaction and rebuilds', () => {
    const idx = new ViewIndex();
    const bases = Array.from({ length: 10 }, () => randomHex());
    const near = (i: number) => flipBits(bases[i % bases.length] as string, sample(Math.floor(rnd() * 30), 256));
    for (let p = 0; p < 400; p++)
      idx.addPicture(
        `m${p}`,
        views(12).map((v, k) => (k % 4 === 1 ? { ...v, hash: near(p + k) } : v)),
      );
    for (let p = 0; p < 400; p += 2) idx.removePicture(`m${p}`); // 2,400 dead slots: compacted at the next query
    for (let p = 400; p < 700; p++)
      idx.addPicture(
        `m${p}`,
        views(12).map((v, k) => (k === 3 ? { ...v, hash: near(p) } : v)),
      );
    for (const b of bases) {
      const full = idx.query(b, 31);
      expect(full).toEqual(idx.bruteForce(b, 31));
      expect(full.length).toBeGreaterThan(0);
      for (const m of full) expect(Number(m.id.split('|')[0]?.slice(1)) % 2 === 1 || Number(m.id.split('|')[0]?.slice(1)) >= 400).toBe(true);
    }
    // after compaction a picture still removes all its own views and nothing else
    idx.removePicture('m401');
    for (const b of bases) for (const m of idx.query(b, 31)) expect(m.id.startsWith('m401|')).toBe(false);
    expect(idx.pictures).toBe(200 + 300 - 1);
    expect(idx.size).toBe(499 * 12);
  });
});
