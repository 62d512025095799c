import { MAX_POINTED_ELSEWHERE, orderCandidates } from '../../src/resurface/candidate-order';
import { rankedHandleVariants } from '../../src/resurface/handle-variants';
import { planProbes, POINTED_PRIOR, reprobeIntervalMs, TOP_PRIOR, type CandidateLook, type ProbeCadence } from '../../src/resurface/probe-plan';
import type { PointedHandle } from '../../src/store/repos/handle-pointers';
import { waveLatencies } from '../../bench/probe-plan-wave';

const cadence: ProbeCadence = { hotReprobeSeconds: 30, reprobeMinutes: 2, reprobeStretchHours: 0 };
const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000);
const look = (s: number, extra: Partial<CandidateLook> = {}): CandidateLook => ({ lastProbedAt: at(s), active: false, done: false, ...extra });

describe('how often a candidate is looked at (issue 23)', () => {
  it('the most likely every hotReprobeSeconds, less likely ones less often (√prior), the least at reprobeMinutes', () => {
    expect(reprobeIntervalMs(1, 0, cadence)).toBe(30_000);
    expect(reprobeIntervalMs(TOP_PRIOR, 0, cadence)).toBe(30_000);
    expect(reprobeIntervalMs(TOP_PRIOR / 4, 0, cadence)).toBeCloseTo(60_000, 0);
    expect(reprobeIntervalMs(0.001, 0, cadence)).toBe(120_000);
    expect(reprobeIntervalMs(POINTED_PRIOR, 0, cadence)).toBeGreaterThan(reprobeIntervalMs(0.1, 0, cadence));
  });
  it('the intervals stretch as the takedown ages', () => {
    const stretched = { ...cadence, reprobeStretchHours: 12 };
    expect(reprobeIntervalMs(1, 12, stretched)).toBe(60_000);
    expect(reprobeIntervalMs(1, 72, stretched)).toBe(210_000);
    expect(reprobeIntervalMs(1, 72, cadence)).toBe(30_000);
  });
});

describe('the due candidates of a step', () => {
  const cands = [
    { handle: 'named', prior: 1 },
    { handle: 'counter', prior: 0.3 },
    { handle: 'affix', prior: 0.1 },
    { handle: 'homoglyph', prior: 0.01 },
  ];
  it('the first pass goes by prior', () => {
    const plan = planProbes(cands, [undefined, undefined, undefined, undefined], at(0), at(0), cadence);
    expect(plan.due.map((c) => c.handle)).toEqual(['named', 'counter', 'affix', 'homoglyph']);
    expect(plan.nextDueAt).toBeUndefined();
  });
  it('a candidate looked at within its interval waits; the next one due is named', () => {
    const plan = planProbes(cands, [look(100), look(100), look(100), look(100)], at(110), at(0), cadence);
    expect(plan.due).toEqual([]);
    expect(plan.nextDueAt).toEqual(at(130));
    const later = planProbes(cands, [look(100), look(100), look(100), look(100)], at(175), at(0), cadence);
    // affix: 30 s × √3 ≈ 52 s; homoglyph: capped at 120 s
    expect(later.due.map((c) => c.handle)).toEqual(['named', 'counter', 'affix']);
    expect(later.nextDueAt).toEqual(at(220));
  });
  it('when many are due, a long-waiting unlikely one can go before a likely one just due (prior × wait)', () => {
    const plan = planProbes(cands, [look(170), look(170), look(0), look(0)], at(200), at(0), cadence);
    // prior × wait: named 1 × 30 = 30; affix 0.1 × 200 = 20; counter 0.3 × 30 = 9; homoglyph 0.01 × 200 = 2
    expect(plan.due.map((c) => c.handle)).toEqual(['named', 'affix', 'counter', 'homoglyph']);
    // √prior × wait spreads the looks wider: the unlikely homoglyph (0.1 × 200) goes before the counter (0.55 × 30)
    const wide = planProbes(cands, [look(170), look(170), look(0), look(0)], at(200), at(0), { ...cadence, urgencyExponent: 0.5 });
    expect(wide.due.map((c) => c.handle)).toEqual(['affix', 'named', 'homoglyph', 'counter']);
  });
  it('reported ones are never looked at again; a live channel under the handle is looked at soonest', () => {
    const plan = planProbes(cands, [look(0, { done: true }), look(100), look(100, { active: true }), look(100)], at(131), at(0), cadence);
    expect(plan.due.map((c) => c.handle)).toEqual(['counter', 'affix']);
  });
});

