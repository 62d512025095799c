import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';

/**
 * The embedded local stack: when REDIS_URL / MONGO_URL are unset, hydrawatch starts redis-server (AOF on) and the
 * embedded FerretDB (SQLite, telemetry off) with their data under dataDir. A stack already listening on those ports
 * (another hydrawatch process on this machine) is reused instead of started twice.
 */
export interface LocalStackOptions {
  dataDir: string;
  redisPort?: number;
  mongoPort?: number;
  /** Repo root, to find scripts/build-ferretdb.sh. */
  repoRoot: string;
  log?: (line: string) => void;
}

export interface LocalStack {
  redisUrl: string;
  mongoUrl: string;
  /** Stops the services this process started (not reused ones). */
  stop(): Promise<void>;
}

export const DEFAULT_LOCAL_REDIS_PORT = 6479;
export const DEFAULT_LOCAL_MONGO_PORT = 27117;

export function isListening(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    s.once('connect', () => { s.destroy(); res(true); });
    s.once('timeout', () => { s.destroy(); res(false); });
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

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log = opts.log ?? (() => undefined);
  const dataDir = resolve(opts.dataDir);
  const redisPort = opts.redisPort ?? DEFAULT_LOCAL_REDIS_PORT;
  const mongoPort = opts.mongoPort ?? DEFAULT_LOCAL_MONGO_PORT;
  const started: ChildProcess[] = [];

  const stop = async (): Promise<void> => {
    await Promise.all(
      started.map(
        (c) =>
          new Promise<void>((r) => {
            if (c.exitCode !== null) return r();
            c.once('exit', () => r());
            c.kill('SIGTERM');
            setTimeout(() => { c.kill('SIGKILL'); r(); }, 5000).unref();
          }),
      ),
    );
  };

  try {
    if (await isListening(redisPort)) {
      log(`local stack: reusing Redis on 127.0.0.1:${redisPort}`);
    } else {
      const dir = join(dataDir, 'redis');
      mkdirSync(dir, { recursive: true });
      const out = openSync(join(dir, 'redis.log'), 'a');
      const child = spawn(
        'redis-server',
        ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
        { stdio: ['ignore', out, out] },
      );
      child.once('error', (e) => log(`redis-server failed to start: ${e.message} (run scripts/setup.sh)`));
      started.push(child);
      await waitListening(redisPort, 'redis', 15000, child);
      log(`local stack: started redis-server (AOF on) on 127.0.0.1:${redisPort}, data in ${dir}`);
    }
    if (await isListening(mongoPort)) {
      log(`local stack: reusing FerretDB on 127.0.0.1:${mongoPort}`);
    } else {
      const dir = join(dataDir, 'ferretdb');
      mkdirSync(dir, { recursive: true });
      const out = openSync(join(dataDir, 'ferretdb.log'), 'a');
      const child = spawn(ferretdbBinary(opts.repoRoot), ['--listen-addr', `127.0.0.1:${mongoPort}`, '--data-dir', dir], {
        stdio: ['ignore', out, out],
        env: { ...process.env, FERRETDB_TELEMETRY: 'disable' },
      });
      started.push(child);
      await waitListening(mongoPort, 'ferretdb', 30000, child);
      log(`local stack: started FerretDB (SQLite) on 127.0.0.1:${mongoPort}, data in ${dir}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { redisUrl: `redis://127.0.0.1:${redisPort}`, mongoUrl: `mongodb://127.0.0.1:${mongoPort}/`, stop };
}
