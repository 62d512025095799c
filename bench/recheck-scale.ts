/**
 * The cost of re-checking reported targets as open cases grow: the same 200 due re-checks, run by a BullMQ worker
 * against the simulator, with 1,000, 10,000 and again 1,000 open cases (each with its target document and a delayed
 * re-check job waiting in Redis), side by side. Prints re-checks/s, p50/p95 per re-check, store commands per
 * re-check (the MongoDB driver's command monitoring). Nothing
 * scans for due work: each due job reads its target and its case by `_id`.
 * Uses REDIS_URL / MONGO_URL when set, else the embedded stack in a temporary directory.
 *   npx tsc -p . && node dist/bench/recheck-scale.js [small=1000] [large=10000] [due=200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { openRuntime, type Runtime } from '../src/app/runtime';
import { repoRoot } from '../src/app/runtime-settings';
import { settingsSchema, type Settings } from '../src/config/schema';
import { targetId, type ReportCase } from '../src/core/report-case';
import { insertManyChunked } from '../src/store/bulk';
import { storeDb } from '../src/store/db-handle';
import { reportCases, reportTargets, type ReportTargetDoc } from '../src/store/repos/report-cases';
import { runRecheckJob, type RecheckDeps } from '../src/reports/recheck';
import { createRecheckQueue, recheckJobId, reportingTimes, type RecheckJobData, type RecheckJobResult } from '../src/reports/recheck-job';
import { parseScenario } from '../src/simulator/scenario';
import { startSimulator, type SimulatorHandle } from '../src/simulator/server';
import { startLocalStack } from '../src/stack/local-stack';

const SIM_CHANNELS = 50;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

function withMonitoring(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}monitorCommands=true`;
}

function openCase(i: number, simUrl: string, at: Date): { c: ReportCase; t: ReportTargetDoc } {
  const handle = `sim_rc_${i % SIM_CHANNELS}`;
  const id = targetId('telegram', 'channel', `bench_${i}`);
  const url = `${simUrl}/${handle}`;
  const c: ReportCase = {
    _id: id,
    platform: 'telegram',
    kind: 'channel',
    state: 'sent',
    openedBy: 'token:bench',
    sourceIds: ['bench'],
    tags: [],
    targets: [{ id, url, kind: 'channel', watched: false }],
    evidence: {},
    history: [{ state: 'sent', at, by: 'token:bench' }],
    createdAt: at,
    updatedAt: at,
    day: at.toISOString().slice(0, 10),
    reportedAt: at,
  };
  return { c, t: { _id: id, caseId: id, platform: 'telegram', url, kind: 'channel', watched: false, reportedAt: at, checks: 0 } };
}

interface Run {
  open: number;
  secs: number;
  times: number[];
  commands: number;
  delayed: number;
}

async function runAt(base: Settings, sim: SimulatorHandle, open: number, due: number): Promise<Run> {
  const settings = { ...base, mongoDb: `recheck_${open}_${Date.now()}`, queue: { ...base.queue, name: `recheck_${open}_${Date.now()}` } };
  const rt: Runtime = await openRuntime({ configDir: tmpdir(), settings, log: () => undefined, ensureRollups: false });
  const queue = createRecheckQueue(rt.redis, settings.queue);
  const at = new Date();
  const made = Array.from({ length: open }, (_, i) => openCase(i, sim.url, at));
  await insertManyChunked(
    reportCases(rt.store),
    made.map((m) => m.c),
  );
  await insertManyChunked(
    reportTargets(rt.store),
    made.map((m) => m.t),
  );
  // every open case's next re-check waits in Redis (a day away); `due` of them are due now
  for (let i = 0; i < open; i += 1000) {
    const jobs = made.slice(i, i + 1000).map((m, k) => {
      const data: RecheckJobData = { kind: 'recheck', targetId: m.t._id, attempt: 0 };
      return { name: 'recheck', data, opts: { jobId: recheckJobId(data), delay: i + k < due ? 0 : 86_400_000 } };
    });
    await queue.addBulk(jobs);
  }
  const delayed = await queue.getDelayedCount();
  let commands = 0;
  rt.store.commandEvents.on('commandStarted', () => commands++);
  const deps: RecheckDeps = {
    store: rt.store,
    settings,
    queue,
    fetcher: rt.fetcher,
    parser: rt.parser,
    times: reportingTimes(settings.reporting),
    now: () => new Date(),
  };
  const times: number[] = [];
  const t0 = performance.now();
  let done = 0;
  await new Promise<void>((resolve, reject) => {
    const worker = new Worker<RecheckJobData, RecheckJobResult>(
      queue.name,
      async (job) => {
        const t = performance.now();
        const r = await runRecheckJob(deps, job.data);
        times.push(performance.now() - t);
        return r;
      },
      { connection: rt.workerConnection(), prefix: settings.queue.prefix, concurrency: 8 },
    );
    worker.on('completed', () => {
      if (++done === due) void worker.close().then(resolve, reject);
    });
    worker.on('failed', (_j, e) => reject(e));
  });
  const secs = (performance.now() - t0) / 1000;
  await queue.obliterate({ force: true });
  await queue.close();
  await storeDb(rt.store).dropDatabase();
  await rt.close();
  return { open, secs, times, commands, delayed };
}

async function main(): Promise<void> {
  const small = Number(process.argv[2] ?? 1000);
  const large = Number(process.argv[3] ?? 10000);
  const due = Number(process.argv[4] ?? 200);
  const scenario = parseScenario(
    {
      name: 'recheck',
      channels: Array.from({ length: SIM_CHANNELS }, (_, i) => ({ handle: `sim_rc_${i}`, channelId: String(1800000000 + i), title: `Reported ${i}` })),
    },
    'recheck',
  );
  const sim = await startSimulator({ scenario });
  const dir = mkdtempSync(join(tmpdir(), 'hw-recheck-'));
  const stack =
    process.env.REDIS_URL && process.env.MONGO_URL
      ? undefined
      : await startLocalStack({ dataDir: dir, repoRoot: repoRoot(), redisPort: 6597, mongoPort: 27597 });
  const base = settingsSchema.parse({
    redisUrl: process.env.REDIS_URL ?? stack?.redisUrl,
    mongoUrl: withMonitoring((process.env.MONGO_URL ?? stack?.mongoUrl) as string),
    mongoDb: 'recheck',
    queue: { name: 'recheck', prefix: 'hwbench' },
    worker: { hostConcurrency: 64 },
    media: { enabled: false },
    net: { allow: ['127.0.0.1'] },
  });
  // small, large, small again: the two small runs show how much of a difference is the machine's noise
  const runs = [await runAt(base, sim, small, due), await runAt(base, sim, large, due), await runAt(base, sim, small, due)];
  console.log(`\n${due} due re-checks with N open cases (each with a delayed re-check job in Redis); 8 at a time`);
  console.log('open cases | delayed jobs | re-checks/s | p50 ms | p95 ms | store cmds/re-check');
  for (const r of runs)
    console.log(
      `${String(r.open).padStart(10)} | ${String(r.delayed).padStart(12)} | ${(r.times.length / r.secs).toFixed(1).padStart(11)} | ${pct(r.times, 50).toFixed(1).padStart(6)} | ${pct(r.times, 95).toFixed(1).padStart(6)} | ${(r.commands / r.times.length).toFixed(2).padStart(19)}`,
    );
  const [a, b, c] = runs as [Run, Run, Run];
  const rate = (r: Run): number => r.times.length / r.secs;
  console.log(
    `${b.open} vs ${a.open} open cases: ${(rate(b) / ((rate(a) + rate(c)) / 2)).toFixed(2)}x re-checks/s (the two ${a.open} runs differ by ${(rate(c) / rate(a)).toFixed(2)}x), ${(b.commands / b.times.length).toFixed(2)} vs ${(a.commands / a.times.length).toFixed(2)} store commands per re-check`,
  );
  await sim.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
