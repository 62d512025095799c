import { resolve } from 'node:path';
import { sourcesPathIn } from '../app/roles';
import { loadSettings } from '../config/load-settings';
import { log, opt, withRuntime, writeStdout, type Command } from './cli-process';

// The one-shot commands that open the store, do one thing and close it.

/** `crawl <source-id>`: enqueue one crawl now. */
export const crawlCommand: Command = async (args, io) => {
  const id = args[0];
  if (!id) {
    io.err('usage: hydrawatch crawl <source-id>');
    return 2;
  }
  const { loadSourcesFile } = await import('../config/load-sources');
  const source = (await loadSourcesFile(sourcesPathIn(io.configDir))).find((s) => s.id === id);
  if (!source) {
    io.err(`no source "${id}" in ${sourcesPathIn(io.configDir)}`);
    return 1;
  }
  const { enqueueCrawl } = await import('../queue/crawl-queue');
  return withRuntime(io.configDir, async (rt) => {
    const now = new Date();
    const r = await enqueueCrawl(rt.queue, { source, tick: now.toISOString(), reason: 'manual' }, { delayMs: 0, tickAt: now, reason: 'manual' });
    io.out(`${r.added ? 'enqueued' : 'already queued'}: ${r.jobId}`);
    return 0;
  });
};

/** `status`: channels and the latest events. */
export const statusCommand: Command = (_args, io) =>
  withRuntime(io.configDir, async (rt) => {
    const channels = await rt.store.channels.find({}).toArray();
    for (const c of channels) {
      io.out(
        `${c._id.padEnd(22)} ${c.status.padEnd(9)} @${c.handle.padEnd(24)} ${c.title ?? ''}${c.handles.length > 1 ? `  (handles: ${c.handles.join(' → ')})` : ''}`,
      );
    }
    const events = await rt.store.events.find({}).sort({ at: -1 }).limit(20).toArray();
    io.out('\nlatest events:');
    for (const e of events) io.out(`${e.at.toISOString()} ${e.type.padEnd(14)} ${e.channelKey} @${e.handle} ${JSON.stringify(e.data)}`);
    return 0;
  });

/** `hashlist import <list> <file> [--format csv|te-csv] [--hash64 pdq|sha256]` | `hashlist export <list|all>`. */
export const hashlistCommand: Command = async (args, io) => {
  const [sub, list, file] = args;
  const { importHashList, exportHashList, parseHashList } = await import('../media/hash-lists');
  if (sub === 'import' && list && file) {
    const { readFileSync } = await import('node:fs');
    const { parseThreatExchangeCsv } = await import('../share/hash-list-formats');
    const hash64 = opt(args, 'hash64') === 'sha256' ? 'sha256' : 'pdq';
    const text = readFileSync(file, 'utf8');
    const rows = (opt(args, 'format') ?? 'csv') === 'te-csv' ? parseThreatExchangeCsv(text, file, hash64) : parseHashList(text, file);
    return withRuntime(io.configDir, async (rt) => {
      const n = await importHashList(rt.store, list, rows);
      io.out(`imported ${n} hashes into list "${list}"; workers pick them up within 10 s`);
      return 0;
    });
  }
  if (sub === 'export' && list)
    return withRuntime(io.configDir, async (rt) => {
      await writeStdout(await exportHashList(rt.store, list));
      return 0;
    });
  io.err('usage: hydrawatch hashlist import <list> <file> | export <list|all>');
  return 2;
};

/** `alerts test --to EMAIL`: one test mail through the configured SMTP server. */
export const alertsCommand: Command = async (args, io) => {
  const to = opt(args, 'to');
  const settings = loadSettings(resolve(io.configDir, 'settings.yaml'));
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
};

