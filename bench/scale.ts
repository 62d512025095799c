/**
 * Flat cost at scale, through the real path: scheduler → BullMQ crawl queue → worker stages → FerretDB, against the
 * simulator. For each channel count (default 100, 1000, 5000; `--counts 100,1000`) it prints, side by side:
 *   - the first crawl (20 posts each, a photo every 4): crawl-stage rate with media off, and with media on
 *     (the media stage runs meanwhile in the same worker process; its backlog is reported, not waited for);
 *   - checks with no new post per second, and p50/p95 from the tick (enqueue) to the finished check;
 *   - worker RSS and database size (FerretDB's SQLite files).
 * Uses REDIS_URL / MONGO_URL when set, else the embedded stack in a temporary directory, its PostgreSQL in the local
 * stack's durable mode (fsync on) or, with `--pg-mode throwaway`, with fsync and full_page_writes off (bench:fsync
 * runs both).
 * `--crawl-stage-only`: the worker runs the crawl stage alone (media off only): the text stage's jobs wait in their
 * queue and are dropped before the idle rounds, so that a large first crawl does not share the machine with them.
 *   npm run bench:scale -- --counts 100,1000,5000 [--idle-rounds 3] [--no-media] [--crawl-stage-only] [--pg-mode durable|throwaway]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { openRuntime, type Runtime } from '../src/app/runtime';
import { startSchedulerRole, startWorkerRole, type SchedulerRole, type WorkerRole } from '../src/app/roles';
import { repoRoot } from '../src/app/runtime-settings';
import { settingsSchema, sourceSchema, type Settings } from '../src/config/schema';
import { enqueueCrawl } from '../src/queue/crawl-queue';
import { parseScenario } from '../src/simulator/scenario';
import { startSimulator, type SimulatorHandle } from '../src/simulator/server';
import { startLocalStack, type PgMode } from '../src/stack/local-stack';
import { storeDb } from '../src/store/db-handle';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? def) : def;
}

function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

interface Row {
  channels: number;
  firstOff: number;
  firstOn: number;
  mediaBacklog: number;
  idleRate: number;
  p50: number;
  p95: number;
  rssMb: number;
  dbMb: number;
  /** CPU of this process (scheduler, worker, simulator) per check with no new post. */
  cpuMsPerCheck: number;
  /** After the first crawl (media off): text-stage jobs (one crawl's texts each, up to 20) done per second. */
  textJobsPerSec: number;
}

/** `--count-commands`: store commands per phase, by command and collection (the driver's command monitoring). */
const counts = new Map<string, Map<string, number>>();
let textJobsPerSec = NaN;
let phase = '';
function countCommands(rt: Runtime, p: string): void {
  phase = p;
  if (!process.argv.includes('--count-commands')) return;
  rt.store.commandEvents.on('commandStarted', (e) => {
    const m = counts.get(phase) ?? new Map<string, number>();
    counts.set(phase, m);
    const coll = (e.command[e.commandName] as unknown as string) ?? '';
    const k = `${e.commandName} ${typeof coll === 'string' ? coll : ''}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  });
}
function printCommands(n: number, rounds: number): void {
  for (const [p, m] of counts) {
    const per = p === 'idle' ? n * rounds : n;
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    console.log(`store commands per check, ${p}: ${(total / per).toFixed(1)}`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${(v / per).toFixed(2).padStart(7)}  ${k}`);
  }
  counts.clear();
}

