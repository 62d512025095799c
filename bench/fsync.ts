/**
 * What fsync costs the local stack: bench:scale's measurement (first crawl and checks with no new post, media off,
 * the crawl stage alone: `--no-media --crawl-stage-only`; through scheduler → queue → worker → FerretDB → PostgreSQL) run on two fresh embedded stacks, one with PostgreSQL in
 * the local stack's durable mode (fsync and full_page_writes on) and one throw-away (both off, as the test clusters),
 * alternated `--repeat` times so that machine load hits both alike. Prints both side by side with their ratio.
 * Always the embedded stack (REDIS_URL / MONGO_URL are ignored: the bench starts its own clusters).
 *   npm run bench:fsync -- [--channels 100] [--idle-rounds 3] [--repeat 1]
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? def) : def;
}

function positiveInt(name: string, def: string): number {
  const v = arg(name, def);
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number (got "${v}")`);
  return n;
}

interface Figures {
  firstOff: number;
  idleRate: number;
  p50: number;
  p95: number;
}

const MODES = ['durable', 'throwaway'] as const;
type Mode = (typeof MODES)[number];

/** One bench:scale run (its own embedded stack, created and deleted by it): the figures of its one channel count. */
function runScale(mode: Mode, channels: number, rounds: number): Figures {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.REDIS_URL;
  delete env.MONGO_URL;
  const out = execFileSync(
    process.execPath,
    [join(__dirname, 'scale.js'), '--counts', String(channels), '--idle-rounds', String(rounds), '--no-media', '--crawl-stage-only', '--pg-mode', mode],
    { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60_000 },
  );
  const line = out.split('\n').find((l) => l.startsWith(`${channels} channels done: `));
  if (!line) throw new Error(`bench:scale (--pg-mode ${mode}) printed no result line; its output:\n${out}`);
  const r = JSON.parse(line.slice(line.indexOf('{'))) as Figures;
  console.log(`${mode === 'durable' ? 'fsync on ' : 'fsync off'}: first crawl ${r.firstOff.toFixed(1)} checks/s, no-new ${r.idleRate.toFixed(1)} checks/s`);
  return r;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function main(): void {
  const channels = positiveInt('channels', '100');
  const rounds = positiveInt('idle-rounds', '3');
  const repeat = positiveInt('repeat', '1');
  const runs: Record<Mode, Figures[]> = { durable: [], throwaway: [] };
  for (let i = 0; i < repeat; i++) {
    // alternate which goes first, so that a slower start of the machine does not always fall on the same mode
    const order = i % 2 === 0 ? MODES : ([...MODES].reverse() as Mode[]);
    for (const m of order) runs[m].push(runScale(m, channels, rounds));
  }
  const on = runs.durable;
  const off = runs.throwaway;
  const rows: Array<[string, (f: Figures) => number, number]> = [
    ['first crawl (checks/s)', (f) => f.firstOff, 1],
    ['no-new checks/s', (f) => f.idleRate, 1],
    ['tick→done p50 ms', (f) => f.p50, 0],
    ['tick→done p95 ms', (f) => f.p95, 0],
  ];
  console.log(`\n${channels} channels, ${rounds} idle rounds, ${repeat} run(s) each (means)`);
  console.log(`${'measure'.padEnd(24)} | ${'fsync on'.padStart(9)} | ${'fsync off'.padStart(9)} | on/off`);
  for (const [name, get, d] of rows) {
    const a = mean(on.map(get));
    const b = mean(off.map(get));
    console.log(`${name.padEnd(24)} | ${a.toFixed(d).padStart(9)} | ${b.toFixed(d).padStart(9)} | ${(a / b).toFixed(2)}`);
  }
}

try {
  main();
} catch (err) {
  console.error(err);
  process.exit(1);
}
