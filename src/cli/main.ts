#!/usr/bin/env node
import { resolve } from 'node:path';
import { repoRoot } from '../app/runtime-settings';
import { openRuntime, type Runtime } from '../app/runtime';
import { sourcesPathIn, startSchedulerRole, startWorkerRole } from '../app/roles';
import { ConfigError, formatIssue } from '../config/format-issues';
import { loadScenario } from '../simulator/scenario';
import { startSimulator, type SimulatorHandle } from '../simulator/server';
import { runSourcesCommand } from './sources-command';
import { runTelegramCommand } from './telegram-login';
import { parseStages, type Stage } from '../queue/stages';
import { startApi, type RunningApi } from '../api/start-api';
import { hashToken, newToken } from '../api/auth';
import { loadSettings } from '../config/load-settings';
import { settingsSchema, type Settings } from '../config/schema';
import { createLogger, logTo } from '../ops/logger';
import type { Log } from '../ops/log-types';
import { startMetricsServer, type MetricsServer } from '../ops/metrics-server';
import { dumpHandlesWhileStopping, runShutdownSteps, type ShutdownStep } from '../ops/shutdown';

const USAGE = `hydrawatch — OSINT monitoring crawler

usage: hydrawatch <command> [options]
  run [--stages S]        scheduler + worker in one process (default)
  scheduler               only the scheduler (cron → BullMQ jobs); several may run
  worker [--stages S]     only a worker (scale out: run many, on many machines); S is a comma list of
                          crawl, media, discovery, alerts, reports (default: all), e.g. --stages crawl or --stages media
  api [--host H] [--port P]   researcher REST API + dashboard (token auth; OpenAPI at /openapi.json)
  api token --name N [--role researcher|analyst]   make an API token (prints the hash for settings.yaml)
  query <what> [filters]  timelines, trends, graphs and exports from the CLI (see 'hydrawatch query help')
  export stix [filters]   a STIX 2.1 bundle (--from --to --tag --source --channel --kind --out; see 'hydrawatch export')
  demo [--advance-every S]    offline demo: simulator + local stack + scheduler + worker
  sources list|validate|add   the watch list (see 'hydrawatch sources')
  telegram login|status   log the Telegram API collector's account in once (platform telegram-api), or check it
  crawl <source-id>       enqueue one crawl now
  status                  channels and their latest events
  hashlist import <list> <file.csv|tsv> [--format csv|te-csv] [--hash64 pdq|sha256]   import a known-hash list
                          (PDQ / MD5 / SHA-256 with labels; te-csv: ThreatExchange's CSV download)
  hashlist export <list|all>              print a list (or every stored media hash) as TSV
  clusters [--limit N]    media clusters seen in the most channels, with first/last sighting
  rollups rebuild         recount the post and sighting rollups the trend routes read (offline scan of posts, sightings)
  export misp [--from T] [--to T] [--tag TAG] [--channel KEY] [--out FILE]   a MISP event (docs/sharing.md)
  webhooks secret         print a new webhook secret (whsec_…) for webhooks[].secret in settings.yaml
  alerts test --to EMAIL  send a test email through the configured SMTP server (alerts.smtpUrl / SMTP_URL)
  reports list|show|open|approve|send|withdraw|sent-manually|pack   report cases (see 'hydrawatch reports')
  simulate [--scenario F] [--port P] [--advance-every S]   run the platform simulator
options:
  --config DIR            config directory (default: ./config, or HYDRAWATCH_CONFIG)
Without REDIS_URL / MONGO_URL the embedded local stack (redis-server + FerretDB under data/) is started.`;

