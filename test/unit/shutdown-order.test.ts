import { describeHandles, runShutdownSteps } from '../../src/ops/shutdown';
import { trackInFlight } from '../../src/util/in-flight';
import type { LogFields } from '../../src/ops/log-types';

describe('runShutdownSteps', () => {
  it('runs the steps one after the other, in order, each after the previous one settled', async () => {
    const order: string[] = [];
    let releaseWorker: () => void = () => undefined;
    const steps = [
      { name: 'scheduler', run: () => void order.push('scheduler') },
      {
        name: 'worker',
        run: () =>
          new Promise<void>((r) => {
            order.push('worker started');
            releaseWorker = () => {
              order.push('worker done');
              r();
            };
          }),
      },
      { name: 'embedded stack', run: async () => void order.push('embedded stack') },
    ];
    const done = runShutdownSteps(steps, () => undefined);
    await new Promise((r) => setImmediate(r));
    // the stack must not stop while the worker still closes
    expect(order).toEqual(['scheduler', 'worker started']);
    releaseWorker();
    const r = await done;
    expect(order).toEqual(['scheduler', 'worker started', 'worker done', 'embedded stack']);
    expect(r.failed).toEqual([]);
    expect(r.steps.map((s) => s.name)).toEqual(['scheduler', 'worker', 'embedded stack']);
  });

  it('a step that throws is logged and named, and the later steps (the embedded stack) still run', async () => {
    const lines: { line: string; fields?: LogFields }[] = [];
    const ran: string[] = [];
    const r = await runShutdownSteps(
      [
        {
          name: 'discovery queue',
          run: () => {
            throw new Error('Connection is closed.');
          },
        },
        { name: 'Redis connection', run: () => Promise.reject(new Error('quit refused')) },
        { name: 'embedded stack', run: () => void ran.push('embedded stack') },
      ],
      (line, fields) => lines.push({ line, ...(fields ? { fields } : {}) }),
    );
    expect(ran).toEqual(['embedded stack']);
    expect(r.failed).toEqual(['discovery queue', 'Redis connection']);
    const errors = lines.filter((l) => l.fields?.level === 'error');
    expect(errors.map((l) => [l.fields?.step, l.fields?.error])).toEqual([
      ['discovery queue', 'Connection is closed.'],
      ['Redis connection', 'quit refused'],
    ]);
  });

  it('times each step with the given clock', async () => {
    let t = 1000;
    const r = await runShutdownSteps(
      [
        { name: 'a', run: () => void (t += 250) },
        { name: 'b', run: () => void (t += 5) },
      ],
      () => undefined,
      () => t,
    );
    expect(r.steps).toEqual([
      { name: 'a', ms: 250 },
      { name: 'b', ms: 5 },
    ]);
  });
});

describe('describeHandles', () => {
  class Socket {
    constructor(
      readonly remoteAddress?: string,
      readonly remotePort?: number,
    ) {}
  }
  class ChildProcess {
    constructor(
      readonly spawnfile: string,
      readonly pid: number,
    ) {}
  }
  class Timeout {}

  it('names sockets by peer, child processes by program and pid, and counts the same ones', () => {
    const handles = [new Socket('127.0.0.1', 6479), new Socket('127.0.0.1', 6479), new Socket(), new ChildProcess('redis-server', 42), new Timeout(), null, 3];
    expect(describeHandles(handles)).toEqual(['ChildProcess redis-server pid 42', 'Socket (pipe or tty)', 'Socket →127.0.0.1:6479 ×2', 'Timeout']);
  });

  it('an empty list says nothing', () => {
    expect(describeHandles([])).toEqual([]);
  });
});

describe('trackInFlight', () => {
  it('close waits for running work (a follow-up queued when a job completed) and refuses new work from then on', async () => {
    const f = trackInFlight();
    let finish: () => void = () => undefined;
    const events: string[] = [];
    expect(
      f.run(
        () =>
          new Promise<void>((r) => {
            finish = () => {
              events.push('follow-up done');
              r();
            };
          }),
      ),
    ).toBe(true);
    expect(f.size).toBe(1);
    const closed = f.close().then(() => events.push('closed'));
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual([]);
    expect(f.closing).toBe(true);
    expect(f.run(() => Promise.resolve(events.push('late work')))).toBe(false);
    finish();
    await closed;
    expect(events).toEqual(['follow-up done', 'closed']);
    expect(f.size).toBe(0);
  });

  it('a rejected work item still lets close resolve (and is no unhandled rejection)', async () => {
    const f = trackInFlight();
    expect(f.run(() => Promise.reject(new Error('Redis went away')))).toBe(true);
    f.run(() => new Promise((_, rej) => setTimeout(() => rej(new Error('late failure')), 10)));
    await expect(f.close()).resolves.toBeUndefined();
    expect(f.size).toBe(0);
  });
});
