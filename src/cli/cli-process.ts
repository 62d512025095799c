import { resolve } from 'node:path';
import type { Runtime } from '../app/runtime';
import { sourcesPathIn, startSchedulerRole, startWorkerRole } from '../app/roles';
import type { Stage } from '../queue/stages';
import { loadSettings } from '../config/load-settings';
import { settingsSchema, type Settings } from '../config/schema';
import { createLogger, logTo } from '../ops/logger';
import type { Log } from '../ops/log-types';
import { startMetricsServer, type MetricsServer } from '../ops/metrics-server';
import { dumpHandlesWhileStopping, runShutdownSteps, type ShutdownStep } from '../ops/shutdown';

// The CLI process's shell: options, the log, settings, signals and the long-running roles. Commands live in their own files.

/** What every command gets: its output streams and the config directory. */
export interface CommandIo {
  out: (s: string) => void;
  err: (s: string) => void;
  configDir: string;
}

/** A command: its arguments (after the command word) → exit code; -1 keeps the process running (servers, workers). */
export type Command = (args: string[], io: CommandIo) => Promise<number>;

export function opt(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function logSettingsFromEnv(env: NodeJS.ProcessEnv): Settings['log'] {
  const r = settingsSchema.shape.log.safeParse({
    ...(env.HYDRAWATCH_LOG_LEVEL ? { level: env.HYDRAWATCH_LOG_LEVEL } : {}),
    ...(env.HYDRAWATCH_LOG_FORMAT ? { format: env.HYDRAWATCH_LOG_FORMAT } : {}),
  });
  return r.success ? r.data : { level: 'info', format: 'auto' };
}

/**
 * The process's log: pino (JSON lines, or the readable console on a terminal), set up from the environment first
 * and again from settings.yaml once a command has read it.
 */
let emit: Log = logTo(createLogger(logSettingsFromEnv(process.env)));
export const log: Log = (line, fields) => emit(line, fields);

/** Writes to stdout, waiting for 'drain' when its buffer is full (exports stream large documents). */
export function writeStdout(chunk: string): Promise<void> {
  return new Promise<void>((res, rej) => {
    if (process.stdout.write(chunk)) res();
    else process.stdout.once('drain', res).once('error', rej);
  });
}

/** Reads settings.yaml (env overrides included) and sets the log up from it; the demo keeps the readable console. */
export function settingsFor(configDir: string, opts: { demo?: boolean } = {}): Settings {
  const settings = loadSettings(resolve(configDir, 'settings.yaml'));
  const format = opts.demo && settings.log.format === 'auto' ? 'pretty' : settings.log.format;
  emit = logTo(createLogger({ ...settings.log, format }));
  return settings;
}

/** The optional metrics port of worker, scheduler and run processes (`metrics.port`). */
async function metricsPort(settings: Settings): Promise<MetricsServer | undefined> {
  if (settings.metrics.port === undefined) return undefined;
  const server = await startMetricsServer(settings.metrics.host, settings.metrics.port);
  log(`metrics on ${server.url}/metrics`, { event: 'metrics.listen', url: `${server.url}/metrics` });
  return server;
}

/** Past this, a graceful stop that has not finished (a crawl over its budget, a client left open) ends the process. */
const SHUTDOWN_DEADLINE_MS = 120_000;

/**
 * SIGTERM / SIGINT: runs the stop steps in order (what makes work first, the runtime and its embedded stack last) and
 * exits 0 when every step stopped cleanly. Installed before a command starts anything, so a signal during start-up
 * stops what has started so far: `steps` is read when the signal comes. A second signal exits at once (the embedded
 * stack's exit hook still stops its services). Each step's time is logged at debug level; HYDRAWATCH_DEBUG_SHUTDOWN=1
 * also logs the live handles (sockets and their peers, child processes, timers) every 2 s while the stop runs.
 */
export function onShutdown(steps: () => readonly ShutdownStep[]): void {
  let stopping = false;
  const handler = (sig: NodeJS.Signals): void => {
    if (stopping) {
      log(`${sig} again: exiting now`, { level: 'warn', event: 'shutdown.forced', signal: sig });
      process.exit(sig === 'SIGINT' ? 130 : 143);
    }
    stopping = true;
    log(`${sig}: shutting down gracefully (running crawls finish first; ${sig} again to exit now)`, { event: 'shutdown', signal: sig });
    setTimeout(() => {
      log(`${sig}: shutdown did not finish within ${SHUTDOWN_DEADLINE_MS / 1000} s: exiting`, { level: 'error', event: 'shutdown.deadline', signal: sig });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    const endDump = process.env.HYDRAWATCH_DEBUG_SHUTDOWN === '1' ? dumpHandlesWhileStopping(log) : undefined;
    runShutdownSteps(steps(), log)
      .then((r) => {
        endDump?.();
        log(`${sig}: stopped${r.failed.length ? ` (failed: ${r.failed.join(', ')})` : ''}`, { event: 'shutdown.done', signal: sig, failed: r.failed });
        process.exit(r.failed.length ? 1 : 0);
      })
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

/** Starts the scheduler and/or worker roles; returns their stop steps (the runtime is the caller's to close, after them). */
export async function runRoles(rt: Runtime, configDir: string, roles: { scheduler: boolean; worker: boolean; stages?: Stage[] }): Promise<ShutdownStep[]> {
  const sched = roles.scheduler ? await startSchedulerRole(rt, sourcesPathIn(configDir), log) : undefined;
  const worker = roles.worker
    ? startWorkerRole(rt, log, { settingsPath: resolve(configDir, 'settings.yaml'), ...(roles.stages ? { stages: roles.stages } : {}) })
    : undefined;
  if (worker) log(`worker stages: ${worker.stages.join(', ')}`, { event: 'worker.start', stages: worker.stages });
  const metrics = await metricsPort(rt.settings);
  return [
    { name: 'metrics', run: () => metrics?.close() },
    { name: 'scheduler', run: () => sched?.stop() },
    { name: 'worker', run: () => worker?.close() },
  ];
}

/** Opens a runtime quietly, runs `fn` with it and closes it (one-shot commands). */
export async function withRuntime<T>(configDir: string, fn: (rt: Runtime) => Promise<T>, opts: { log?: Log; ensureRollups?: boolean } = {}): Promise<T> {
  const { openRuntime } = await import('../app/runtime');
  const rt = await openRuntime({ configDir, log: opts.log ?? (() => undefined), ...(opts.ensureRollups === false ? { ensureRollups: false } : {}) });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
