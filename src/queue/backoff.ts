export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with full jitter (AWS style): a uniform delay in [base*2^(n-1)/2, base*2^(n-1)], capped at max.
 * A server's Retry-After is a floor: we never retry earlier than it asked.
 */
export function computeBackoffMs(attemptsMade: number, policy: BackoffPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(exp / 2 + random() * (exp / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}
