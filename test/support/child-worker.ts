import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** Starts `hydrawatch worker` as a separate OS process (the compiled CLI in dist/, built by scripts/setup.sh). */
export function spawnWorker(
  configDir: string,
  extraEnv: Record<string, string> = {},
  args: string[] = [],
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const main = resolve(__dirname, '../../dist/src/cli/main.js');
  const child = spawn(process.execPath, [main, 'worker', '--config', configDir, ...args], {
    env: { ...process.env, REDIS_URL: '', MONGO_URL: '', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}
