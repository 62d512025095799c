import type { Log } from './log-types';

/** One step of a graceful stop, run in order: what stops work first comes first, the embedded stack last. */
export interface ShutdownStep {
  name: string;
  run: () => Promise<void> | void;
}

export interface ShutdownOutcome {
  /** Steps that threw (each logged); the steps after them still ran. */
  failed: string[];
  /** How long each step took, in order. */
  steps: { name: string; ms: number }[];
}

/**
 * Runs the steps one after the other. A step that throws is logged and the next steps still run, so that an error
 * while closing a queue does not leave the embedded Redis, FerretDB and PostgreSQL running.
 */
export async function runShutdownSteps(steps: readonly ShutdownStep[], log: Log, now: () => number = Date.now): Promise<ShutdownOutcome> {
  const outcome: ShutdownOutcome = { failed: [], steps: [] };
  for (const step of steps) {
    const started = now();
    try {
      await step.run();
    } catch (err) {
      outcome.failed.push(step.name);
      const error = err instanceof Error ? err.message : String(err);
      log(`shutdown: ${step.name} failed: ${error}`, { level: 'error', event: 'shutdown.step', step: step.name, error });
    }
    const ms = now() - started;
    outcome.steps.push({ name: step.name, ms });
    log(`shutdown: ${step.name} stopped in ${ms} ms`, { level: 'debug', event: 'shutdown.step', step: step.name, ms });
  }
  return outcome;
}

/** What `process._getActiveHandles()` returns, as far as this summary reads it. */
interface HandleLike {
  constructor?: { name?: string };
  remoteAddress?: string;
  remotePort?: number;
  localPort?: number;
  pid?: number;
  spawnfile?: string;
  destroyed?: boolean;
}

/**
 * A short description of each live handle that keeps the process alive (sockets with their peer, child processes,
 * servers, timers), counted: `Socket →127.0.0.1:6479 ×2`. For the HYDRAWATCH_DEBUG_SHUTDOWN dump.
 */
export function describeHandles(handles: readonly unknown[]): string[] {
  const counts = new Map<string, number>();
  for (const raw of handles) {
    if (raw === null || typeof raw !== 'object') continue;
    const h = raw as HandleLike;
    const kind = h.constructor?.name ?? 'Object';
    let what = kind;
    if (typeof h.remotePort === 'number') what = `${kind} →${h.remoteAddress ?? '?'}:${h.remotePort}`;
    else if (kind === 'Socket' || kind === 'WriteStream' || kind === 'ReadStream') what = `${kind} (pipe or tty)`;
    else if (kind === 'ChildProcess') what = `ChildProcess ${h.spawnfile ?? '?'} pid ${h.pid ?? '?'}`;
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([what, n]) => (n > 1 ? `${what} ×${n}` : what));
}

/** The live handles of this process (Node's undocumented `process._getActiveHandles`, absent on other runtimes). */
export function activeHandles(): unknown[] {
  const p = process as unknown as { _getActiveHandles?: () => unknown[] };
  return typeof p._getActiveHandles === 'function' ? p._getActiveHandles() : [];
}

/**
 * With HYDRAWATCH_DEBUG_SHUTDOWN=1: logs the live handles every `everyMs` while a stop runs (and once at once), so a
 * stop that hangs shows what it waits for. Returns the function that ends the dump.
 */
export function dumpHandlesWhileStopping(log: Log, everyMs = 2000): () => void {
  const dump = (): void => {
    const handles = describeHandles(activeHandles());
    log(`shutdown: live handles: ${handles.join(', ') || '(none)'}`, { event: 'shutdown.handles', handles });
  };
  dump();
  const timer = setInterval(dump, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    dump();
  };
}
