/**
 * Fits the resurfacing model (logistic regression, full-batch projected gradient descent with L2 and weights ≥ 0,
 * class-balanced, fixed seed)
 * on the training split of the labelled signal dump of bench/resurface-eval.ts, picks the threshold on the training
 * split, and reports recall and precision per style on the held-out split, side by side with the model in the
 * settings' defaults. Reproducible: same dump, same numbers.
 *   npx tsc -p . && node dist/bench/resurface-fit.js [bench/resurface/labelled-signals.json]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '../src/app/runtime-settings';
import { FITTED_RESURFACE_MODEL } from '../src/config/schema';
import { score, SIGNAL_NAMES, type Weights } from '../src/resurface/score';
import type { Signals } from '../src/store/repos/successor-candidates';
import { prng } from '../src/simulator/text-generator';
import type { LabelledRow } from './resurface-eval';

export interface FitOptions {
  iterations: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export interface Model {
  weights: Weights;
  bias: number;
}

function vec(s: Signals): number[] {
  return SIGNAL_NAMES.map((k) => Math.max(0, Math.min(1, s[k])));
}

/** Logistic regression, class-balanced (each class weighs half), L2 on the weights (not the bias). */
export function fitLogistic(rows: ReadonlyArray<{ signals: Signals; label: 0 | 1 }>, o: FitOptions): Model {
  const r = prng(o.seed);
  const w = SIGNAL_NAMES.map(() => r() * 0.01);
  let b = 0;
  const pos = rows.filter((x) => x.label === 1).length;
  const neg = rows.length - pos;
  const cw = (y: number) => (y === 1 ? 0.5 / Math.max(1, pos) : 0.5 / Math.max(1, neg));
  const xs = rows.map((x) => vec(x.signals));
  for (let it = 0; it < o.iterations; it++) {
    const gw = w.map(() => 0);
    let gb = 0;
    rows.forEach((row, i) => {
      const x = xs[i] as number[];
      const z = b + x.reduce((a, v, j) => a + v * (w[j] as number), 0);
      const err = (1 / (1 + Math.exp(-z)) - row.label) * cw(row.label);
      x.forEach((v, j) => (gw[j] = (gw[j] as number) + err * v));
      gb += err;
    });
    // projected onto weights ≥ 0: more evidence never lowers the score (a signal the data does not need gets 0)
    for (let j = 0; j < w.length; j++) w[j] = Math.max(0, (w[j] as number) - o.learningRate * ((gw[j] as number) + o.l2 * (w[j] as number)));
    b -= o.learningRate * gb;
  }
  const weights = Object.fromEntries(SIGNAL_NAMES.map((k, j) => [k, Math.round((w[j] as number) * 100) / 100])) as unknown as Weights;
  return { weights, bias: Math.round(b * 100) / 100 };
}

export interface Report {
  recall: number;
  precision: number;
  perStyle: Record<string, { found: number; of: number }>;
  falsePositives: Record<string, number>;
}

export function evaluate(rows: readonly LabelledRow[], m: Model, threshold: number): Report {
  const perStyle: Report['perStyle'] = {};
  const falsePositives: Record<string, number> = {};
  let tp = 0;
  let fp = 0;
  let p = 0;
  for (const row of rows) {
    const hit = score(row.signals, m.weights, m.bias) >= threshold;
    if (row.label === 1) {
      p++;
      const e = (perStyle[row.style] ??= { found: 0, of: 0 });
      e.of++;
      if (hit) {
        e.found++;
        tp++;
      }
    } else if (hit) {
      fp++;
      falsePositives[row.kind] = (falsePositives[row.kind] ?? 0) + 1;
    }
  }
  return { recall: p ? tp / p : 1, precision: tp + fp ? tp / (tp + fp) : 1, perStyle, falsePositives };
}

