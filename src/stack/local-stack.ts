import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';

/**
 * The embedded local stack: when REDIS_URL / MONGO_URL are unset, hydrawatch starts redis-server (AOF on) and the
 * embedded FerretDB (on PostgreSQL, fsync on by default, or on SQLite; telemetry off) with their data under dataDir.
 * A stack already listening on those ports (another hydrawatch process on this machine) is reused instead of started
 * twice.
 *
 * The services run in process groups of their own (PostgreSQL's pg_ctl detaches too), so a signal to hydrawatch's
 * group (Ctrl-C in a terminal, `systemctl stop`) reaches hydrawatch only: its graceful stop closes every client and
 * then stops the services (stop()). A process that exits without stop() still stops them (an exit hook).
 */
export interface LocalStackOptions {
  dataDir: string;
  redisPort?: number;
  mongoPort?: number;
  /** PostgreSQL behind FerretDB (default 5479, or mongoPort + 1 when mongoPort is given). */
  pgPort?: number;
  /**
   * PostgreSQL's durability (scripts/postgres.sh): `durable` (default: fsync and full_page_writes on, a crash of
   * the machine never corrupts the cluster) or `throwaway` (both off: test and bench clusters only).
   */
  pgMode?: PgMode;
  /** Repo root, to find scripts/build-ferretdb.sh. */
  repoRoot: string;
  log?: (line: string) => void;
}

export interface LocalStack {
  redisUrl: string;
  mongoUrl: string;
  /** The PostgreSQL behind the embedded FerretDB (unset when FerretDB was reused, or runs on SQLite). */
  postgresUrl?: string;
  /** Stops the services this process started (not reused ones). */
  stop(): Promise<void>;
}

export const DEFAULT_LOCAL_REDIS_PORT = 6479;
export const DEFAULT_LOCAL_MONGO_PORT = 27117;
export const DEFAULT_LOCAL_PG_PORT = 5479;

export type PgMode = 'durable' | 'throwaway';

/** FerretDB's back end for the local stack: PostgreSQL (default), or SQLite with HYDRAWATCH_FERRETDB_BACKEND=sqlite. */
export type FerretBackend = 'postgresql' | 'sqlite';

export function ferretBackend(env: NodeJS.ProcessEnv = process.env): FerretBackend {
  const v = (env.HYDRAWATCH_FERRETDB_BACKEND ?? 'postgresql').toLowerCase();
  if (v !== 'postgresql' && v !== 'sqlite') throw new Error(`HYDRAWATCH_FERRETDB_BACKEND must be "postgresql" or "sqlite" (got "${v}")`);
  return v;
}

function postgresCtl(repoRoot: string, args: string[]): string {
  try {
    return execFileSync('bash', [join(repoRoot, 'scripts/postgres.sh'), ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    }).trim();
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`cannot ${args[0]} the embedded PostgreSQL (scripts/postgres.sh): ${(e.stderr ?? '').trim() || e.message}`);
  }
}

export function isListening(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    s.once('connect', () => {
      s.destroy();
      res(true);
    });
    s.once('timeout', () => {
      s.destroy();
      res(false);
    });
    s.once('error', () => res(false));
  });
}

async function waitListening(port: number, what: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} at start (see its log under the data dir)`);
    if (await isListening(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timeout "stack.${what}" after ${timeoutMs} ms: ${what} did not listen on 127.0.0.1:${port}`);
}

