/**
 * Match time per new picture at N stored pictures (default 1M), counting every stored view (issue 12):
 *   BEFORE: the plain hash and its 7 dihedral variants, each a full radius-31 MIH lookup in the N plain hashes;
 *   AFTER:  the same plain lookup; the dihedral variants by exact chunks; the picture's query views (its base, the
 *           base's mirror and 180° turn, its own t85/b85 windows, plus a trimmed / caption-stripped / rotated view for
 *           a share of pictures) by exact chunks in the index of stored views (N × views per picture: base + 50
 *           crop windows by default).
 * Hashes are random (like bench/mih-speed.ts); every query has a planted near copy. Before and after are timed
 * query by query, interleaved.
 *   npm run bench:match-views [-- pictures viewsPerPicture]
 */
import { randomBytes } from 'node:crypto';
import { MihIndex } from '../src/media/mih-index';
import { ViewIndex } from '../src/media/view-index';
import { matchPicture } from '../src/media/view-match';
import { QUERY_TURNS, QUERY_WINDOWS, type HashView } from '../src/media/views';
import { DEFAULT_WINDOWS } from '../src/media/normalise';
import { prng } from '../src/simulator/text-generator';

const rnd = prng(11);
const pool = randomBytes(32 * 65536);
let poolAt = 0;
/** Random 256-bit hex, cheap: slices of a random pool, shuffled by a counter (distinct enough for an index). */
function hex(): string {
  if (poolAt + 32 > pool.length) {
    randomBytes(pool.length).copy(pool);
    poolAt = 0;
  }
  const h = pool.toString('hex', poolAt, poolAt + 32);
  poolAt += 32;
  return h;
}
function near(h: string, bits: number): string {
  const chars = h.split('');
  for (let i = 0; i < bits; i++) {
    const pos = Math.floor(rnd() * 64);
    chars[pos] = (parseInt(chars[pos] as string, 16) ^ (1 << Math.floor(rnd() * 4))).toString(16);
  }
  return chars.join('');
}
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

const n = Number(process.argv[2] ?? 1_000_000);
const perPicture = Number(process.argv[3] ?? DEFAULT_WINDOWS.length + 1);
const t0 = Date.now();
const images = new MihIndex();
const views = new ViewIndex();
const sample: string[] = [];
for (let i = 0; i < n; i++) {
  const h = hex();
  images.add(i.toString(36), h);
  const stored = Array.from({ length: perPicture }, (_, k) => ({
    hash: k === 0 && i % Math.ceil(n / 400) === 0 ? (sample.push(h), h) : hex(),
    how: k === 0 ? ('base' as const) : ('window' as const),
  }));
  views.addPicture(i.toString(36), stored);
}
const loadS = (Date.now() - t0) / 1000;
// queries: a near copy of a stored picture; its 7 dihedral variants are unrelated hashes; its base view near the
// stored base; one in four also has an extra view (trimmed, caption-stripped or rotation undone)
// (issue 23) every query also has the mirror and 180° turn of its base view and its own t85/b85 windows
const queries = sample.map((h, i) => {
  const extra: HashView[] = i % 4 === 0 ? [{ hash: hex(), how: 'trimmed' }] : [];
  const always: HashView[] = [
    ...QUERY_TURNS.map((k): HashView => ({ hash: hex(), how: 'dihedral', name: `d${k}` })),
    ...QUERY_WINDOWS.map((name): HashView => ({ hash: hex(), how: 'window', name })),
  ];
  return {
    dihedral: [near(h, 4 + (i % 20)), ...Array.from({ length: 7 }, hex)],
    views: [{ hash: near(h, 6 + (i % 16)), how: 'base' as const }, ...always, ...extra],
  };
});
const tb = process.hrtime.bigint();
matchPicture(queries[0] as (typeof queries)[number], { images, views }, { radius: 31, extraProbe: 'exact-chunks', views: true }); // builds the tables
const buildS = Number(process.hrtime.bigint() - tb) / 1e9;
const before: number[] = [];
const after: number[] = [];
let found = 0;
for (let r = 0; r < 2; r++) {
  for (const q of queries) {
    const a = process.hrtime.bigint();
    matchPicture(q, { images, views }, { radius: 31, extraProbe: 'full', views: false });
    const b = process.hrtime.bigint();
    const hits = matchPicture(q, { images, views }, { radius: 31, extraProbe: 'exact-chunks', views: true });
    const c = process.hrtime.bigint();
    if (r > 0) {
      before.push(Number(b - a) / 1e6);
      after.push(Number(c - b) / 1e6);
      if (hits.length) found++;
    }
  }
}
// one lookup of each kind, for reference
const single = (fn: () => unknown): number[] =>
  queries.map(() => {
    const a = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - a) / 1e6;
  });
const q0 = queries.map((q) => q.dihedral[0] as string);
let qi = 0;
const plainFull = single(() => images.query(q0[qi++ % q0.length] as string, 31, 'full'));
qi = 0;
const viewsExact = single(() => views.query(q0[qi++ % q0.length] as string, 31, 'exact-chunks'));
console.log(
  `${n} stored pictures, ${perPicture} stored views each (${views.size} in the views index); loaded in ${loadS.toFixed(0)} s, tables built in ${buildS.toFixed(1)} s`,
);
console.log('                                   p50        p90        p99');
console.log(
  `per picture BEFORE (8 full)   ${pct(before, 50).toFixed(3).padStart(8)} ms ${pct(before, 90).toFixed(3).padStart(8)} ms ${pct(before, 99).toFixed(3).padStart(8)} ms`,
);
console.log(
  `per picture AFTER             ${pct(after, 50).toFixed(3).padStart(8)} ms ${pct(after, 90).toFixed(3).padStart(8)} ms ${pct(after, 99).toFixed(3).padStart(8)} ms   (found its picture: ${found}/${queries.length})`,
);
console.log(`one plain lookup (full)       ${pct(plainFull, 50).toFixed(3).padStart(8)} ms`);
console.log(`one views lookup (exact)      ${pct(viewsExact, 50).toFixed(3).padStart(8)} ms`);
console.log('goal: per picture AFTER p50 <= 1 ms at 1M pictures');
