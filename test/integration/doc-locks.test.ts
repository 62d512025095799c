import { Redis } from 'ioredis';
import { HostLimiter } from '../../src/queue/host-limiter';
import { addToCappedSet, addToCappedSets } from '../../src/store/capped-set';
import { openStore, type Store } from '../../src/store/store';
import { mongoUrl, redisUrl, uniqueName } from '../support/services';
import { storeDb } from '../../src/store/db-handle';

/**
 * Document locks on real Redis and capped sets on real FerretDB: several writers adding to overlapping documents at
 * once lose nothing, keep every cap, and batch locks exclude single ones (FerretDB's updates are read-modify-writes).
 */
describe('document locks and batched capped sets', () => {
  let store: Store;
  let redis: Redis;
  let limiter: HostLimiter;

  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwdoclock') });
    redis = new Redis(redisUrl());
    limiter = new HostLimiter(redis, { prefix: uniqueName('hwdl'), hostConcurrency: 1, leaseMs: 30_000, acquireTimeoutMs: 20_000, maxPauseMs: 50 });
    store.docLock = (id) => limiter.acquire(id, undefined, 1);
    store.docLocks = (ids) => limiter.acquireAll(ids);
  });
  afterAll(async () => {
    await storeDb(store).dropDatabase();
    await store.close();
    await redis.quit();
  });

  it('a batch lock waits for a single lock on any of its keys, and the other way round', async () => {
    const order: string[] = [];
    const single = await limiter.acquire('a/2', undefined, 1);
    const batch = limiter.acquireAll(['a/1', 'a/2', 'a/3']).then((l) => {
      order.push('batch');
      return l;
    });
    await new Promise((r) => setTimeout(r, 150));
    order.push('single released');
    await single.release();
    const held = await batch;
    expect(order).toEqual(['single released', 'batch']);
    // while the batch holds a/3, a single lock on it waits
    const late = limiter.acquire('a/3', undefined, 1).then((l) => {
      order.push('single a/3');
      return l;
    });
    await new Promise((r) => setTimeout(r, 150));
    order.push('batch released');
    await held.release();
    await (await late).release();
    expect(order).toEqual(['single released', 'batch', 'batch released', 'single a/3']);
    // keys not in the batch are free meanwhile
    const other = await limiter.acquireAll(['b/1']);
    await other.release();
  });

  it('eight writers batching into the same documents at once lose no value', async () => {
    const col = storeDb(store).collection<{ _id: string; c: string[] }>('caps_all');
    const ids = ['d1', 'd2', 'd3', 'd4', 'd5'];
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        addToCappedSets(
          store,
          col,
          ids.map((id) => ({ id, values: [`w${w}`] })),
          'c',
          100,
        ),
      ),
    );
    // and a single-document writer alongside, on the same documents
    await Promise.all(ids.map((id) => addToCappedSet(store, col, id, 'c', ['single'], 100)));
    const docs = await Promise.all(ids.map((id) => col.findOne({ _id: id })));
    for (const d of docs) expect([...(d?.c ?? [])].sort()).toEqual(['single', 'w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7']);
  });

  it('keeps the cap under concurrent batches, and a full set takes nothing more', async () => {
    const col = storeDb(store).collection<{ _id: string; c: string[] }>('caps_full');
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        addToCappedSets(
          store,
          col,
          ['f1', 'f2'].map((id) => ({ id, values: [`w${w}`] })),
          'c',
          3,
        ),
      ),
    );
    for (const id of ['f1', 'f2']) expect((await col.findOne({ _id: id }))?.c).toHaveLength(3);
    await addToCappedSets(store, col, [{ id: 'f1', values: ['late'] }], 'c', 3);
    expect((await col.findOne({ _id: 'f1' }))?.c).not.toContain('late');
    // more than one batch of statements (16 per command), each document once
    const many = Array.from({ length: 40 }, (_, i) => ({ id: `m${i}`, values: ['x', 'y'] }));
    await addToCappedSets(store, col, many, 'c', 3);
    await addToCappedSets(store, col, many, 'c', 3);
    const back = await Promise.all(many.map((m) => col.findOne({ _id: m.id })));
    expect(back.map((d) => [...(d?.c ?? [])].sort().join(','))).toEqual(many.map(() => 'x,y'));
  });
});
