/**
 * The cost of a check with no new post, side by side in one run: the cheap path (the page's newest post id and
 * header digest equal the cursor's: no parse, one write) against the full path (parse, diff, channel state written),
 * on the same channels, store and simulator, rounds interleaved so that machine load hits both alike. Prints checks/s,
 * p50/p95 per check and store commands per check (counted with the MongoDB driver's command monitoring).
 * Uses REDIS_URL / MONGO_URL when set, else the embedded stack in a temporary directory.
 *   npx tsc -p . && node dist/bench/idle-check.js [channels=200] [rounds=4] [concurrency=16]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRuntime } from '../src/app/runtime';
import { defaultCrawlers, type CrawlerRegistry } from '../src/app/crawler-registry';
import { repoRoot } from '../src/app/runtime-settings';
import { settingsSchema, sourceSchema, type Source } from '../src/config/schema';
import { runCrawl, type PipelineDeps } from '../src/pipeline/crawl-source';
import { parseScenario } from '../src/simulator/scenario';
import { startSimulator } from '../src/simulator/server';
import { startLocalStack } from '../src/stack/local-stack';
import { storeDb } from '../src/store/db-handle';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** The full path, as before the page digest: the crawler never sees (nor returns) a header digest. */
const fullPath: CrawlerRegistry = {
  ...defaultCrawlers,
  telegram: {
    platform: 'telegram',
    async crawl(source, ctx) {
      const { pageHeader: _h, ...cursor } = ctx.cursor;
      const out = await defaultCrawlers.telegram.crawl(source, { ...ctx, cursor });
      const { pageHeader: _o, ...next } = out.cursor;
      return { ...out, cursor: { ...next, ...(ctx.cursor.pageHeader ? { pageHeader: ctx.cursor.pageHeader } : {}) } };
    },
  },
};

/** The driver emits command events when the connection string asks for them. */
function withMonitoring(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}monitorCommands=true`;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 200);
  const rounds = Number(process.argv[3] ?? 4);
  const conc = Number(process.argv[4] ?? 16);
  const scenario = parseScenario(
    {
      name: 'idle',
      channels: Array.from({ length: n }, (_, i) => ({
        handle: `sim_idle_${i}`,
        channelId: String(1900000000 + i),
        title: `Idle ${i}`,
        generate: { count: 20, language: 'eng', seed: i + 1, photoEvery: 4 },
      })),
    },
    'idle',
  );
  const sim = await startSimulator({ scenario });
  const dir = mkdtempSync(join(tmpdir(), 'hw-idle-'));
  const stack =
    process.env.REDIS_URL && process.env.MONGO_URL
      ? undefined
      : await startLocalStack({ dataDir: dir, repoRoot: repoRoot(), redisPort: 6598, mongoPort: 27598 });
  const settings = settingsSchema.parse({
    redisUrl: process.env.REDIS_URL ?? stack?.redisUrl,
    mongoUrl: withMonitoring((process.env.MONGO_URL ?? stack?.mongoUrl) as string),
    mongoDb: `idle_${Date.now()}`,
    queue: { name: `idle_${Date.now()}`, prefix: 'hwbench' },
    worker: { hostConcurrency: 64 },
    media: { enabled: false },
    net: { allow: ['127.0.0.1'] },
  });
  const rt = await openRuntime({ configDir: dir, settings, log: () => undefined });
  const sources: Source[] = Array.from({ length: n }, (_, i) =>
    sourceSchema.parse({
      id: `i${i}`,
      platform: 'telegram',
      handle: `sim_idle_${i}`,
      schedule: '0 0 1 1 *',
      tags: ['bench'],
      rateLimit: { requests: 100000, perSeconds: 1 },
      options: { baseUrl: sim.url, backfillPages: 0 },
    }),
  );
  const deps = (crawlers: CrawlerRegistry): PipelineDeps => ({ store: rt.store, crawlers, fetcher: rt.fetcher, limiter: rt.limiter, settings });
  let commands = 0;
  rt.store.commandEvents.on('commandStarted', () => commands++);
  let job = 0;
  async function pass(crawlers: CrawlerRegistry): Promise<{ secs: number; times: number[]; commands: number }> {
    const times: number[] = [];
    const c0 = commands;
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: conc }, async () => {
        while (next < sources.length) {
          const s = sources[next++] as Source;
          const t = performance.now();
          await runCrawl(deps(crawlers), s, { jobId: `idle-${job++}`, attempt: 1 });
          times.push(performance.now() - t);
        }
      }),
    );
    return { secs: (performance.now() - t0) / 1000, times, commands: commands - c0 };
  }
  await pass(defaultCrawlers); // first crawl (posts stored, cursors written)
  await pass(defaultCrawlers); // the cursor learns each page's header digest
  const cheap = { secs: 0, times: [] as number[], commands: 0 };
  const full = { secs: 0, times: [] as number[], commands: 0 };
  for (let r = 0; r < rounds; r++) {
    for (const [acc, crawlers] of (r % 2
      ? [
          [full, fullPath],
          [cheap, defaultCrawlers],
        ]
      : [
          [cheap, defaultCrawlers],
          [full, fullPath],
        ]) as Array<[typeof cheap, CrawlerRegistry]>) {
      const p = await pass(crawlers);
      acc.secs += p.secs;
      acc.times.push(...p.times);
      acc.commands += p.commands;
    }
  }
  const unchanged = await rt.store.runs.countDocuments({ unchanged: true });
  const row = (name: string, x: typeof cheap): string =>
    `${name.padEnd(26)} | ${(x.times.length / x.secs).toFixed(1).padStart(9)} | ${pct(x.times, 50).toFixed(1).padStart(7)} | ${pct(x.times, 95).toFixed(1).padStart(7)} | ${(x.commands / x.times.length).toFixed(2).padStart(10)}`;
  console.log(`\n${n} channels, ${rounds} rounds each, ${conc} checks at a time (store: ${settings.mongoUrl}); ${unchanged} checks took the cheap path`);
  console.log('path                       | checks/s  | p50 ms  | p95 ms  | store cmds/check');
  console.log(row('cheap (page digest)', cheap));
  console.log(row('full (parse + state write)', full));
  console.log(
    `cheap vs full: ${(cheap.times.length / cheap.secs / (full.times.length / full.secs)).toFixed(2)}x checks/s, ${(cheap.commands / cheap.times.length).toFixed(2)} vs ${(full.commands / full.times.length).toFixed(2)} store commands per check`,
  );
  await storeDb(rt.store).dropDatabase();
  await rt.close();
  await sim.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