describe('the candidates with their priors', () => {
  const pointed = new Map<string, PointedHandle>([
    ['sim_quiet_meadow', { from: new Set(['tg:2']), tags: new Set(['net']), origins: new Set(['mention']) }],
    ...Array.from({ length: 30 }, (_, i): [string, PointedHandle] => [
      `sim_far_${i}`,
      { from: new Set(Array.from({ length: (i % 5) + 1 }, (_, k) => `tg:${100 + k}`)), tags: new Set(['other']), origins: new Set(['link']) },
    ]),
  ]);
  const ranked = rankedHandleVariants('sim_cedar_news', 40);
  const ordered = orderCandidates(ranked, pointed, 'tg:1', new Set(['net']), new Set(['sim_cedar_news']), ['sim_cedar_reserve']);

  it('named and network handles at prior 1, the variants at theirs, a bounded number pointed at from elsewhere', () => {
    expect(ordered.slice(0, 2).map((c) => [c.handle, c.prior])).toEqual([
      ['sim_cedar_reserve', 1],
      ['sim_quiet_meadow', 1],
    ]);
    const variants = ordered.filter((c) => c.priority === 'variant');
    expect(variants.map((c) => [c.handle, c.prior])).toEqual(ranked.map((v) => [v.handle, v.prior]));
    const elsewhere = ordered.filter((c) => c.priority === 'pointed');
    expect(elsewhere).toHaveLength(MAX_POINTED_ELSEWHERE);
    expect(elsewhere.every((c) => c.prior === POINTED_PRIOR)).toBe(true);
    // the most pointed-at first
    expect(elsewhere[0]?.handle).toBe('sim_far_4');
  });
  it('the first variants are the common families: counters and affixes', () => {
    expect(ranked.slice(0, 8).map((v) => v.handle)).toEqual(
      expect.arrayContaining(['sim_cedar_news2', 'sim_cedar_news_2', 'sim_cedar_news_backup', 'sim_cedar_news_official', 'sim_cedar_news3']),
    );
  });
  it('one separator dropped at a time is a separator variant', () => {
    expect(
      rankedHandleVariants('sim_cedar_news', 200)
        .filter((v) => v.family === 'separator')
        .map((v) => v.handle),
    ).toEqual(expect.arrayContaining(['simcedarnews', 'simcedar_news', 'sim_cedarnews']));
  });
});

describe('a wave of 15 takedowns at 5 probes/s, 5 per step (the plan alone, bench/probe-plan-wave.ts)', () => {
  it('a comeback under one of the ten most likely variants is looked at within 2 minutes; a likely one sooner than an unlikely one', () => {
    const likely = [0, 3, 6].flatMap((shift) => waveLatencies((i) => (i + shift) % 10, 1, 15, 5, 5, 150));
    const unlikely = [0, 7].flatMap((shift) => waveLatencies((i) => 20 + ((i * 3 + shift) % 40), 1, 15, 5, 5, 150));
    expect(Math.max(...likely)).toBeLessThanOrEqual(120);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    expect(median(likely)).toBeLessThan(median(unlikely));
  });
  it('every comeback is found, even under an unlikely variant, and looking at all in turn (exponent 0) favours none', () => {
    const unlikely = waveLatencies((i) => 20 + ((i * 3) % 40), 1, 15, 5, 5, 150);
    expect(unlikely.every((x) => Number.isFinite(x))).toBe(true);
    const flat = waveLatencies((i) => 20 + ((i * 3) % 40), 0, 15, 5, 5, 150);
    expect(Math.max(...flat)).toBeLessThan(Math.max(...unlikely));
  });
});
