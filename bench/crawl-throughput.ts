/**
 * Channel checks per second against the simulator: fetch + parse, and fetch + parse + store (FerretDB), side by side.
 * Uses REDIS_URL / MONGO_URL when set, else starts the embedded local stack in a temporary directory.
 *   npx tsc -p . && node dist/bench/crawl-throughput.js [channels]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCrawlers } from '../src/app/crawler-registry';
import { repoRoot } from '../src/app/runtime-settings';
import { settingsSchema, sourceSchema, type TelegramSource } from '../src/config/schema';
import { createHttpFetcher } from '../src/net/http-fetcher';
import { createEgressGuard } from '../src/net/egress/guard';
import { compilePolicy } from '../src/net/egress/policy';
import { runCrawl, type PipelineDeps } from '../src/pipeline/crawl-source';
import { createRedis } from '../src/queue/connection';
import { HostLimiter } from '../src/queue/host-limiter';
import { parseScenario } from '../src/simulator/scenario';
import { startSimulator } from '../src/simulator/server';
import { startLocalStack } from '../src/stack/local-stack';
import { ensureIndexes, openStore } from '../src/store/store';
import { storeDb } from '../src/store/db-handle';

async function main(): Promise<void> {
  const channels = Number(process.argv[2] ?? 40);
  const concurrency = 4;
  const scenario = parseScenario(
    {
      name: 'bench',
      channels: Array.from({ length: channels }, (_, i) => ({
        handle: `sim_bench_${i}`,
        channelId: String(1950000000 + i),
        title: `Bench ${i}`,
        generate: { count: 20, language: (['eng', 'arb', 'fra'] as const)[i % 3], seed: i + 1, photoEvery: 4 },
      })),
    },
    'bench',
  );
  const sim = await startSimulator({ scenario });
  const dir = mkdtempSync(join(tmpdir(), 'hw-bench-'));
  const stack =
    process.env.REDIS_URL && process.env.MONGO_URL
      ? undefined
      : await startLocalStack({ dataDir: dir, repoRoot: repoRoot(), redisPort: 6591, mongoPort: 27591 });
  const redisUrl = process.env.REDIS_URL ?? (stack?.redisUrl as string);
  const mongoUrl = process.env.MONGO_URL ?? (stack?.mongoUrl as string);
  // The simulator is on loopback: allowed explicitly (production allows public addresses only).
  const settings = settingsSchema.parse({ redisUrl, mongoUrl, mongoDb: `bench_${Date.now()}`, net: { allow: ['127.0.0.1'] } });
  const store = await openStore({ url: mongoUrl, dbName: settings.mongoDb });
  await ensureIndexes(store);
  const redis = createRedis(redisUrl, 'worker');
  const limiter = new HostLimiter(redis, { prefix: `bench:${Date.now()}`, hostConcurrency: concurrency, leaseMs: 60000, acquireTimeoutMs: 60000 });
  const fetcher = createHttpFetcher(settings.fetch, createEgressGuard(compilePolicy(settings.net)));
  const deps: PipelineDeps = { store, crawlers: defaultCrawlers, fetcher, limiter, settings };
  const sources = scenario.channels.map((c, i) =>
    sourceSchema.parse({
      id: `b${i}`,
      platform: 'telegram',
      handle: c.handle,
      schedule: '* * * * *',
      rateLimit: { requests: 10000, perSeconds: 1 },
      options: { baseUrl: sim.url, backfillPages: 0 },
    }),
  ) as TelegramSource[];

  async function pool(fn: (i: number) => Promise<unknown>): Promise<number> {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < sources.length) await fn(next++);
      }),
    );
    return (performance.now() - t0) / 1000;
  }

  const fetchParse = await pool((i) => defaultCrawlers.telegram.crawl(sources[i] as TelegramSource, { fetcher, cursor: {}, now: () => new Date() }));
  const firstStore = await pool((i) => runCrawl(deps, sources[i] as TelegramSource, { jobId: `first-${i}`, attempt: 1 }));
  const incremental = await pool((i) => runCrawl(deps, sources[i] as TelegramSource, { jobId: `again-${i}`, attempt: 1 }));
  const rate = (s: number): string => `${(sources.length / s).toFixed(1)} checks/s`;
  console.log(`channel checks against the simulator: ${channels} channels x 20 posts, ${concurrency} at once, store = FerretDB/SQLite`);
  console.log(`fetch + parse                       ${rate(fetchParse)}`);
  console.log(`fetch + parse + store (first crawl) ${rate(firstStore)}   ratio to fetch+parse: ${(firstStore / fetchParse).toFixed(2)}x slower`);
  console.log(`fetch + parse + store (no new post) ${rate(incremental)}   ratio to fetch+parse: ${(incremental / fetchParse).toFixed(2)}x slower`);
  await storeDb(store).dropDatabase();
  await store.close();
  await redis.quit();
  await sim.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
