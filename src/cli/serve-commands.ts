import { resolve } from 'node:path';
import { repoRoot } from '../app/runtime-settings';
import { openRuntime, type Runtime } from '../app/runtime';
import { loadScenario } from '../simulator/scenario';
import { startSimulator, type SimulatorHandle } from '../simulator/server';
import { parseStages, type Stage } from '../queue/stages';
import { startApi, type RunningApi } from '../api/start-api';
import { hashToken, newToken } from '../api/auth';
import type { ShutdownStep } from '../ops/shutdown';
import { log, onShutdown, opt, runRoles, settingsFor, type Command, type CommandIo } from './cli-process';

// The long-running commands: run / scheduler / worker, api, simulate (the demo: demo-command.ts).

/** `run`, `scheduler`, `worker [--stages S]`: the roles on one runtime until a signal stops them. */
export function roleCommand(cmd: 'run' | 'scheduler' | 'worker'): Command {
  return async (args, io) => {
    let stages: Stage[];
    try {
      stages = parseStages(opt(args, 'stages'));
    } catch (err) {
      io.err((err as Error).message);
      return 2;
    }
    let rt: Runtime | undefined;
    let roleSteps: ShutdownStep[] = [];
    onShutdown(() => [...roleSteps, { name: 'runtime', run: () => rt?.close() }]);
    const settings = settingsFor(io.configDir);
    rt = await openRuntime({ configDir: io.configDir, settings, log });
    roleSteps = await runRoles(rt, io.configDir, { scheduler: cmd !== 'worker', worker: cmd !== 'scheduler', stages });
    return -1;
  };
}

function printToken(args: string[], io: CommandIo): number {
  const name = opt(args, 'name');
  const role = opt(args, 'role') ?? 'researcher';
  if (!name || (role !== 'analyst' && role !== 'researcher')) {
    io.err('usage: hydrawatch api token --name NAME [--role researcher|analyst]');
    return 2;
  }
  const token = newToken();
  io.out(`token (shown once; give it to ${name}): ${token}`);
  io.out('add to config/settings.yaml under api.tokens (only the hash is stored):');
  io.out(`  - { name: ${name}, role: ${role}, sha256: ${hashToken(token)} }`);
  return 0;
}

/** `api [--host H] [--port P]` (the researcher API and the dashboard), or `api token …`. */
export const apiCommand: Command = async (args, io) => {
  if (args[0] === 'token') return printToken(args, io);
  let rt: Runtime | undefined;
  let api: RunningApi | undefined;
  onShutdown(() => [
    { name: 'api', run: () => api?.close() },
    { name: 'runtime', run: () => rt?.close() },
  ]);
  const settings = settingsFor(io.configDir);
  rt = await openRuntime({ configDir: io.configDir, settings, log });
  api = await startApi(rt, io.configDir, {
    ...(opt(args, 'host') ? { host: opt(args, 'host') as string } : {}),
    ...(opt(args, 'port') ? { port: Number(opt(args, 'port')) } : {}),
  });
  log(
    `researcher API on ${api.url}/api/v1 (OpenAPI: ${api.url}/openapi.json), dashboard ${api.url}/dashboard/, metrics ${api.url}/metrics, queues ${api.url}/queues/`,
    { event: 'api.listen', url: api.url },
  );
  return -1;
};

/** `simulate [--scenario F] [--port P] [--advance-every S]`: the platform simulator alone. */
export const simulateCommand: Command = async (args) => {
  let sim: SimulatorHandle | undefined;
  let timer: NodeJS.Timeout | undefined;
  onShutdown(() => [
    { name: 'simulator clock', run: () => clearInterval(timer) },
    { name: 'simulator', run: () => sim?.close() },
  ]);
  const scenario = loadScenario(resolve(opt(args, 'scenario') ?? resolve(repoRoot(), 'config/scenarios/demo.yaml')));
  const running = await startSimulator({ scenario, port: Number(opt(args, 'port') ?? 8730) });
  sim = running;
  log(`simulator "${scenario.name}" on ${running.url}`);
  const every = Number(opt(args, 'advance-every') ?? 0);
  if (every > 0)
    timer = setInterval(() => {
      const a = running.advance();
      if (a) log(`simulator step ${running.step}: ${a.map((x) => x.action).join(', ')}`);
    }, every * 1000);
  return -1;
};