function opt(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/**
 * The process's log: pino (JSON lines, or the readable console on a terminal), set up from the environment first
 * and again from settings.yaml once a command has read it.
 */
let emit: Log = logTo(createLogger(logSettingsFromEnv(process.env)));
const log: Log = (line, fields) => emit(line, fields);

function logSettingsFromEnv(env: NodeJS.ProcessEnv): Settings['log'] {
  const r = settingsSchema.shape.log.safeParse({
    ...(env.HYDRAWATCH_LOG_LEVEL ? { level: env.HYDRAWATCH_LOG_LEVEL } : {}),
    ...(env.HYDRAWATCH_LOG_FORMAT ? { format: env.HYDRAWATCH_LOG_FORMAT } : {}),
  });
  return r.success ? r.data : { level: 'info', format: 'auto' };
}

/** Writes to stdout, waiting for 'drain' when its buffer is full (exports stream large documents). */
function writeStdout(chunk: string): Promise<void> {
  return new Promise<void>((res, rej) => {
    if (process.stdout.write(chunk)) res();
    else process.stdout.once('drain', res).once('error', rej);
  });
}

/** Reads settings.yaml (env overrides included) and sets the log up from it; the demo keeps the readable console. */
function settingsFor(configDir: string, opts: { demo?: boolean } = {}): Settings {
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
function onShutdown(steps: () => readonly ShutdownStep[]): void {
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
async function runRoles(rt: Runtime, configDir: string, roles: { scheduler: boolean; worker: boolean; stages?: Stage[] }): Promise<ShutdownStep[]> {
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

async function main(argv: string[]): Promise<number> {
  const [cmd = 'run', ...args] = argv;
  const configDir = resolve(opt(args, 'config') ?? process.env.HYDRAWATCH_CONFIG ?? resolve(repoRoot(), 'config'));
  const io = { out: (s: string) => console.log(s), err: (s: string) => console.error(s), configDir };

  switch (cmd) {
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    case 'sources':
      return runSourcesCommand(args, io);
    case 'telegram':
      return runTelegramCommand(args, io);
    case 'simulate': {
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
    }
    case 'run':
    case 'scheduler':
    case 'worker': {
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
      const settings = settingsFor(configDir);
      rt = await openRuntime({ configDir, settings, log });
      roleSteps = await runRoles(rt, configDir, { scheduler: cmd !== 'worker', worker: cmd !== 'scheduler', stages });
      return -1;
    }
    case 'api': {
      if (args[0] === 'token') {
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
      let rt: Runtime | undefined;
      let api: RunningApi | undefined;
      onShutdown(() => [
        { name: 'api', run: () => api?.close() },
        { name: 'runtime', run: () => rt?.close() },
      ]);
      const settings = settingsFor(configDir);
      rt = await openRuntime({ configDir, settings, log });
      api = await startApi(rt, configDir, {
        ...(opt(args, 'host') ? { host: opt(args, 'host') as string } : {}),
        ...(opt(args, 'port') ? { port: Number(opt(args, 'port')) } : {}),
      });
      log(
        `researcher API on ${api.url}/api/v1 (OpenAPI: ${api.url}/openapi.json), dashboard ${api.url}/dashboard/, metrics ${api.url}/metrics, queues ${api.url}/queues/`,
        { event: 'api.listen', url: api.url },
      );
      return -1;
    }
    case 'demo': {
      let sim: SimulatorHandle | undefined;
      let timer: NodeJS.Timeout | undefined;
      let rt: Runtime | undefined;
      let roleSteps: ShutdownStep[] = [];
      let api: RunningApi | undefined;
      // what makes work stops first (the clock, the API, the scheduler), then the workers finish their jobs; the
      // runtime closes every client and then stops the embedded stack; the simulator the crawls read from goes last
      onShutdown(() => [
        { name: 'simulator clock', run: () => clearInterval(timer) },
        { name: 'api', run: () => api?.close() },
        ...roleSteps,
        { name: 'runtime', run: () => rt?.close() },
        { name: 'simulator', run: () => sim?.close() },
      ]);
      const settings = settingsFor(configDir, { demo: true });
      const scenario = loadScenario(resolve(repoRoot(), 'config/scenarios/demo.yaml'));
      const running = await startSimulator({ scenario, port: Number(opt(args, 'sim-port') ?? 8730) });
      sim = running;
      log(`demo: simulator on ${running.url} (synthetic channels, feeds, forum, JS page)`);
      const every = Number(opt(args, 'advance-every') ?? 20);
      timer = setInterval(() => {
        const a = running.advance();
        if (a)
          log(
            `demo: simulator step ${running.step}: ${a.map((x) => `${x.action}${'channel' in x && typeof x.channel === 'string' ? ` ${x.channel}` : ''}`).join(', ')}`,
          );
      }, every * 1000);
      const runtime = await openRuntime({ configDir, settings, log });
      rt = runtime;
      roleSteps = await runRoles(runtime, configDir, { scheduler: true, worker: true });
      // the demo makes a one-off analyst token when none is configured, so the dashboard works out of the box
      const demoToken = runtime.settings.api.tokens.length || process.env.HYDRAWATCH_API_TOKENS ? undefined : newToken();
      api = await startApi(runtime, configDir, {
        port: Number(opt(args, 'api-port') ?? runtime.settings.api.port),
        ...(demoToken ? { extraTokens: [{ name: 'demo', role: 'analyst' as const, sha256: hashToken(demoToken) }] } : {}),
      }).catch((err: unknown) => {
        log(`demo: API not started: ${(err as Error).message}`);
        return undefined;
      });
      if (api)
        log(
          `demo: dashboard ${api.url}/dashboard/${demoToken ? `#token=${demoToken}` : ''}  API ${api.url}/api/v1 (OpenAPI ${api.url}/openapi.json)${demoToken ? `\ndemo: API token for this run (analyst): ${demoToken}` : ''}`,
        );
      return -1;
    }
    case 'crawl': {
      const id = args[0];
      if (!id) {
        io.err('usage: hydrawatch crawl <source-id>');
        return 2;
      }
      const { loadSourcesFile } = await import('../config/load-sources');
      const source = (await loadSourcesFile(sourcesPathIn(configDir))).find((s) => s.id === id);
      if (!source) {
        io.err(`no source "${id}" in ${sourcesPathIn(configDir)}`);
        return 1;
      }
      const rt = await openRuntime({ configDir, log: () => undefined });
      const { enqueueCrawl } = await import('../queue/crawl-queue');
      const now = new Date();
      const r = await enqueueCrawl(rt.queue, { source, tick: now.toISOString(), reason: 'manual' }, { delayMs: 0, tickAt: now, reason: 'manual' });
      io.out(`${r.added ? 'enqueued' : 'already queued'}: ${r.jobId}`);
      await rt.close();
      return 0;
    }
    case 'status': {
      const rt = await openRuntime({ configDir, log: () => undefined });
      const channels = await rt.store.channels.find({}).toArray();
      for (const c of channels) {
        io.out(
          `${c._id.padEnd(22)} ${c.status.padEnd(9)} @${c.handle.padEnd(24)} ${c.title ?? ''}${c.handles.length > 1 ? `  (handles: ${c.handles.join(' → ')})` : ''}`,
        );
      }
      const events = await rt.store.events.find({}).sort({ at: -1 }).limit(20).toArray();
      io.out('\nlatest events:');
      for (const e of events) io.out(`${e.at.toISOString()} ${e.type.padEnd(14)} ${e.channelKey} @${e.handle} ${JSON.stringify(e.data)}`);
      await rt.close();
      return 0;
    }
    case 'hashlist': {
      const [sub, list, file] = args;
      const { importHashList, exportHashList, parseHashList } = await import('../media/hash-lists');
      if (sub === 'import' && list && file) {
        const { readFileSync } = await import('node:fs');
        const format = opt(args, 'format') ?? 'csv';
        const hash64 = opt(args, 'hash64') === 'sha256' ? 'sha256' : 'pdq';
        const { parseThreatExchangeCsv } = await import('../share/hash-list-formats');
        const text = readFileSync(file, 'utf8');
        const rows = format === 'te-csv' ? parseThreatExchangeCsv(text, file, hash64) : parseHashList(text, file);
        const rt = await openRuntime({ configDir, log: () => undefined });
        const n = await importHashList(rt.store, list, rows);
        io.out(`imported ${n} hashes into list "${list}"; workers pick them up within 10 s`);
        await rt.close();
        return 0;
      }
      if (sub === 'export' && list) {
        const rt = await openRuntime({ configDir, log: () => undefined });
        process.stdout.write(await exportHashList(rt.store, list));
        await rt.close();
        return 0;
      }
      io.err('usage: hydrawatch hashlist import <list> <file> | export <list|all>');
      return 2;
    }
    case 'webhooks': {
      const { runWebhooksCommand } = await import('./share-command');
      return runWebhooksCommand(args, io);
    }
    case 'alerts': {
      const to = opt(args, 'to');
      const settings = loadSettings(resolve(configDir, 'settings.yaml'));
      if (args[0] !== 'test' || !to) {
        io.err('usage: hydrawatch alerts test --to EMAIL');
        return 2;
      }
      if (!settings.alerts.smtpUrl) {
        io.err('no SMTP server configured: set alerts.smtpUrl in settings.yaml or SMTP_URL');
        return 1;
      }
      const { smtpTransport } = await import('../alerts/sender');
      const t = smtpTransport(settings.alerts.smtpUrl, settings.alerts.smtpTimeoutMs);
      try {
        const info = (await t.sendMail({
          from: settings.alerts.from,
          to,
          subject: '[hydrawatch] test email',
          text: 'This is a test email from hydrawatch. Alerts will look like this, with an evidence table and no media.',
        })) as { messageId?: string };
        io.out(`sent test email to ${to} (${info.messageId ?? 'no message id'})`);
        return 0;
      } catch (err) {
        io.err(`SMTP ${settings.alerts.smtpUrl} refused or unreachable: ${(err as Error).message}`);
        return 1;
      } finally {
        t.close();
      }
    }
    case 'reports': {
      const { runReportsCommand, REPORTS_USAGE } = await import('./reports-command');
      if (!args[0] || args[0] === 'help' || args[0] === '--help') {
        io.out(REPORTS_USAGE);
        return args[0] ? 0 : 2;
      }
      const rt = await openRuntime({ configDir, log: () => undefined });
      try {
        return await runReportsCommand(rt.store, rt.settings, args, { ...io, sourcesPath: sourcesPathIn(configDir), onReported: rt.onReported });
      } finally {
        await rt.close();
      }
    }
    case 'query': {
      const { runQueryCommand, QUERY_USAGE } = await import('./query-command');
      if (!args[0] || args[0] === 'help' || args[0] === '--help') {
        io.out(QUERY_USAGE);
        return args[0] ? 0 : 2;
      }
      const rt = await openRuntime({ configDir, log: () => undefined });
      try {
        return await runQueryCommand(rt.store, args, {
          out: io.out,
          err: io.err,
          isTty: Boolean(process.stdout.isTTY),
          write: writeStdout,
        });
      } catch (err) {
        const { QueryInputError } = await import('../research/query-filter');
        if (err instanceof QueryInputError) {
          io.err(`hydrawatch query: ${err.message}`);
          return 2;
        }
        throw err;
      } finally {
        await rt.close();
      }
    }
    case 'export': {
      if (args[0] === 'misp') {
        const { runExportCommand: runMispExport } = await import('./share-command');
        const rt = await openRuntime({ configDir, log: () => undefined });
        try {
          return await runMispExport(rt.store, args, { ...io, write: writeStdout });
        } finally {
          await rt.close();
        }
      }
      const { runExportCommand, EXPORT_USAGE } = await import('./export-command');
      if (args[0] !== 'stix') {
        io.err(EXPORT_USAGE);
        return args[0] === 'help' || args[0] === '--help' ? 0 : 2;
      }
      const rt = await openRuntime({ configDir, log: () => undefined });
      try {
        return await runExportCommand(rt.store, rt.settings.share.tlp, args, {
          ...io,
          write: writeStdout,
        });
      } catch (err) {
        const { QueryInputError } = await import('../research/query-filter');
        if (err instanceof QueryInputError) {
          io.err(`hydrawatch export: ${err.message}`);
          return 2;
        }
        throw err;
      } finally {
        await rt.close();
      }
    }
    case 'clusters': {
      const limit = Number(opt(args, 'limit') ?? 20);
      const rt = await openRuntime({ configDir, log: () => undefined });
      const { topClusters } = await import('../research/trends');
      for (const c of await topClusters(rt.store, limit)) {
        io.out(
          `${c.clusterId}  channels=${c.channels}  sightings=${c.sightings}  after-takedown=${c.afterTakedown}  first=${c.firstSeen.toISOString()}  last=${c.lastSeen.toISOString()}`,
        );
      }
      await rt.close();
      return 0;
    }
    case 'rollups': {
      if (args[0] !== 'rebuild') {
        io.err(`usage: hydrawatch rollups rebuild   (got "${args[0] ?? ''}")`);
        return 2;
      }
      const rt = await openRuntime({ configDir, log, ensureRollups: false });
      try {
        const { rebuildPostRollups } = await import('../store/post-rollups');
        const { rebuildSightingRollups } = await import('../store/sighting-rollups');
        const r = await rebuildPostRollups(rt.store, { log });
        io.out(`rebuilt post rollups: ${r.posts} posts, ${r.days} days, ${r.channelDays} channel-days in ${(r.ms / 1000).toFixed(1)} s`);
        const m = await rebuildSightingRollups(rt.store, log);
        io.out(`rebuilt sighting rollups: ${m.sightings} sightings, ${m.days} days in ${(m.ms / 1000).toFixed(1)} s`);
      } finally {
        await rt.close();
      }
      return 0;
    }
    default:
      io.err(`unknown command "${cmd}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2))
  .then((code) => {
    if (code >= 0) process.exit(code);
  })
  .catch((err: unknown) => {
    if (err instanceof ConfigError) {
      console.error('hydrawatch: invalid configuration');
      for (const i of err.issues) console.error(`  ${formatIssue(i)}`);
    } else {
      console.error(`hydrawatch: ${(err as Error).message}`);
    }
    process.exit(1);
  });
