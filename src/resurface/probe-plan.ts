/**
 * When each candidate of a successor search is looked at (pure). Every candidate carries a prior (the chance,
 * roughly, that the comeback takes that handle: 1 for a handle the channel named or its network points at, the
 * variant family's prior for a look-alike, handle-variants.ts). A candidate not found is looked at again after an
 * interval that grows as its prior falls (square-root rule: the rate of looks ∝ √prior, which keeps the mean time
 * to find a comeback lowest for a given probe budget), from `hotReprobeSeconds` for the most likely to
 * `reprobeMinutes` for the least, stretched as the takedown ages (`reprobeStretchHours`). When more candidates are
 * due than a step may probe (a wave of takedowns), the due ones go by urgency: prior^`urgencyExponent` × time since
 * their last look (1 by default: in a saturated wave a candidate waits in inverse proportion to its prior).
 */
import { VARIANT_PRIORS } from './handle-variants';

export interface ProbeCadence {
  /** The interval of the most likely candidates (named, pointed at by the network, the first numeric variants). */
  hotReprobeSeconds: number;
  /** The longest interval (the least likely candidates). */
  reprobeMinutes: number;
  /** Intervals grow by 1× per this many hours since the takedown (0: never stretched). */
  reprobeStretchHours: number;
  /** Urgency of a due candidate = prior^this × time since its last look (URGENCY_EXPONENT when unset). */
  urgencyExponent?: number;
}

/** The default urgency exponent (`resurface.urgencyExponent`; bench/probe-plan-wave.ts has the figures behind it). */
export const URGENCY_EXPONENT = 1;

/** A prior at or above this one gets the shortest interval: the most common variant family's. */
export const TOP_PRIOR = VARIANT_PRIORS.numeric;
/** Prior of a handle pointed at from outside the channel's network (a link, mention or forward elsewhere). */
export const POINTED_PRIOR = 0.02;

/** Pure: how long after a look a candidate not found is due again. */
export function reprobeIntervalMs(prior: number, hoursSinceTakedown: number, c: ProbeCadence): number {
  const longest = c.reprobeMinutes * 60;
  const shortest = Math.min(c.hotReprobeSeconds, longest);
  const base = Math.min(longest, shortest * Math.sqrt(TOP_PRIOR / Math.max(prior, 1e-6)));
  const stretch = c.reprobeStretchHours > 0 ? 1 + Math.max(0, hoursSinceTakedown) / c.reprobeStretchHours : 1;
  return Math.max(shortest, base) * 1000 * stretch;
}

/** What the store says of one candidate of this search. */
export interface CandidateLook {
  lastProbedAt: Date;
  /** A live channel under the handle not scored yet (undecided): looked at again at the shortest interval. */
  active: boolean;
  /** Reported, or left to another predecessor: never looked at again by this search. */
  done: boolean;
}

export interface ProbePlan<T> {
  /** The candidates due now, most urgent first. */
  due: T[];
  /** When the next candidate not due now falls due (none: nothing left to look at). */
  nextDueAt?: Date;
}

/** Pure: the interval of one candidate (a live one at the shortest). */
function intervalOf(prior: number, look: CandidateLook | undefined, hours: number, c: ProbeCadence): number {
  return reprobeIntervalMs(look?.active ? Math.max(prior, TOP_PRIOR) : prior, hours, c);
}

/**
 * Pure: the due candidates of one search step, most urgent first (prior^exponent × time since the last look; a candidate
 * never looked at counts from one longest interval before the search began, so that the first pass goes by prior),
 * and when the next one not due now falls due.
 */
export function planProbes<T extends { prior: number }>(
  cands: readonly T[],
  looks: ReadonlyArray<CandidateLook | undefined>,
  now: Date,
  since: Date,
  c: ProbeCadence,
): ProbePlan<T> {
  const hours = (now.getTime() - since.getTime()) / 3600_000;
  const firstLook = since.getTime() - c.reprobeMinutes * 60_000;
  const exponent = c.urgencyExponent ?? URGENCY_EXPONENT;
  const due: Array<{ cand: T; urgency: number; order: number }> = [];
  let next = Number.POSITIVE_INFINITY;
  cands.forEach((cand, order) => {
    const look = looks[order];
    if (look?.done) return;
    const last = look ? look.lastProbedAt.getTime() : firstLook;
    const dueAt = look ? last + intervalOf(cand.prior, look, hours, c) : now.getTime();
    if (dueAt > now.getTime()) {
      next = Math.min(next, dueAt);
      return;
    }
    due.push({ cand, urgency: Math.max(cand.prior, 1e-6) ** exponent * (now.getTime() - last), order });
  });
  due.sort((a, b) => b.urgency - a.urgency || a.order - b.order);
  return { due: due.map((d) => d.cand), ...(Number.isFinite(next) ? { nextDueAt: new Date(next) } : {}) };
}
