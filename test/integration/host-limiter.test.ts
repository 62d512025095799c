import IORedis, { type Redis } from 'ioredis';
import { HostLimiter } from '../../src/queue/host-limiter';
import { redisUrl, uniqueName } from '../support/services';

describe('HostLimiter on real Redis', () => {
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

  it('spaces requests to one host across two limiter instances (two "workers")', async () => {
    const prefix = uniqueName('hw_limit');
    const opts = { prefix, hostConcurrency: 2, leaseMs: 5000, acquireTimeoutMs: 5000 };
    const l1 = new HostLimiter(a, opts);
    const l2 = new HostLimiter(b, opts);
    const limit = { requests: 5, perSeconds: 1 }; // one request per 200 ms
    const stamps: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? l1 : l2).waitForSlot('sim.example:80', limit).then(() => stamps.push(Date.now()))));
    stamps.sort((x, y) => x - y);
    // six requests at >= 200 ms spacing need at least ~1 s in total
    expect((stamps[5] as number) - (stamps[0] as number)).toBeGreaterThanOrEqual(950);
    // another host is not slowed by the first
    const waited = await l1.waitForSlot('other.example:80', limit);
    expect(waited).toBe(0);
  });

  it('keeps the probe budget apart from the crawl rate limit, and shares it across limiter instances', async () => {
    const prefix = uniqueName('hw_probe');
    const opts = { prefix, hostConcurrency: 2, leaseMs: 5000, acquireTimeoutMs: 5000 };
    const l1 = new HostLimiter(a, opts);
    const l2 = new HostLimiter(b, opts);
    const slow = { requests: 1, perSeconds: 60 }; // one request a minute: a second one would wait ~60 s
    expect(await l1.waitForSlot('tme.example:80', slow)).toBe(0); // a crawl takes the host's crawl slot
    // probes have their own budget: the first probe does not wait behind the crawl
    expect(await l1.waitForSlot('tme.example:80', { requests: 10, perSeconds: 1 }, undefined, 'probe')).toBe(0);
    // and the budget is one for all workers: the other instance's probe is spaced after the first (~100 ms)
    const second = await l2.waitForSlot('tme.example:80', { requests: 10, perSeconds: 1 }, undefined, 'probe');
    expect(second).toBeGreaterThan(0);
    expect(second).toBeLessThanOrEqual(100);
    // a crawl still waits for the crawl budget (reserved a minute ahead), whatever the probes did
    const crawlWait = new AbortController();
    const pending = l2.waitForSlot('tme.example:80', slow, crawlWait.signal).catch((e: unknown) => e);
    crawlWait.abort(new Error('stop waiting'));
    expect(String(await pending)).toMatch(/stop waiting/);
  });

  it('holds at most hostConcurrency leases at once and frees them on release', async () => {
    const prefix = uniqueName('hw_conc');
    const l1 = new HostLimiter(a, { prefix, hostConcurrency: 2, leaseMs: 5000, acquireTimeoutMs: 300 });
    const l2 = new HostLimiter(b, { prefix, hostConcurrency: 2, leaseMs: 5000, acquireTimeoutMs: 300 });
    const x = await l1.acquire('h');
    const y = await l2.acquire('h');
    await expect(l1.acquire('h')).rejects.toThrow(/timeout "host.lease"/);
    await x.release();
    const z = await l2.acquire('h');
    await y.release();
    await z.release();
  });

  it('reclaims the lease of a crashed holder after leaseMs', async () => {
    const prefix = uniqueName('hw_lease');
    const l1 = new HostLimiter(a, { prefix, hostConcurrency: 1, leaseMs: 300, acquireTimeoutMs: 2000 });
    await l1.acquire('h'); // never released: the "worker" died
    const again = await l1.acquire('h');
    await again.release();
  });

  it('a renewed lease is kept past leaseMs while its holder lives, and frees itself soon after the holder dies', async () => {
    const prefix = uniqueName('hw_renew');
    const holderConn = new IORedis(redisUrl());
    const lost: string[] = [];
    const opts = { prefix, hostConcurrency: 1, leaseMs: 400, renewEveryMs: 120 };
    const holder = new HostLimiter(holderConn, { ...opts, acquireTimeoutMs: 2000, onLeaseLost: (_k, reason) => lost.push(reason) });
    const other = new HostLimiter(b, { ...opts, acquireTimeoutMs: 1200 });

    const lease = await holder.acquire('doc/1', undefined, 1);
    const batch = await holder.acquireAll(['doc/2', 'doc/3']);
    // three lease lifetimes later, the live holder still has both: the other writer waits and gives up
    await expect(other.acquire('doc/1', undefined, 1)).rejects.toThrow(/host\.lease/);
    await expect(other.acquireAll(['doc/3'])).rejects.toThrow(/host\.lease/);
    expect(lost).toEqual([]);
    await lease.release();
    await (await other.acquire('doc/1', undefined, 1)).release();

    // the holder dies (its connection drops, no release): within about leaseMs the other writer gets doc/3
    holderConn.disconnect();
    const t0 = Date.now();
    const taken = await other.acquireAll(['doc/3']);
    expect(Date.now() - t0).toBeLessThan(1200);
    await taken.release();
    void batch; // never released: the dead holder's
  });
});
