/**
 * The probe plan alone (src/resurface/probe-plan.ts, no network) in a wave of takedowns: `--takedowns` removed
 * channels, each with its full candidate list (60 variants), their successive steps taking turns under one probe
 * budget as the discovery queue runs them (`--per-step` probes each), the successors appearing over `--spread`
 * seconds. For each urgency exponent, how long after it appears a successor is first looked at, when it took the
 * variant of rank r (the list's order: 0 = most likely), p50/p95/max over the wave, for the likely ranks (0–9) and
 * the unlikely ones (20–59) side by side. Pure and deterministic: the figures behind URGENCY_EXPONENT.
 *   npx tsc -p . && node dist/bench/probe-plan-wave.js [--takedowns 15] [--rate 5] [--per-step 5] [--spread 150]
 */
import { rankedHandleVariants } from '../src/resurface/handle-variants';
import { planProbes, URGENCY_EXPONENT, type CandidateLook, type ProbeCadence } from '../src/resurface/probe-plan';
import { percentile } from '../src/research/percentiles';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000);

/** A second head: takedown `of` also comes back under its variant of rank `rank`, `after` seconds after its first head is found. */
export interface SecondHead {
  of: number;
  rank: number;
  after: number;
}

/**
 * Seconds from each successor's appearance to the first look at its handle (Infinity: never within 30 min); with a
 * second head, its latency comes last. A successor looked at is reported (never looked at again); its search goes on.
 */
export function waveLatencies(
  rank: (i: number) => number,
  exponent: number,
  n: number,
  rate: number,
  perStep: number,
  spread: number,
  second?: SecondHead,
): number[] {
  const cadence: ProbeCadence = { hotReprobeSeconds: 30, reprobeMinutes: 2, reprobeStretchHours: 12, urgencyExponent: exponent };
  const lists = Array.from({ length: n }, (_, i) =>
    rankedHandleVariants(`sim_wave_${String.fromCharCode(97 + (i % 26))}_channel${i}`, 60, { removedAt: new Date(T0) }).map((v) => ({
      ...v,
      look: undefined as CandidateLook | undefined,
    })),
  );
  const appear = Array.from({ length: n }, (_, i) => ((i * 7) % n) * (spread / Math.max(1, n - 1)));
  const found: number[] = Array.from({ length: n }, () => Number.POSITIVE_INFINITY);
  let secondAt = Number.POSITIVE_INFINITY;
  let secondFound = second ? Number.POSITIVE_INFINITY : 0;
  let t = 0;
  for (let turn = 0; t < 1800 && (found.some((f) => !Number.isFinite(f)) || !Number.isFinite(secondFound)); turn++) {
    const i = turn % n;
    const list = lists[i] as Array<(typeof lists)[number][number]>;
    const target = list[Math.min(rank(i), list.length - 1)];
    const head2 = second && second.of === i ? list[Math.min(second.rank, list.length - 1)] : undefined;
    const plan = planProbes(
      list,
      list.map((c) => c.look),
      at(t),
      at(0),
      cadence,
    );
    for (const c of plan.due.slice(0, perStep)) {
      c.look = { lastProbedAt: at(t), active: false, done: false };
      if (c === target && t >= (appear[i] as number) && !Number.isFinite(found[i] as number)) {
        found[i] = t - (appear[i] as number);
        c.look = { ...c.look, done: true };
        if (head2) secondAt = t + (second?.after ?? 0);
      }
      if (c === head2 && t >= secondAt && !Number.isFinite(secondFound)) {
        secondFound = t - secondAt;
        c.look = { ...c.look, done: true };
      }
      t += 1 / rate;
    }
    if (!plan.due.length) t += 0.05;
  }
  return second ? [...found, secondFound] : found;
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const f = (q: number) => {
    const v = percentile(s, q) as number;
    return Number.isFinite(v) ? `${v.toFixed(0)} s` : 'never';
  };
  return `p50 ${f(50)}, p95 ${f(95)}, max ${f(100)}`;
}

function main(): void {
  const n = arg('takedowns', 15);
  const rate = arg('rate', 5);
  const perStep = arg('per-step', 5);
  const spread = arg('spread', 150);
  console.log(`wave of ${n} takedowns, ${rate} probes/s, ${perStep} probes per step, successors over ${spread} s; first look after the successor appears:`);
  for (const e of [0, 0.5, 1, 1.5]) {
    const likely = [0, 3, 6].flatMap((shift) => waveLatencies((i) => (i + shift) % 10, e, n, rate, perStep, spread));
    const unlikely = [0, 7, 14].flatMap((shift) => waveLatencies((i) => 20 + ((i * 3 + shift) % 40), e, n, rate, perStep, spread));
    console.log(`  urgency exponent ${e.toFixed(2)}: likely (ranks 0–9) ${stats(likely)} | unlikely (ranks 20–59) ${stats(unlikely)}`);
  }
  // a mixed wave, as bench:resurface-wave: ten takedowns come back under likely variants (ranks 0–12), five under
  // unlikely ones (ranks 19–40), and one of them opens a second head (rank 5) 30 s after its first is found
  const mixed = [0, 1, 3, 2, 7, 4, 10, 5, 8, 12, 19, 21, 26, 31, 40];
  console.log(`mixed wave (target ranks ${mixed.join(', ')}; takedown 0 opens a second head, rank 5, 30 s after its first is found):`);
  const runs = [0, 4, 9].map((shift) =>
    waveLatencies((i) => mixed[(i + shift) % mixed.length] as number, URGENCY_EXPONENT, n, rate, perStep, spread, { of: 0, rank: 5, after: 30 }),
  );
  console.log(`  every head ${stats(runs.flat())} | the second heads ${runs.map((r) => `${(r[r.length - 1] as number).toFixed(0)} s`).join(', ')}`);
}

if (require.main === module) main();
