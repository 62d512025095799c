/**
 * PDQ match query time: multi-index hashing vs brute force at 10k / 100k / 1M hashes (radius 31), side by side.
 *   npx tsc -p . && node --max-old-space-size=8192 dist/bench/mih-speed.js [sizes...]
 */
import { MihIndex } from '../src/media/mih-index';
import { prng } from '../src/simulator/text-generator';

const rnd = prng(7);
const hex = (): string => Array.from({ length: 64 }, () => Math.floor(rnd() * 16).toString(16)).join('');
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
function timeQueries(fn: (q: string) => unknown, queries: string[]): number[] {
  return queries.map((q) => {
    const t = process.hrtime.bigint();
    fn(q);
    return Number(process.hrtime.bigint() - t) / 1e6;
  });
}

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const plan = sizes.length ? sizes : [10_000, 100_000, 1_000_000];
console.log('size       index p50   index p99   brute p50   brute p99   speed-up (p50)  matches/query  recall  table build');
for (const n of plan) {
  const idx = new MihIndex();
  const bases: string[] = [];
  for (let i = 0; i < n; i++) {
    const h = hex();
    idx.add(`h${i}`, h);
    if (i % Math.ceil(n / 200) === 0) bases.push(h);
  }
  const queries = bases.map((b, i) => near(b, 4 + (i % 20))); // planted near matches
  // the tables are built lazily by the first query after loading: timed apart, not counted as a query
  const tb0 = process.hrtime.bigint();
  idx.query(queries[0] as string);
  const buildMs = Number(process.hrtime.bigint() - tb0) / 1e6;
  for (const q of queries.slice(0, 20)) idx.query(q); // warm-up
  const ti = timeQueries((q) => idx.query(q, 31), queries);
  const bq = queries.slice(0, n >= 1_000_000 ? 30 : 100);
  const tb = timeQueries((q) => idx.bruteForce(q, 31), bq);
  const matches = queries.reduce((a, q) => a + idx.query(q, 31).length, 0) / queries.length;
  const same = bq.filter((q) => JSON.stringify(idx.query(q, 31)) === JSON.stringify(idx.bruteForce(q, 31))).length;
  console.log(
    `${String(n).padEnd(10)} ${pct(ti, 50).toFixed(3).padStart(8)} ms ${pct(ti, 99).toFixed(3).padStart(8)} ms ${pct(tb, 50).toFixed(3).padStart(8)} ms ${pct(tb, 99).toFixed(3).padStart(8)} ms ${(pct(tb, 50) / pct(ti, 50)).toFixed(1).padStart(10)}x ${matches.toFixed(2).padStart(12)} ${`${((100 * same) / bq.length).toFixed(0)}%`.padStart(8)} ${buildMs.toFixed(0).padStart(9)} ms`,
  );
}
console.log('goal at 1M: p50 under 1 ms and at least 20x faster than brute force (recall: identical results to brute force on the timed brute-force queries)');
