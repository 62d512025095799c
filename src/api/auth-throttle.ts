/**
 * Per-client token bucket for failed authentication (wrong API tokens). Each wrong token takes one token from the
 * client's bucket; the bucket refills at `perMinute`. An empty bucket blocks every token attempt from that client,
 * valid ones included (otherwise a guesser would just ignore the 429s), until a token has refilled. In memory, per
 * API process; at most `maxClients` buckets are kept (full ones are dropped first, then the oldest).
 */
export interface AuthThrottleOptions {
  burst: number;
  perMinute: number;
  maxClients?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class AuthThrottle {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ratePerMs: number;
  private readonly maxClients: number;

  constructor(
    private readonly opts: AuthThrottleOptions,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.ratePerMs = opts.perMinute / 60_000;
    this.maxClients = opts.maxClients ?? 10_000;
  }

  private refilled(key: string): Bucket {
    const t = this.now();
    const b = this.buckets.get(key);
    if (!b) return { tokens: this.opts.burst, at: t };
    return { tokens: Math.min(this.opts.burst, b.tokens + (t - b.at) * this.ratePerMs), at: t };
  }

  /** Milliseconds until this client may present a token again; 0 when it may now. */
  blockedForMs(key: string): number {
    const b = this.refilled(key);
    return b.tokens >= 1 ? 0 : Math.ceil((1 - b.tokens) / this.ratePerMs);
  }

  recordFailure(key: string): void {
    const b = this.refilled(key);
    this.buckets.delete(key); // re-inserted last: the Map's order is "least recently failed first"
    this.buckets.set(key, { tokens: Math.max(0, b.tokens - 1), at: b.at });
    if (this.buckets.size > this.maxClients) this.evict();
  }

  private evict(): void {
    for (const [k] of this.buckets) {
      if (this.buckets.size <= this.maxClients) return;
      if (this.refilled(k).tokens >= this.opts.burst) this.buckets.delete(k);
    }
    for (const [k] of this.buckets) {
      if (this.buckets.size <= this.maxClients) return;
      this.buckets.delete(k);
    }
  }
}
