/**
 * The Telegram API account's guards (src/telegram-api/) against a real Redis: two "workers" (two connections, two
 * guards on the same keys) share the flood wait Telegram named, the request budget, the backoff after errors, the
 * login's lease and a revoked login. The client is a stand-in that throws GramJS's own errors.
 */
import IORedis, { type Redis } from 'ioredis';
import { Api, errors } from 'telegram';
import { AccountWaitError, ApiSessionError, SourceConfigError } from '../../src/core/errors';
import { AccountGuard, type AccountGuardOptions } from '../../src/telegram-api/account-guard';
import { guardedAccess, type ApiClient } from '../../src/telegram-api/guarded-access';
import { redisUrl, uniqueName } from '../support/services';

const REQUEST = new Api.help.GetConfig();

/** A client that answers with `answers` in turn: an Error is thrown, anything else returned. */
function scriptedClient(answers: unknown[]): ApiClient & { calls: number } {
  const c = {
    calls: 0,
    downloadMedia: () => Promise.resolve(Buffer.from('bytes')),
    invoke<R extends Api.AnyRequest>(): Promise<R['__response']> {
      const a = answers[c.calls] ?? answers[answers.length - 1];
      c.calls += 1;
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a as R['__response']);
    },
  };
  return c;
}

function rpc(message: string, code: number): errors.RPCError {
  return new errors.RPCError(message, REQUEST, code);
}

function flood(seconds: number): errors.FloodWaitError {
  return new errors.FloodWaitError({ request: REQUEST, capture: seconds });
}

async function waitError(p: Promise<unknown>): Promise<AccountWaitError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AccountWaitError);
  return err as AccountWaitError;
}

