import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RateLimit } from '../config/schema';
import { TimeoutError } from '../core/errors';

/**
 * Rate: spacing between requests to one host. Each call reserves the next free slot atomically
 * (`next = max(stored, now); stored = next + interval`) so many workers on many machines never exceed the limit.
 * Time comes from Redis (TIME) so worker clocks don't matter.
 */
const RESERVE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local stored = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(stored, now)
redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', math.max(interval * 2, 1000) + (slot - now))
return slot - now
`;

/**
 * Several mutexes at once, all or none (one holder each; the same sorted-set shape as ACQUIRE_LEASE with limit 1):
 * returns 1 when every key was free and is now held by ARGV[2], else 0 and takes none.
 */
const ACQUIRE_ALL = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  if redis.call('ZCARD', KEYS[i]) > 0 then return 0 end
end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now + tonumber(ARGV[1]), ARGV[2])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[1]) * 2)
end
return 1
`;

/**
 * Extends a live holder's leases: for each key still holding ARGV[2], its expiry moves to now + ARGV[1]. Returns how
 * many were extended (fewer than the keys: the lease had lapsed and may be someone else's now).
 */
const RENEW_ALL = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = 0
for i = 1, #KEYS do
  if redis.call('ZSCORE', KEYS[i], ARGV[2]) then
    redis.call('ZADD', KEYS[i], 'XX', now + tonumber(ARGV[1]), ARGV[2])
    redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[1]) * 2)
    n = n + 1
  end
end
return n
`;

const RELEASE_ALL = `
for i = 1, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
return 1
`;

/** Concurrency: a semaphore as a sorted set of holders scored by lease expiry; expired leases are reclaimed. */
const ACQUIRE_LEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
  return 1
end
return 0
`;

export interface HostLimiterOptions {
  /** Key prefix, e.g. "hydrawatch:limits". Tests use a unique one. */
  prefix: string;
  /** Max leases held at once per host, across all workers. */
  hostConcurrency: number;
  /** Lease lifetime; a crashed worker's lease frees itself after this. */
  leaseMs: number;
  /**
   * When set, a held lease is extended to leaseMs again every renewEveryMs until released, so leaseMs can be short
   * (a killed holder blocks the key only that long) while a slow holder keeps it. Must be well under leaseMs.
   */
  renewEveryMs?: number;
  /** Told when a renewal failed or found the lease lapsed (the key may have had another holder meanwhile). */
  onLeaseLost?: (keys: readonly string[], reason: string) => void;
  /** Give up waiting for a lease after this long. */
  acquireTimeoutMs: number;
  /** Longest pause between two tries while a lease is held elsewhere (default 500 ms; short for document locks). */
  maxPauseMs?: number;
}

/** Separate key spaces of per-host request budgets. */
export type LimitSpace = 'rate' | 'probe' | 'recheck';

export interface HostLease {
  release(): Promise<void>;
}

export class HostLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly opts: HostLimiterOptions,
  ) {}

  /**
   * Waits until this host may receive one more request under `limit`. Returns the ms waited. `space` keeps budgets
   * apart: crawls use `rate`, the successor search's probes `probe` (its own budget, not taken from the crawls'), re-checks of reported targets `recheck`.
   */
  async waitForSlot(host: string, limit: RateLimit, signal?: AbortSignal, space: LimitSpace = 'rate'): Promise<number> {
    const intervalMs = Math.ceil((limit.perSeconds * 1000) / limit.requests);
    const wait = Number(await this.redis.eval(RESERVE_SLOT, 1, `${this.opts.prefix}:${space}:${host}`, String(intervalMs)));
    if (wait > 0) await sleep(wait, signal);
    return wait;
  }

  /**
   * Takes one of the host's concurrency leases, waiting (with a named timeout) while all are held.
   * `limit` overrides hostConcurrency (1 makes it a mutex, e.g. one crawl per source at a time).
   */
  async acquire(host: string, signal?: AbortSignal, limit: number = this.opts.hostConcurrency): Promise<HostLease> {
    const key = `${this.opts.prefix}:conc:${host}`;
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + this.opts.acquireTimeoutMs;
    let pause = 25;
    for (;;) {
      const ok = Number(await this.redis.eval(ACQUIRE_LEASE, 1, key, String(limit), String(this.opts.leaseMs), token));
      if (ok === 1) return this.held([key], token);
      if (Date.now() > deadline) throw new TimeoutError('host.lease', this.opts.acquireTimeoutMs, host);
      await sleep(pause, signal);
      pause = Math.min(this.opts.maxPauseMs ?? 500, pause * 2);
    }
  }

  /**
   * Takes the mutexes of several keys at once, all or none (one Redis call per try, one to release): for a writer
   * that updates several shared documents in one batch. Waits, with a named timeout, while any is held.
   */
  async acquireAll(keys: readonly string[], signal?: AbortSignal): Promise<HostLease> {
    const names = [...new Set(keys)].sort().map((k) => `${this.opts.prefix}:conc:${k}`);
    if (!names.length) return { release: async () => undefined };
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + this.opts.acquireTimeoutMs;
    let pause = 5;
    for (;;) {
      const ok = Number(await this.redis.eval(ACQUIRE_ALL, names.length, ...names, String(this.opts.leaseMs), token));
      if (ok === 1) return this.held(names, token);
      if (Date.now() > deadline) throw new TimeoutError('host.lease', this.opts.acquireTimeoutMs, names.join(', ').slice(0, 200));
      await sleep(pause + Math.random() * pause, signal);
      pause = Math.min(this.opts.maxPauseMs ?? 500, pause * 2);
    }
  }

  /** A taken lease: renewed on a timer (when renewEveryMs is set) until released. */
  private held(keys: readonly string[], token: string): HostLease {
    const every = this.opts.renewEveryMs;
    let timer: NodeJS.Timeout | undefined;
    if (every) {
      timer = setInterval(() => {
        this.redis
          .eval(RENEW_ALL, keys.length, ...keys, String(this.opts.leaseMs), token)
          .then((n) => {
            if (Number(n) < keys.length) this.lost(keys, 'the lease had lapsed before its renewal', timer);
          })
          .catch((err: unknown) => this.lost(keys, `renewal failed: ${err instanceof Error ? err.message : String(err)}`, undefined));
      }, every);
      timer.unref();
    }
    return {
      release: async () => {
        if (timer) clearInterval(timer);
        await this.redis.eval(RELEASE_ALL, keys.length, ...keys, token);
      },
    };
  }

  private lost(keys: readonly string[], reason: string, timer: NodeJS.Timeout | undefined): void {
    if (timer) clearInterval(timer); // lapsed: renewing it again could only extend someone else's hold
    this.opts.onLeaseLost?.(keys, reason);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
