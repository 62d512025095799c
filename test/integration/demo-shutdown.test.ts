import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isListening } from '../../src/stack/local-stack';
import { waitFor } from '../support/wait-for';
import { freePort } from '../support/listen';

/**
 * Black box: `hydrawatch demo` (the compiled CLI) on its own embedded stack, on free ports in a temp dir, stopped the way
 * a terminal's Ctrl-C stops it: SIGINT to its whole process group, while crawls and media jobs run. The embedded
 * redis-server and FerretDB used to be in that group: they died at once, and the graceful stop then waited for ever
 * (until the 120 s deadline) on jobs whose Redis commands retried against the dead Redis; with a browser launched,
 * Playwright's own SIGINT handler ended the process with code 130 and left PostgreSQL running.
 */
const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'dist/src/cli/main.js');
const EXIT_WITHIN_MS = 30_000;

/** Child processes of `pid` (Linux /proc via ps): pid and command name. */
function childrenOf(pid: number): { pid: number; comm: string }[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [p = '0', ...rest] = l.split(/\s+/);
        return { pid: Number(p), comm: rest.join(' ') };
      });
  } catch {
    return []; // ps exits 1 when there is none
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface LogRecord {
  event?: string;
  stage?: string;
  msg?: string;
}

describe('demo shutdown', () => {
  const runs: { dir: string; child?: ChildProcess; stackPids: number[] }[] = [];

  afterAll(() => {
    for (const run of runs) cleanUp(run);
  });

  function cleanUp({ dir, child, stackPids }: { dir: string; child?: ChildProcess; stackPids: number[] }): void {
    const dataDir = join(dir, 'data');
    // whatever a failed run left: the demo's group, its services, its PostgreSQL cluster
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const p of stackPids) if (alive(p)) process.kill(p, 'SIGKILL');
    try {
      execFileSync('bash', [join(ROOT, 'scripts/postgres.sh'), 'destroy', join(dataDir, 'postgres')], { stdio: 'ignore', timeout: 30_000 });
    } catch {
      // no cluster
    }
    rmSync(dir, { recursive: true, force: true });
  }

  /** Starts the demo in a process group of its own (as a terminal runs a job), waits for crawls, signals the group. */
  async function stopMidCrawl(signal: 'SIGINT' | 'SIGTERM'): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'hw-demo-shutdown-'));
    const run: (typeof runs)[number] = { dir, stackPids: [] };
    runs.push(run);
    const dataDir = join(dir, 'data');
    const [redisPort, mongoPort, pgPort, simPort, apiPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const configDir = join(dir, 'config');
    mkdirSync(configDir);
    const sim = `127.0.0.1:${simPort}`;
    writeFileSync(join(configDir, 'sources.yaml'), readFileSync(join(ROOT, 'config/sources.yaml'), 'utf8').replaceAll('127.0.0.1:8730', sim));
    writeFileSync(
      join(configDir, 'settings.yaml'),
      [
        'mongoDb: hydrawatch',
        `net: { allow: ["${sim}"] }`,
        `dataDir: ${JSON.stringify(dataDir)}`,
        `stack: { redisPort: ${redisPort}, mongoPort: ${mongoPort}, pgPort: ${pgPort} }`,
        'scheduler: { jitterSeconds: 1, startupSpreadSeconds: 2, reloadPollSeconds: 2 }',
        'worker: { concurrency: 4, hostConcurrency: 4 }',
        '',
      ].join('\n'),
    );

    const records: LogRecord[] = [];
    let output = '';
    // its own process group, as a job a terminal starts: Ctrl-C signals the whole group
    const demo = spawn(
      process.execPath,
      [MAIN, 'demo', '--config', configDir, '--sim-port', String(simPort), '--api-port', String(apiPort), '--advance-every', '3'],
      {
        env: {
          ...process.env,
          REDIS_URL: '',
          MONGO_URL: '',
          HYDRAWATCH_PG_URL: '',
          HYDRAWATCH_METRICS_PORT: '',
          HYDRAWATCH_LOG_FORMAT: 'json',
          HYDRAWATCH_LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    run.child = demo;
    let partial = '';
    const onData = (d: Buffer): void => {
      output += d.toString();
      partial += d.toString();
      let i: number;
      while ((i = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, i);
        partial = partial.slice(i + 1);
        try {
          records.push(JSON.parse(line) as LogRecord);
        } catch {
          // a line that is not JSON (a library writing to stderr)
        }
      }
    };
    demo.stdout?.on('data', onData);
    demo.stderr?.on('data', onData);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((r) =>
      demo.once('exit', (code, signal) => r({ code, signal, at: Date.now() })),
    );

    // a few crawls done and media jobs handed on: the workers have jobs running when the signal comes
    await waitFor(
      'two crawls done and media jobs queued',
      () =>
        records.filter((r) => r.event === 'crawl.done').length >= 2 && records.some((r) => r.event === 'handoff.enqueued' && r.stage === 'media')
          ? true
          : undefined,
      40_000,
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n--- demo output ---\n${output.slice(-4000)}`);
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
      throw new Error(`the demo did not exit within ${EXIT_WITHIN_MS / 1000} s of ${signal} to its process group\n--- demo output ---\n${output.slice(-4000)}`);
    const tookMs = result.at - signalledAt;

    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(EXIT_WITHIN_MS);
    expect(records.some((r) => r.event === 'shutdown.done')).toBe(true);
    expect(records.some((r) => r.event === 'shutdown.deadline')).toBe(false);
    // nothing of the embedded stack is left: its processes, and every port it listened on
    expect(stackPids.filter(alive)).toEqual([]);
    expect(await Promise.all([redisPort, mongoPort, pgPort].map((p) => isListening(p)))).toEqual([false, false, false]);
    console.log(`demo exited ${tookMs} ms after ${signal} to its process group`);
    cleanUp(run);
    runs.splice(runs.indexOf(run), 1);
  }

  it('Ctrl-C (SIGINT to the process group) mid-crawl: exits 0 within 30 s, after stopping its redis-server, FerretDB and PostgreSQL', async () => {
    await stopMidCrawl('SIGINT');
  }, 90_000);

  it('SIGTERM to the process group (systemctl stop, kill -- -PGID) mid-crawl: exits 0 within 30 s, the stack stopped', async () => {
    await stopMidCrawl('SIGTERM');
  }, 90_000);
});
