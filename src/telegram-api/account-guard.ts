import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { BUDGET_WINDOW_MS, backoffDelayMs, floodWaitMs } from './guard-math';

/**
 * Before a request: the account's revoked login, then its flood wait and backoff deadlines, then one request of the
 * budget of the current window (taken only when nothing else holds the account back; given back when spent). Time is
 * Redis's (TIME), so that the workers' clocks do not matter. Returns {waitMs, why}; waitMs -1: the login is revoked.
 */
const TAKE_TURN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local revoked = redis.call('GET', KEYS[4])
if revoked then return {-1, revoked} end
local flood = tonumber(redis.call('GET', KEYS[1]) or '0')
if flood > now then return {flood - now, 'flood_wait'} end
local backoff = tonumber(redis.call('GET', KEYS[2]) or '0')
if backoff > now then return {backoff - now, 'backoff'} end
local window = tonumber(ARGV[2])
local start = now - (now % window)
local key = KEYS[3] .. ':' .. start
local n = redis.call('INCR', key)
if n == 1 then redis.call('PEXPIRE', key, window * 2) end
if n > tonumber(ARGV[1]) then
  redis.call('DECR', key)
  return {start + window - now, 'budget'}
end
return {0, 'ok'}
`;

/** Moves a deadline key to now + ARGV[1] ms unless it is already later (another worker's longer wait stands). */
const PUSH_DEADLINE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wanted = now + tonumber(ARGV[1])
local stored = tonumber(redis.call('GET', KEYS[1]) or '0')
if stored >= wanted then return stored - now end
redis.call('SET', KEYS[1], tostring(wanted), 'PX', tonumber(ARGV[1]) + 1000)
return tonumber(ARGV[1])
`;

const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface AccountGuardOptions {
  /** Key prefix (`<queue.prefix>:tgapi:<account>`); tests use a unique one. */
  prefix: string;
  requestsPerHour: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  leaseMs: number;
  /** The budget window (tests shorten it). Default: one hour. */
  budgetWindowMs?: number;
}

/** Why the account waits, and how long (ms). `revoked`: the login is gone, `why` holds Telegram's error code. */
export type Turn = { go: true } | { go: false; waitMs: number; why: 'flood_wait' | 'backoff' | 'budget' } | { revoked: string };

/**
 * The state that keeps one Telegram account safe across all workers, in Redis: the flood wait Telegram named (every
 * worker waits it out), the request budget per hour, the backoff after errors, the lease that lets one worker at a
 * time use the login, and a revoked login (per session, so that a new login starts clean).
 */
export class AccountGuard {
  constructor(
    private readonly redis: Redis,
    private readonly opts: AccountGuardOptions,
  ) {}

  private key(part: string): string {
    return `${this.opts.prefix}:${part}`;
  }

  /** Takes one request of the budget when nothing holds the account back; else says what does, and for how long. */
  async takeTurn(sessionTag: string): Promise<Turn> {
    const window = this.opts.budgetWindowMs ?? BUDGET_WINDOW_MS;
    const keys = [this.key('flood'), this.key('backoff'), this.key('budget'), this.key(`revoked:${sessionTag}`)];
    const [waitMs, why] = (await this.redis.eval(TAKE_TURN, keys.length, ...keys, String(this.opts.requestsPerHour), String(window))) as [number, string];
    if (waitMs < 0) return { revoked: why };
    if (waitMs === 0) return { go: true };
    return { go: false, waitMs, why: why === 'flood_wait' || why === 'backoff' ? why : 'budget' };
  }

  /** A flood wait of `seconds`: every worker waits it out (a longer one already recorded stands). Returns the wait (ms). */
  async recordFloodWait(seconds: number): Promise<number> {
    return Number(await this.redis.eval(PUSH_DEADLINE, 1, this.key('flood'), String(floodWaitMs(seconds))));
  }

  /** An error in a row: the account pauses (backoff, doubled with each). Returns the pause (ms). */
  async recordError(): Promise<number> {
    const n = await this.redis.incr(this.key('errors'));
    await this.redis.pexpire(this.key('errors'), this.opts.backoffMaxMs * 2);
    const delay = backoffDelayMs(n, this.opts.backoffBaseMs, this.opts.backoffMaxMs);
    return Number(await this.redis.eval(PUSH_DEADLINE, 1, this.key('backoff'), String(delay)));
  }

  /** A request answered: the run of errors is over. */
  async recordSuccess(): Promise<void> {
    await this.redis.del(this.key('errors'));
  }

  /** The login is gone: every worker stops using this session (a new login has another tag). */
  async markRevoked(sessionTag: string, code: string): Promise<void> {
    await this.redis.set(this.key(`revoked:${sessionTag}`), code);
  }

  /** The lease of the login: a token when this worker holds it now, else the time (ms) until the holder's runs out. */
  async acquireLease(): Promise<{ token: string } | { waitMs: number }> {
    const token = randomBytes(12).toString('hex');
    const ok = await this.redis.set(this.key('lease'), token, 'PX', this.opts.leaseMs, 'NX');
    if (ok === 'OK') return { token };
    const ttl = await this.redis.pttl(this.key('lease'));
    return { waitMs: Math.max(ttl, 50) };
  }

  async releaseLease(token: string): Promise<void> {
    await this.redis.eval(RELEASE_LEASE, 1, this.key('lease'), token);
  }
}
