import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './listen';

/** `hydrawatch demo` (the compiled CLI) as a black box: its own embedded stack on free ports, in a temp dir. */
export const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'dist/src/cli/main.js');

export interface LogRecord {
  event?: string;
  stage?: string;
  msg?: string;
  [field: string]: unknown;
}

export interface DemoRun {
  dir: string;
  child: ChildProcess;
  ports: { redis: number; mongo: number; pg: number; sim: number; api: number };
  /** JSON log records so far. */
  records: LogRecord[];
  /** The raw output so far (for failure messages). */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  stackPids: number[];
}

/** Child processes of `pid` (Linux /proc via ps): pid and command name. */
export function childrenOf(pid: number): { pid: number; comm: string }[] {
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

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The demo's settings: the repo's own config/settings.yaml (its reporting and alert rules included) with the
 * simulator, the data dir and the embedded stack moved to the run's free ports and temp dir; `extra` lines appended.
 */
function demoSettings(dataDir: string, sim: string, ports: DemoRun['ports'], extra: string[]): string {
  const repo = readFileSync(join(ROOT, 'config/settings.yaml'), 'utf8')
    .replaceAll('127.0.0.1:8730', sim)
    .split('\n')
    .filter(
      (l) =>
        !/^(dataDir|scheduler|worker|stack):/.test(l) && !/^ {2}(jitterSeconds|startupSpreadSeconds|reloadPollSeconds|concurrency|hostConcurrency):/.test(l),
    );
  return [
    ...repo,
    `dataDir: ${JSON.stringify(dataDir)}`,
    `stack: { redisPort: ${ports.redis}, mongoPort: ${ports.mongo}, pgPort: ${ports.pg} }`,
    'scheduler: { jitterSeconds: 1, startupSpreadSeconds: 2, reloadPollSeconds: 2 }',
    'worker: { concurrency: 4, hostConcurrency: 4 }',
    ...extra,
    '',
  ].join('\n');
}

/** Starts the demo in a process group of its own (as a terminal runs a job), logging JSON lines. */
export async function startDemo(args: string[], opts: { settings?: 'repo' | 'minimal'; extraSettings?: string[] } = {}): Promise<DemoRun> {
  const dir = mkdtempSync(join(tmpdir(), 'hw-demo-'));
  const dataDir = join(dir, 'data');
  const ports = { redis: await freePort(), mongo: await freePort(), pg: await freePort(), sim: await freePort(), api: await freePort() };
  const configDir = join(dir, 'config');
  mkdirSync(configDir);
  const sim = `127.0.0.1:${ports.sim}`;
  writeFileSync(join(configDir, 'sources.yaml'), readFileSync(join(ROOT, 'config/sources.yaml'), 'utf8').replaceAll('127.0.0.1:8730', sim));
  const minimal = ['mongoDb: hydrawatch', `net: { allow: ["${sim}"] }`];
  writeFileSync(
    join(configDir, 'settings.yaml'),
    opts.settings === 'repo'
      ? demoSettings(dataDir, sim, ports, opts.extraSettings ?? [])
      : [
          ...minimal,
          `dataDir: ${JSON.stringify(dataDir)}`,
          `stack: { redisPort: ${ports.redis}, mongoPort: ${ports.mongo}, pgPort: ${ports.pg} }`,
          'scheduler: { jitterSeconds: 1, startupSpreadSeconds: 2, reloadPollSeconds: 2 }',
          'worker: { concurrency: 4, hostConcurrency: 4 }',
          ...(opts.extraSettings ?? []),
          '',
        ].join('\n'),
  );
  const child = spawn(process.execPath, [MAIN, 'demo', '--config', configDir, '--sim-port', String(ports.sim), '--api-port', String(ports.api), ...args], {
    env: {
      ...process.env,
      REDIS_URL: '',
      MONGO_URL: '',
      HYDRAWATCH_PG_URL: '',
      HYDRAWATCH_METRICS_PORT: '',
      SMTP_URL: '',
      HYDRAWATCH_LOG_FORMAT: 'json',
      HYDRAWATCH_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const records: LogRecord[] = [];
  let output = '';
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
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal, at: Date.now() })),
  );
  return { dir, child, ports, records, output: () => output, exited, stackPids: [] };
}

/** Whatever a run left: the demo's group, its services, its PostgreSQL cluster, its temp dir. */
export function cleanUpDemo(run: Pick<DemoRun, 'dir' | 'stackPids'> & { child?: ChildProcess }): void {
  const { child } = run;
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const p of run.stackPids) if (alive(p)) process.kill(p, 'SIGKILL');
  try {
    execFileSync('bash', [join(ROOT, 'scripts/postgres.sh'), 'destroy', join(run.dir, 'data', 'postgres')], { stdio: 'ignore', timeout: 30_000 });
  } catch {
    // no cluster
  }
  rmSync(run.dir, { recursive: true, force: true });
}
