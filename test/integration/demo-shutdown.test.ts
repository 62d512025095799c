import { isListening } from '../../src/stack/local-stack';
import { waitFor } from '../support/wait-for';
import { alive, childrenOf, cleanUpDemo, startDemo, type DemoRun } from '../support/demo-run';

/**
 * Black box: `hydrawatch demo` (the compiled CLI) on its own embedded stack, on free ports in a temp dir, stopped the way
 * a terminal's Ctrl-C stops it: SIGINT to its whole process group, while crawls and media jobs run. The embedded
 * redis-server and FerretDB used to be in that group: they died at once, and the graceful stop then waited for ever
 * (until the 120 s deadline) on jobs whose Redis commands retried against the dead Redis; with a browser launched,
 * Playwright's own SIGINT handler ended the process with code 130 and left PostgreSQL running.
 */
const EXIT_WITHIN_MS = 30_000;

describe('demo shutdown', () => {
  const runs: DemoRun[] = [];

  afterAll(() => {
    for (const run of runs) cleanUpDemo(run);
  });

  /** Starts the demo in a process group of its own (as a terminal runs a job), waits for crawls, signals the group. */
  async function stopMidCrawl(signal: 'SIGINT' | 'SIGTERM'): Promise<void> {
    const run = await startDemo(['--advance-every', '3']);
    runs.push(run);
    const { records, exited, child: demo } = run;
    const output = (): string => run.output();
    const [redisPort, mongoPort, pgPort] = [run.ports.redis, run.ports.mongo, run.ports.pg];

    // a few crawls done and media jobs handed on: the workers have jobs running when the signal comes
    await waitFor(
      'two crawls done and media jobs queued',
      () =>
        records.filter((r) => r.event === 'crawl.done').length >= 2 && records.some((r) => r.event === 'handoff.enqueued' && r.stage === 'media')
          ? true
          : undefined,
      40_000,
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n--- demo output ---\n${output().slice(-4000)}`);
    });
    const services = childrenOf(demo.pid as number).filter((c) => /redis-server|ferretdb/.test(c.comm));
    const stackPids = services.map((c) => c.pid);
    run.stackPids = stackPids;
    expect(services.map((c) => c.comm).sort()).toEqual(['ferretdb', 'redis-server']);
    expect(await isListening(pgPort)).toBe(true);

    const signalledAt = Date.now();
    process.kill(-(demo.pid as number), signal);
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), EXIT_WITHIN_MS).unref());
    const result = await Promise.race([exited, timeout]);
    if (result === 'timeout')
      throw new Error(
        `the demo did not exit within ${EXIT_WITHIN_MS / 1000} s of ${signal} to its process group\n--- demo output ---\n${output().slice(-4000)}`,
      );
    const tookMs = result.at - signalledAt;

    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(EXIT_WITHIN_MS);
    expect(records.some((r) => r.event === 'shutdown.done')).toBe(true);
    expect(records.some((r) => r.event === 'shutdown.deadline')).toBe(false);
    // nothing of the embedded stack is left: its processes, and every port it listened on
    expect(stackPids.filter(alive)).toEqual([]);
    expect(await Promise.all([redisPort, mongoPort, pgPort].map((p) => isListening(p)))).toEqual([false, false, false]);
    console.log(`demo exited ${tookMs} ms after ${signal} to its process group`);
    cleanUpDemo(run);
    runs.splice(runs.indexOf(run), 1);
  }

  it('Ctrl-C (SIGINT to the process group) mid-crawl: exits 0 within 30 s, after stopping its redis-server, FerretDB and PostgreSQL', async () => {
    await stopMidCrawl('SIGINT');
  }, 90_000);

  it('SIGTERM to the process group (systemctl stop, kill -- -PGID) mid-crawl: exits 0 within 30 s, the stack stopped', async () => {
    await stopMidCrawl('SIGTERM');
  }, 90_000);
});