/** `--profile-idle <file>` / `--profile-first <file>`: a V8 CPU profile of the idle rounds / the first crawl (media off) only (open it in Chrome DevTools). */
async function startProfile(file: string): Promise<() => Promise<void>> {
  if (!file) return async () => undefined;
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<unknown>((res, rej) => session.post(method, params, (err, r) => (err ? rej(err) : res(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const r = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(r.profile));
    session.disconnect();
  };
}

async function mediaPending(rt: Runtime): Promise<number> {
  const c = await rt.mediaQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function oneSize(n: number, base: { redisUrl: string; mongoUrl: string; dataDir: string }, sim: SimulatorHandle): Promise<Row> {
  const tag = `${n}_${Date.now()}`;
  const mk = (media: boolean): Settings =>
    settingsSchema.parse({
      redisUrl: base.redisUrl,
      mongoUrl: process.argv.includes('--count-commands') ? `${base.mongoUrl}${base.mongoUrl.includes('?') ? '&' : '?'}monitorCommands=true` : base.mongoUrl,
      mongoDb: `scale_${tag}_${media ? 'm' : 'n'}`,
      queue: { name: `scale_${tag}_${media ? 'm' : 'n'}`, prefix: 'hwbench' },
      worker: { concurrency: 16, mediaConcurrency: 2, hostConcurrency: 32, lockDurationMs: 120000, stalledIntervalMs: 30000 },
      scheduler: { jitterSeconds: 0, startupSpreadSeconds: 0, reloadPollSeconds: 5 },
      media: { enabled: media },
      fetch: { timeoutMs: 60000 },
      net: { allow: ['127.0.0.1'] },
    });
  const sources = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    platform: 'telegram',
    handle: `sim_scale_${i}`,
    schedule: '0 0 1 1 *', // never during the bench: the idle rounds enqueue each tick as the scheduler does
    tags: ['bench'],
    rateLimit: { requests: 100000, perSeconds: 1 },
    options: { baseUrl: sim.url, backfillPages: 0 },
  }));

  async function firstCrawl(media: boolean): Promise<{ secs: number; rt: Runtime; sched: SchedulerRole; worker: WorkerRole; configDir: string }> {
    const configDir = mkdtempSync(join(tmpdir(), 'hw-scale-config-'));
    writeFileSync(join(configDir, 'sources.yaml'), stringify({ sources }));
    const rt = await openRuntime({ configDir, settings: mk(media), log: () => undefined });
    countCommands(rt, media ? 'first-media' : 'first');
    const worker = startWorkerRole(rt, () => undefined, !media && process.argv.includes('--crawl-stage-only') ? { stages: ['crawl'] } : {});
    let done = 0;
    worker.crawl?.on('completed', () => done++);
    const profile = await startProfile(media ? '' : arg('profile-first', ''));
    const t0 = performance.now();
    // enqueues every first check; a rejected watch list (size cap, bad source) is printed, or the bench would wait forever
    const sched = await startSchedulerRole(rt, join(configDir, 'sources.yaml'), (line, f) => {
      if (f?.level === 'warn' || f?.level === 'error') console.error(line);
    });
    while (done < n) await sleep(20);
    await profile();
    return { secs: (performance.now() - t0) / 1000, rt, sched, worker, configDir };
  }

  // media off: first crawl, then the idle checks
  const off = await firstCrawl(false);
  const latencies: number[] = [];
  // a job may finish before its enqueue call returns: finish times are kept by id, latencies taken after each round
  const finishedAt = new Map<string, number>();
  off.worker.crawl?.on('completed', ({ jobId }) => {
    if (jobId) finishedAt.set(jobId, performance.now());
  });
  const enqueuedAt = new Map<string, number>();
  // the text stage's backlog from the first crawl: its rate over at most --drain-max seconds (default 60), then the
  // rest is dropped, so that the idle rounds measure idle checks alone
  const drainT0 = performance.now();
  const crawlOnly = process.argv.includes('--crawl-stage-only');
  const drainMax = crawlOnly ? 0 : Number(arg('drain-max', '60')) * 1000;
  const backlog0 = await mediaPending(off.rt);
  let backlog1 = backlog0;
  while (backlog1 > 0 && performance.now() - drainT0 < drainMax) {
    await sleep(500);
    backlog1 = await mediaPending(off.rt);
  }
  textJobsPerSec = crawlOnly ? NaN : (backlog0 - backlog1) / ((performance.now() - drainT0) / 1000);
  if (crawlOnly) console.log(`text-stage jobs left by the first crawl (dropped, the text stage did not run): ${backlog0}`);
  if (backlog1 > 0) {
    await off.rt.mediaQueue.pause();
    await off.rt.mediaQueue.drain(true);
    while ((await off.rt.mediaQueue.getActiveCount()) > 0) await sleep(100);
  }
  // several rounds of checks with no new post (each round: every source once, enqueued as a tick would)
  const rounds = Number(arg('idle-rounds', '3'));
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const profile = await startProfile(arg('profile-idle', ''));
  phase = 'idle';
  // Each round is one cron tick of every source: the call the scheduler makes when a cron fires (every source's
  // enqueue at once), at a tick time of its own (job ids have second precision), so rounds follow back to back.
  const tickBase = Math.floor(Date.now() / 1000) * 1000 + 3_600_000;
  const parsedSources = sources.map((s) => sourceSchema.parse(s));
  for (let round = 0; round < rounds; round++) {
    const before = enqueuedAt.size;
    const tickAt = new Date(tickBase + round * 1000);
    for (let i = 0; i < parsedSources.length; i += 500) {
      await Promise.all(
        parsedSources.slice(i, i + 500).map(async (source) => {
          const t = performance.now();
          const r = await enqueueCrawl(off.rt.queue, { source, tick: tickAt.toISOString(), reason: 'cron' }, { delayMs: 0, tickAt, reason: 'cron' });
          enqueuedAt.set(r.jobId, t);
        }),
      );
    }
    const ids = [...enqueuedAt.keys()].slice(before);
    while (ids.some((id) => !finishedAt.has(id))) await sleep(5);
    for (const id of ids) latencies.push((finishedAt.get(id) as number) - (enqueuedAt.get(id) as number));
  }
  const idleSecs = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await profile();
  phase = '';
  printCommands(n, rounds);
  const cpuMsPerCheck = (cpu.user + cpu.system) / 1000 / (n * rounds);
  const rssMb = process.memoryUsage().rss / 1048576;
  const dbMb = Number(execFileSync('du', ['-sm', base.dataDir], { encoding: 'utf8' }).split('\t')[0]);
  await off.sched.stop();
  await off.worker.close();
  await off.rt.queue.obliterate({ force: true }).catch(() => undefined);
  await storeDb(off.rt.store).dropDatabase();
  await off.rt.close();
  rmSync(off.configDir, { recursive: true, force: true });

  if (process.argv.includes('--no-media'))
    return {
      channels: n,
      firstOff: n / off.secs,
      firstOn: NaN,
      mediaBacklog: 0,
      idleRate: (n * rounds) / idleSecs,
      p50: pct(latencies, 50),
      p95: pct(latencies, 95),
      rssMb,
      dbMb,
      cpuMsPerCheck,
      textJobsPerSec,
    };
  // media on: the crawl stage's rate while the media stage works on its own queue
  const on = await firstCrawl(true);
  const backlog = await on.rt.mediaQueue.getWaitingCount();
  await on.sched.stop();
  await on.worker.close();
  for (const q of [on.rt.queue, on.rt.mediaQueue, on.rt.discoveryQueue]) await q.obliterate({ force: true }).catch(() => undefined);
  await storeDb(on.rt.store).dropDatabase();
  await on.rt.close();
  rmSync(on.configDir, { recursive: true, force: true });

  return {
    channels: n,
    firstOff: n / off.secs,
    firstOn: n / on.secs,
    mediaBacklog: backlog,
    idleRate: (n * rounds) / idleSecs,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    rssMb,
    dbMb,
    cpuMsPerCheck,
    textJobsPerSec,
  };
}