function ferretdbBinary(repoRoot: string): string {
  try {
    return execFileSync('bash', [join(repoRoot, 'scripts/build-ferretdb.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (err) {
    throw new Error(`cannot build the embedded FerretDB (scripts/build-ferretdb.sh): ${(err as Error).message}`);
  }
}

/** What this start started (children, PostgreSQL), for stop() and the last-resort stop on exit. */
interface StackRun {
  opts: LocalStackOptions;
  log: (line: string) => void;
  dataDir: string;
  pgDir: string;
  started: ChildProcess[];
  pgStarted: boolean;
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(opts.dataDir);
  const redisPort = opts.redisPort ?? DEFAULT_LOCAL_REDIS_PORT;
  const mongoPort = opts.mongoPort ?? DEFAULT_LOCAL_MONGO_PORT;
  const pgPort = opts.pgPort ?? (mongoPort === DEFAULT_LOCAL_MONGO_PORT ? DEFAULT_LOCAL_PG_PORT : mongoPort + 1);
  const backend = ferretBackend();
  const run: StackRun = { opts, log: opts.log ?? (() => undefined), dataDir, pgDir: join(dataDir, 'postgres'), started: [], pgStarted: false };

  // Last resort: a process that exits without stop() (the shutdown deadline, a second Ctrl-C, an uncaught error)
  // still stops what it started. The children run in their own process group (detached), so nothing else stops them.
  const stopOnExit = (): void => stopStartedNow(run);
  process.on('exit', stopOnExit);
  const stop = async (): Promise<void> => {
    process.off('exit', stopOnExit);
    await stopStarted(run);
  };

  let postgresUrl: string | undefined;
  try {
    await ensureRedis(run, redisPort);
    postgresUrl = await ensureFerretdb(run, backend, mongoPort, pgPort);
  } catch (err) {
    await stop();
    throw err;
  }
  return { redisUrl: `redis://127.0.0.1:${redisPort}`, mongoUrl: `mongodb://127.0.0.1:${mongoPort}/`, ...(postgresUrl ? { postgresUrl } : {}), stop };
}

/** On process exit (synchronous): SIGTERM to the children still running, PostgreSQL stopped. */
function stopStartedNow(run: StackRun): void {
  for (const c of run.started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  if (run.pgStarted) {
    run.pgStarted = false;
    try {
      postgresCtl(run.opts.repoRoot, ['stop', run.pgDir]);
    } catch {
      // the process is exiting: nothing left to report to
    }
  }
}

/** stop(): each child stopped (SIGTERM, SIGKILL after 5 s), then PostgreSQL. */
async function stopStarted(run: StackRun): Promise<void> {
  await Promise.all(
    run.started.map(
      (c) =>
        new Promise<void>((r) => {
          if (c.exitCode !== null) return r();
          c.once('exit', () => r());
          c.kill('SIGTERM');
          setTimeout(() => {
            c.kill('SIGKILL');
            r();
          }, 5000).unref();
        }),
    ),
  );
  if (run.pgStarted) {
    run.pgStarted = false;
    postgresCtl(run.opts.repoRoot, ['stop', run.pgDir]);
  }
}

/** Redis on the port: the one listening there, or a redis-server started with AOF on. */
async function ensureRedis(run: StackRun, redisPort: number): Promise<void> {
  const { log } = run;
  if (await isListening(redisPort)) {
    log(`local stack: reusing Redis on 127.0.0.1:${redisPort}`);
    return;
  }
  const dir = join(run.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const out = openSync(join(dir, 'redis.log'), 'a');
  const child = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
    // own process group: Ctrl-C (SIGINT to the terminal's foreground group) or a SIGTERM to hydrawatch's group
    // must not stop Redis under the clients still closing; hydrawatch stops it itself, last (stop()).
    { stdio: ['ignore', out, out], detached: true },
  );
  child.once('error', (e) => log(`redis-server failed to start: ${e.message} (run scripts/setup.sh)`));
  run.started.push(child);
  await waitListening(redisPort, 'redis', 15000, child);
  log(`local stack: started redis-server (AOF on) on 127.0.0.1:${redisPort}, data in ${dir}`);
}

/** FerretDB on the port: the one listening there, or one started (on PostgreSQL or SQLite); the PostgreSQL URL, if any. */
async function ensureFerretdb(run: StackRun, backend: FerretBackend, mongoPort: number, pgPort: number): Promise<string | undefined> {
  const { log, dataDir } = run;
  if (await isListening(mongoPort)) {
    log(`local stack: reusing FerretDB on 127.0.0.1:${mongoPort}`);
    if (backend === 'postgresql' && (await isListening(pgPort))) return `postgres://postgres@127.0.0.1:${pgPort}/ferretdb?pool_max_conns=100`;
    return undefined;
  }
  const dir = join(dataDir, 'ferretdb');
  mkdirSync(dir, { recursive: true });
  const out = openSync(join(dataDir, 'ferretdb.log'), 'a');
  const postgresUrl = backend === 'postgresql' ? await ensurePostgres(run, pgPort) : undefined;
  const backendArgs = postgresUrl !== undefined ? ['--postgresql-url', postgresUrl] : [];
  const child = spawn(ferretdbBinary(run.opts.repoRoot), ['--listen-addr', `127.0.0.1:${mongoPort}`, '--data-dir', dir, ...backendArgs], {
    stdio: ['ignore', out, out],
    detached: true, // own process group, as redis-server above
    env: { ...process.env, FERRETDB_TELEMETRY: 'disable' },
  });
  run.started.push(child);
  await waitListening(mongoPort, 'ferretdb', 30000, child);
  log(`local stack: started FerretDB (${backend === 'postgresql' ? 'PostgreSQL' : `SQLite, data in ${dir}`}) on 127.0.0.1:${mongoPort}`);
  return postgresUrl;
}

/** FerretDB's PostgreSQL: the one listening on the port, or a cluster started in the data directory. */
async function ensurePostgres(run: StackRun, pgPort: number): Promise<string> {
  const { opts, pgDir } = run;
  if (await isListening(pgPort)) return `postgres://postgres@127.0.0.1:${pgPort}/ferretdb?pool_max_conns=100`;
  const url = postgresCtl(opts.repoRoot, ['start', pgDir, String(pgPort), ...(opts.pgMode === 'throwaway' ? ['--throwaway'] : [])]);
  run.pgStarted = true;
  run.log(`local stack: started PostgreSQL (${opts.pgMode === 'throwaway' ? 'throw-away: fsync off' : 'fsync on'}) on 127.0.0.1:${pgPort}, data in ${pgDir}`);
  return url;
}