/** `reports …`: report cases (reports-command.ts). */
export const reportsCommand: Command = async (args, io) => {
  const { runReportsCommand, REPORTS_USAGE } = await import('./reports-command');
  if (!args[0] || args[0] === 'help' || args[0] === '--help') {
    io.out(REPORTS_USAGE);
    return args[0] ? 0 : 2;
  }
  return withRuntime(io.configDir, (rt) =>
    runReportsCommand(rt.store, rt.settings, args, { ...io, sourcesPath: sourcesPathIn(io.configDir), onReported: rt.onReported }),
  );
};

/** Runs a research command; a bad filter (QueryInputError) is a usage error (exit 2) naming the command. */
async function researchInput(name: string, io: { err: (s: string) => void }, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    const { QueryInputError } = await import('../research/query-filter');
    if (!(err instanceof QueryInputError)) throw err;
    io.err(`hydrawatch ${name}: ${err.message}`);
    return 2;
  }
}

/** `query <what> [filters]`: timelines, trends, graphs and exports (query-command.ts). */
export const queryCommand: Command = async (args, io) => {
  const { runQueryCommand, QUERY_USAGE } = await import('./query-command');
  if (!args[0] || args[0] === 'help' || args[0] === '--help') {
    io.out(QUERY_USAGE);
    return args[0] ? 0 : 2;
  }
  return withRuntime(io.configDir, (rt) =>
    researchInput('query', io, () => runQueryCommand(rt.store, args, { out: io.out, err: io.err, isTty: Boolean(process.stdout.isTTY), write: writeStdout })),
  );
};

/** `export stix …` (export-command.ts) or `export misp …` (share-command.ts). */
export const exportCommand: Command = async (args, io) => {
  if (args[0] === 'misp') {
    const { runExportCommand: runMispExport } = await import('./share-command');
    return withRuntime(io.configDir, (rt) => runMispExport(rt.store, args, { ...io, write: writeStdout }));
  }
  const { runExportCommand, EXPORT_USAGE } = await import('./export-command');
  if (args[0] !== 'stix') {
    io.err(EXPORT_USAGE);
    return args[0] === 'help' || args[0] === '--help' ? 0 : 2;
  }
  return withRuntime(io.configDir, (rt) =>
    researchInput('export', io, () => runExportCommand(rt.store, rt.settings.share.tlp, args, { ...io, write: writeStdout })),
  );
};

/** `clusters [--limit N]`: the media clusters seen in the most channels. */
export const clustersCommand: Command = async (args, io) => {
  const limit = Number(opt(args, 'limit') ?? 20);
  const { topClusters } = await import('../research/trends');
  return withRuntime(io.configDir, async (rt) => {
    for (const c of await topClusters(rt.store, limit)) {
      io.out(
        `${c.clusterId}  channels=${c.channels}  sightings=${c.sightings}  after-takedown=${c.afterTakedown}  first=${c.firstSeen.toISOString()}  last=${c.lastSeen.toISOString()}`,
      );
    }
    return 0;
  });
};

/** `rollups rebuild`: recount the post and sighting rollups (an offline scan). */
export const rollupsCommand: Command = async (args, io) => {
  if (args[0] !== 'rebuild') {
    io.err(`usage: hydrawatch rollups rebuild   (got "${args[0] ?? ''}")`);
    return 2;
  }
  const { rebuildPostRollups } = await import('../store/post-rollups');
  const { rebuildSightingRollups } = await import('../store/sighting-rollups');
  return withRuntime(
    io.configDir,
    async (rt) => {
      const r = await rebuildPostRollups(rt.store, { log });
      io.out(`rebuilt post rollups: ${r.posts} posts, ${r.days} days, ${r.channelDays} channel-days in ${(r.ms / 1000).toFixed(1)} s`);
      const m = await rebuildSightingRollups(rt.store, log);
      io.out(`rebuilt sighting rollups: ${m.sightings} sightings, ${m.days} days in ${(m.ms / 1000).toFixed(1)} s`);
      return 0;
    },
    { log, ensureRollups: false },
  );
};