function pgMode(): PgMode {
  const m = arg('pg-mode', 'durable');
  if (m !== 'durable' && m !== 'throwaway') throw new Error(`--pg-mode must be "durable" or "throwaway" (got "${m}")`);
  return m;
}

async function main(): Promise<void> {
  const counts = arg('counts', '100,1000,5000').split(',').map(Number);
  const mode = pgMode();
  const max = Math.max(...counts);
  const scenario = parseScenario(
    {
      name: 'scale',
      channels: Array.from({ length: max }, (_, i) => ({
        handle: `sim_scale_${i}`,
        channelId: String(1800000000 + i),
        title: `Scale ${i}`,
        generate: { count: 20, language: (['eng', 'arb', 'fra'] as const)[i % 3], seed: i + 1, photoEvery: 4 },
      })),
    },
    'scale',
  );
  const sim = await startSimulator({ scenario });
  const dir = mkdtempSync(join(tmpdir(), 'hw-scale-'));
  const stack =
    process.env.REDIS_URL && process.env.MONGO_URL
      ? undefined
      : await startLocalStack({ dataDir: dir, repoRoot: repoRoot(), redisPort: 6593, mongoPort: 27593, pgMode: mode, log: (l) => console.log(l) });
  const base = { redisUrl: process.env.REDIS_URL ?? (stack?.redisUrl as string), mongoUrl: process.env.MONGO_URL ?? (stack?.mongoUrl as string), dataDir: dir };
  const rows: Row[] = [];
  for (const n of counts) {
    const r = await oneSize(n, base, sim);
    rows.push(r);
    console.log(`${n} channels done: ${JSON.stringify(r)}`);
  }
  const f = (x: number, d = 1) => x.toFixed(d).padStart(9);
  console.log(
    '\nchannels | first crawl, media off | media on (crawl stage) | on/off | media backlog | no-new checks/s | tick→done p50 ms | p95 ms | worker RSS MB | DB MB | process CPU ms/check | text jobs/s',
  );
  for (const r of rows) {
    console.log(
      `${String(r.channels).padStart(8)} | ${f(r.firstOff)} checks/s     | ${f(r.firstOn)} checks/s      | ${f(r.firstOn / r.firstOff, 2)} | ${String(r.mediaBacklog).padStart(13)} | ${f(r.idleRate)}       | ${f(r.p50, 0)}        | ${f(r.p95, 0)} | ${f(r.rssMb, 0)}     | ${f(r.dbMb, 0)} | ${f(r.cpuMsPerCheck, 2)} | ${f(r.textJobsPerSec, 2)}`,
    );
  }
  const small = rows[0] as Row;
  for (const r of rows.slice(1))
    console.log(`no-new checks/s at ${r.channels} vs ${small.channels}: ${(r.idleRate / small.idleRate).toFixed(2)}x (goal >= 0.8x)`);
  await sim.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