describe('Telegram API account guards on real Redis', () => {
  let a: Redis;
  let b: Redis;
  beforeAll(() => {
    a = new IORedis(redisUrl());
    b = new IORedis(redisUrl());
  });
  afterAll(async () => {
    await a.quit();
    await b.quit();
  });

  function guards(over: Partial<AccountGuardOptions> = {}): [AccountGuard, AccountGuard] {
    const opts: AccountGuardOptions = { prefix: uniqueName('hw_tgapi'), requestsPerHour: 1000, backoffBaseMs: 200, backoffMaxMs: 1000, leaseMs: 5000, ...over };
    return [new AccountGuard(a, opts), new AccountGuard(b, opts)];
  }
  const opts = { requestTimeoutMs: 2000, maxInlineWaitMs: 0 };
  const as =
    (client: ApiClient, sessionTag = 's1') =>
    () =>
      Promise.resolve({ client, sessionTag });

  it('records a flood wait for every worker: the second worker waits without sending a request', async () => {
    const [g1, g2] = guards();
    const c1 = scriptedClient([flood(30)]);
    const c2 = scriptedClient([{}]);
    const w1 = guardedAccess(g1, as(c1), opts);
    const w2 = guardedAccess(g2, as(c2), opts);
    const e1 = await waitError(w1.session(undefined, (api) => api.invoke('telegram-api.history', REQUEST)));
    expect(e1.why).toBe('flood_wait');
    expect(e1.retryAfterMs).toBe(31_000); // Telegram's 30 s and the margin
    expect(e1.retryable).toBe(true);
    const e2 = await waitError(w2.session(undefined, (api) => api.invoke('telegram-api.history', REQUEST)));
    expect(e2.why).toBe('flood_wait');
    expect(e2.retryAfterMs).toBeGreaterThan(29_000);
    expect(e2.retryAfterMs).toBeLessThanOrEqual(31_000);
    expect(c2.calls).toBe(0);
    // a shorter flood wait later does not shorten the one that stands
    expect(await g2.recordFloodWait(2)).toBeGreaterThan(29_000);
  });

  it('waits out a short flood wait inside the crawl and sends the request again', async () => {
    const [g1, g2] = guards();
    const c1 = scriptedClient([flood(1), { ok: 1 }]);
    const c2 = scriptedClient([{ ok: 2 }]);
    const inline = { ...opts, maxInlineWaitMs: 5000 };
    const w1 = guardedAccess(g1, as(c1), inline);
    const w2 = guardedAccess(g2, as(c2), inline);
    const started = Date.now();
    await expect(w1.session(undefined, (api) => api.invoke('telegram-api.history', REQUEST))).resolves.toEqual({ ok: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(c1.calls).toBe(2);
    await expect(w2.session(undefined, (api) => api.invoke('telegram-api.history', REQUEST))).resolves.toEqual({ ok: 2 });
  }, 15_000);

  it('keeps to the request budget across workers, and opens the next window', async () => {
    const [g1, g2] = guards({ requestsPerHour: 3, budgetWindowMs: 1500 });
    const client = scriptedClient([{}]);
    const w1 = guardedAccess(g1, as(client), opts);
    const w2 = guardedAccess(g2, as(client), opts);
    const one = (w: typeof w1): Promise<unknown> => w.session(undefined, (api) => api.invoke('telegram-api.history', REQUEST));
    // the window may turn over between requests: wait for a fresh one first
    await new Promise((r) => setTimeout(r, 1500 - (Date.now() % 1500) + 20));
    await one(w1);
    await one(w2);
    await one(w1);
    const spent = await waitError(one(w2));
    expect(spent.why).toBe('budget');
    expect(spent.retryAfterMs).toBeLessThanOrEqual(1500);
    expect(client.calls).toBe(3);
    await new Promise((r) => setTimeout(r, spent.retryAfterMs + 20));
    await expect(one(w2)).resolves.toEqual({});
  }, 15_000);

  it('backs off after other errors, doubling for every error in a row, and a success ends the run', async () => {
    const [g1, g2] = guards({ backoffBaseMs: 300, backoffMaxMs: 1000 });
    const client = scriptedClient([rpc('INTERNAL_SERVER_ERROR', 500), rpc('RPC_CALL_FAIL', 500), { ok: true }]);
    const w1 = guardedAccess(g1, as(client), opts);
    const w2 = guardedAccess(g2, as(client), opts);
    const call = (w: typeof w1): Promise<unknown> => w.session(undefined, (api) => api.invoke('telegram-api.history', REQUEST));
    const first = await waitError(call(w1));
    expect([first.why, first.retryAfterMs]).toEqual(['backoff', 300]);
    expect(first.message).toContain('INTERNAL_SERVER_ERROR');
    const held = await waitError(call(w2)); // the other worker is held back as well, no request sent
    expect(held.why).toBe('backoff');
    expect(client.calls).toBe(1);
    await new Promise((r) => setTimeout(r, 320));
    const second = await waitError(call(w2));
    expect(second.retryAfterMs).toBe(600);
    await new Promise((r) => setTimeout(r, 620));
    await expect(call(w1)).resolves.toEqual({ ok: true });
    expect(await g1.recordError()).toBe(300); // the run started over
  }, 15_000);

  it('lets one worker at a time use the login (the lease)', async () => {
    const [g1, g2] = guards();
    const client = scriptedClient([{}]);
    const w1 = guardedAccess(g1, as(client), opts);
    const w2 = guardedAccess(g2, as(client), opts);
    let release: () => void = () => undefined;
    const holding = w1.session(undefined, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    const busy = await waitError(w2.session(undefined, () => Promise.resolve()));
    expect(busy.why).toBe('lease');
    release();
    await holding;
    await expect(w2.session(undefined, () => Promise.resolve('mine'))).resolves.toBe('mine');
    // a worker that waits a little inline gets the lease as soon as it is free
    const patient = guardedAccess(g2, as(client), { ...opts, maxInlineWaitMs: 3000 });
    const second = w1.session(undefined, () => new Promise<void>((r) => setTimeout(r, 300)));
    await new Promise((r) => setTimeout(r, 20));
    await expect(patient.session(undefined, () => Promise.resolve('after'))).resolves.toBe('after');
    await second;
  });

  it('stops every worker on a revoked login, until a new login (another session)', async () => {
    const [g1, g2] = guards();
    const c1 = scriptedClient([rpc('AUTH_KEY_UNREGISTERED', 401)]);
    const c2 = scriptedClient([{}]);
    const w1 = guardedAccess(g1, as(c1), opts);
    const w2 = guardedAccess(g2, as(c2), opts);
    const e1 = await w1.session(undefined, (api) => api.invoke('telegram-api.resolve', REQUEST)).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ApiSessionError);
    expect((e1 as ApiSessionError).retryable).toBe(false);
    expect((e1 as ApiSessionError).failingNow).toBe(true);
    const e2 = await w2.session(undefined, (api) => api.invoke('telegram-api.resolve', REQUEST)).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(ApiSessionError);
    expect((e2 as Error).message).toContain('AUTH_KEY_UNREGISTERED');
    expect(c2.calls).toBe(0);
    const fresh = guardedAccess(g2, as(c2, 's2'), opts);
    await expect(fresh.session(undefined, (api) => api.invoke('telegram-api.resolve', REQUEST))).resolves.toEqual({});
  });

  it('names the settings when Telegram refuses the api_id, and passes a chat state through to the crawler', async () => {
    const [g1] = guards();
    const bad = guardedAccess(g1, as(scriptedClient([rpc('API_ID_INVALID', 400)])), opts);
    const e = await bad.session(undefined, (api) => api.invoke('telegram-api.resolve', REQUEST)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SourceConfigError);
    expect((e as Error).message).toContain('HYDRAWATCH_TG_API_ID');
    const priv = guardedAccess(g1, as(scriptedClient([rpc('CHANNEL_PRIVATE', 400)])), opts);
    const p = await priv.session(undefined, (api) => api.invoke('telegram-api.history', REQUEST)).catch((x: unknown) => x);
    expect(p).toBeInstanceOf(errors.RPCError);
    expect((p as errors.RPCError).errorMessage).toBe('CHANNEL_PRIVATE');
  });
});
