#!/usr/bin/env node
import { resolve } from 'node:path';
import { repoRoot } from '../app/runtime-settings';
import { ConfigError, formatIssue } from '../config/format-issues';
import { runSourcesCommand } from './sources-command';
import { runTelegramCommand } from './telegram-login';
import type { Command, CommandIo } from './cli-process';
import { opt } from './cli-process';
import { apiCommand, roleCommand, simulateCommand } from './serve-commands';
import { demoCommand } from './demo-command';
import {
  alertsCommand,
  clustersCommand,
  crawlCommand,
  exportCommand,
  hashlistCommand,
  queryCommand,
  reportsCommand,
  rollupsCommand,
  statusCommand,
} from './store-commands';

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
  demo [--advance-every S] [--takedown-after S] [--ignore H,…]   offline demo: simulator + its abuse desks + local
                          stack + scheduler + worker + API (docs/operations.md#the-demo)
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

const help: Command = (_args, io) => {
  io.out(USAGE);
  return Promise.resolve(0);
};

/** Every command, by its first word (each in its own file: serve-commands, demo-command, store-commands, …). */
const COMMANDS: Record<string, Command> = {
  help,
  '--help': help,
  '-h': help,
  sources: (args, io) => runSourcesCommand(args, io),
  telegram: (args, io) => runTelegramCommand(args, io),
  simulate: simulateCommand,
  run: roleCommand('run'),
  scheduler: roleCommand('scheduler'),
  worker: roleCommand('worker'),
  api: apiCommand,
  demo: demoCommand,
  crawl: crawlCommand,
  status: statusCommand,
  hashlist: hashlistCommand,
  webhooks: async (args, io) => (await import('./share-command')).runWebhooksCommand(args, io),
  alerts: alertsCommand,
  reports: reportsCommand,
  query: queryCommand,
  export: exportCommand,
  clusters: clustersCommand,
  rollups: rollupsCommand,
};

async function main(argv: string[]): Promise<number> {
  const [cmd = 'run', ...args] = argv;
  const configDir = resolve(opt(args, 'config') ?? process.env.HYDRAWATCH_CONFIG ?? resolve(repoRoot(), 'config'));
  const io: CommandIo = { out: (s: string) => console.log(s), err: (s: string) => console.error(s), configDir };
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!command) {
    io.err(`unknown command "${cmd}"\n\n${USAGE}`);
    return 2;
  }
  return command(args, io);
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
