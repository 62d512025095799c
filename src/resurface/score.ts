import type { Signals } from '../store/repos/successor-candidates';
import { AVATAR_MAX_DISTANCE } from '../media/signals/pdq';

/**
 * Successor scoring (pure): a logistic model over the signals, each kept as evidence. The default weights, bias and
 * threshold are fitted on a generated labelled set (bench/resurface-eval.ts, bench/resurface-fit.ts); a settings
 * file that sets `resurface.weights` without a `bias` keeps the older weighted average (weights normalised by
 * their sum).
 */
export type Weights = Signals;

export const DEFAULT_WEIGHTS: Weights = {
  handle: 0.15,
  title: 0.1,
  avatar: 0.15,
  description: 0.05,
  sharedMedia: 0.25,
  sharedText: 0.15,
  network: 0.1,
  timing: 0.05,
};

export const SIGNAL_NAMES: ReadonlyArray<keyof Signals> = ['handle', 'title', 'avatar', 'description', 'sharedMedia', 'sharedText', 'network', 'timing'];

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/**
 * With a `bias`: the logistic model's probability, sigmoid(bias + Σ weight × signal). Without: the weighted
 * average of the signals (weights normalised by their sum), as before the fitted model.
 */
export function score(signals: Signals, weights: Weights, bias?: number): number {
  if (bias !== undefined) {
    let z = bias;
    for (const k of SIGNAL_NAMES) z += weights[k] * Math.max(0, Math.min(1, signals[k]));
    return sigmoid(z);
  }
  let total = 0;
  let wsum = 0;
  for (const k of Object.keys(weights) as Array<keyof Signals>) {
    total += weights[k] * Math.max(0, Math.min(1, signals[k]));
    wsum += weights[k];
  }
  return wsum > 0 ? total / wsum : 0;
}

/** Shared clusters count fully when at most 2 channels carry them; a popular picture seen in k channels counts 2/k. Two distinct clusters saturate. */
export function sharedMediaSignal(sharedClusterChannelCounts: number[]): number {
  const sum = sharedClusterChannelCounts.reduce((a, k) => a + (k <= 2 ? 1 : 2 / k), 0);
  return Math.min(1, sum / 2);
}

/**
 * 1 − distance/64 up to distance 31 (the threshold of the `avatar-pdq` signal type), else 0; 0 (unknown) when either
 * avatar's PDQ quality is below `minQuality` (a flat colour or a blank hashes to noise: two different ones can be
 * close).
 */
export function avatarSignal(distance: number | undefined, quality?: { candidate: number; predecessor?: number; min: number }): number {
  if (distance === undefined) return 0;
  if (quality && (quality.candidate < quality.min || (quality.predecessor !== undefined && quality.predecessor < quality.min))) return 0;
  return distance <= AVATAR_MAX_DISTANCE ? 1 - distance / 64 : 0;
}

/** First post within `windowMs` after the removal → 1 (linear decay to 0 at 3 × window); before the removal → 0. */
export function timingSignal(removedAt: Date, firstPostAt: Date | undefined, windowMs: number): number {
  if (!firstPostAt) return 0;
  const delay = firstPostAt.getTime() - removedAt.getTime();
  if (delay < -3600_000) return 0; // the channel existed well before the takedown
  if (delay <= windowMs) return 1;
  return Math.max(0, 1 - (delay - windowMs) / (2 * windowMs));
}