/** The threshold (0.05 steps) with the best training F1; ties go to the one nearest 0.5. */
export function pickThreshold(rows: readonly LabelledRow[], m: Model): number {
  let best = { t: 0.5, f1: -1 };
  for (let t = 0.1; t <= 0.951; t += 0.05) {
    const r = evaluate(rows, m, t);
    const f1 = r.recall + r.precision ? (2 * r.recall * r.precision) / (r.recall + r.precision) : 0;
    const tr = Math.round(t * 100) / 100;
    if (f1 > best.f1 + 1e-9 || (Math.abs(f1 - best.f1) <= 1e-9 && Math.abs(tr - 0.5) < Math.abs(best.t - 0.5))) best = { t: tr, f1 };
  }
  return best.t;
}

/** Lowest score of a true successor and highest of anything else: the margin around the threshold. */
export function margins(rows: readonly LabelledRow[], m: Model): { minPositive: number; maxNegative: number; maxNegativeOf: string } {
  let minPositive = 1;
  let maxNegative = 0;
  let maxNegativeOf = '';
  for (const r of rows) {
    const s = score(r.signals, m.weights, m.bias);
    if (r.label === 1) minPositive = Math.min(minPositive, s);
    else if (s > maxNegative) {
      maxNegative = s;
      maxNegativeOf = `${r.kind} ${r.candidate} (for ${r.predecessor})`;
    }
  }
  return { minPositive, maxNegative, maxNegativeOf };
}

function print(name: string, r: Report): void {
  console.log(`${name}: recall ${r.recall.toFixed(3)}, precision ${r.precision.toFixed(3)}`);
  for (const [s, e] of Object.entries(r.perStyle).sort()) console.log(`    ${s.padEnd(12)} recall ${e.found}/${e.of}`);
  const fps = Object.entries(r.falsePositives);
  console.log(`    false positives: ${fps.length ? fps.map(([k, v]) => `${k} ${v}`).join(', ') : 'none'}`);
}

function main(): void {
  const path = resolve(process.argv[2] ?? join(repoRoot(), 'bench/resurface/labelled-signals.json'));
  const dump = JSON.parse(readFileSync(path, 'utf8')) as { rows: LabelledRow[]; takedowns: number; decoys: number };
  const train = dump.rows.filter((r) => r.split === 'train');
  const test = dump.rows.filter((r) => r.split === 'test');
  const count = (xs: LabelledRow[]) => `${xs.length} candidates, ${xs.filter((x) => x.label).length} positive`;
  console.log(`${path}: ${dump.takedowns} takedowns, ${dump.decoys} decoys; train ${count(train)}; held-out ${count(test)}`);
  const opts: FitOptions = { iterations: 4000, learningRate: 2, l2: 0.002, seed: 11 };
  const model = fitLogistic(train, opts);
  const threshold = pickThreshold(train, model);
  console.log(`fitted (${JSON.stringify(opts)}):\n  ${JSON.stringify({ weights: model.weights, bias: model.bias, threshold })}`);
  print('training split, fitted', evaluate(train, model, threshold));
  print('held-out split, fitted', evaluate(test, model, threshold));
  const mg = margins(test, model);
  console.log(
    `    held-out margins: lowest true successor ${mg.minPositive.toFixed(3)}, highest other candidate ${mg.maxNegative.toFixed(3)} (${mg.maxNegativeOf})`,
  );
  const d = FITTED_RESURFACE_MODEL;
  print(`held-out split, settings defaults (threshold ${d.threshold})`, evaluate(test, { weights: { ...d.weights }, bias: d.bias }, d.threshold));
  const legacy: Weights = { handle: 0.15, title: 0.1, avatar: 0.15, description: 0.05, sharedMedia: 0.25, sharedText: 0.15, network: 0.1, timing: 0.05 };
  // the hand-set weighted average (before issue 11), for comparison
  let tp = 0;
  let fp = 0;
  let p = 0;
  for (const r of test) {
    const hit = score(r.signals, legacy) >= 0.55;
    if (r.label) {
      p++;
      if (hit) tp++;
    } else if (hit) fp++;
  }
  console.log(
    `held-out split, hand-set weighted average (threshold 0.55): recall ${(tp / Math.max(1, p)).toFixed(3)}, precision ${(tp + fp ? tp / (tp + fp) : 1).toFixed(3)}`,
  );
}

if (require.main === module) main();
