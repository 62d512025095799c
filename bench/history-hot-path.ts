/**
 * Cost of the hot path on a large history: a check with no new post, and the intake of a new post with a photo
 * (crawl stage + media stage, run inline), on an empty database and on one preloaded with synthetic history
 * (default 1,000,000 posts, 200,000 media items, 1,000,000 text signatures, plus their media references and band
 * buckets), side by side, same simulator channel. Embedded FerretDB on PostgreSQL (with the _id GIN indexes), or
 * REDIS_URL / MONGO_URL (+ HYDRAWATCH_PG_URL) when set.
 *   npm run bench:history-hot -- --posts 1000000 --items 200000 --sigs 1000000 --rounds 30
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCrawlers } from '../src/app/crawler-registry';
import { repoRoot } from '../src/app/runtime-settings';
import { settingsSchema, sourceSchema, type Settings, type TelegramSource } from '../src/config/schema';
import { lshBands, minhashSignature } from '../src/core/text/minhash';
import { timeBuckets } from '../src/core/time-buckets';
import { FingerprintFeed } from '../src/media/fingerprint-feed';
import { MediaMatcher } from '../src/media/media-matcher';
import type { MediaItemDoc, TextSigDoc } from '../src/media/types';
import { createHttpFetcher } from '../src/net/http-fetcher';
import { compilePolicy } from '../src/net/egress/policy';
import { createEgressGuard } from '../src/net/egress/guard';
import { runCrawl, type PipelineDeps } from '../src/pipeline/crawl-source';
import { createRedis } from '../src/queue/connection';
import { HostLimiter } from '../src/queue/host-limiter';
import { parseScenario } from '../src/simulator/scenario';
import { startSimulator } from '../src/simulator/server';
import { startLocalStack } from '../src/stack/local-stack';
import { ensurePgIdIndexes } from '../src/store/pg-id-index';
import { ensureIndexes, openStore, type Store } from '../src/store/store';
import { redisCursorCache } from '../src/store/cursor-cache';
import type { MediaDoc, PostDoc } from '../src/store/repos/posts';
import { storeDb } from '../src/store/db-handle';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

const hex = (n: number, len: number): string =>
  n
    .toString(16)
    .padStart(8, '0')
    .repeat(Math.ceil(len / 8))
    .slice(0, len);

/** Synthetic history, shaped like the real documents, written with unordered bulk inserts. */
async function preload(store: Store, n: { posts: number; items: number; sigs: number }, log: (s: string) => void): Promise<void> {
  const batch = 5000;
  const day0 = Date.UTC(2026, 0, 1);
  const sig = minhashSignature('synthetic history text about the weather in the valley and the market prices of the week');
  const t0 = performance.now();
  for (let i = 0; i < n.posts; i += batch) {
    const posts: PostDoc[] = [];
    const refs: MediaDoc[] = [];
    for (let k = i; k < Math.min(n.posts, i + batch); k++) {
      const ch = `tg:${1500000000 + (k % 2000)}`;
      const at = new Date(day0 + (k % 180) * 86400_000 + (k % 86400) * 1000);
      const _id = `${ch}:${100000 + Math.floor(k / 2000)}`;
      posts.push({
        _id,
        channelKey: ch,
        postId: String(100000 + Math.floor(k / 2000)),
        sourceId: `hist${k % 2000}`,
        platform: 'telegram',
        handle: `hist_${k % 2000}`,
        text: `history post ${k} about the valley`,
        lang: 'eng',
        links: [],
        hashtags: [],
        mentions: [],
        media: k % 5 === 0 ? [{ kind: 'photo', url: `https://example.invalid/p/${k}.jpg` }] : [],
        tags: ['history'],
        firstSeenAt: at,
        lastSeenAt: at,
        at,
        publishedAt: at,
        buckets: timeBuckets(at),
      });
      if (k % 5 === 0)
        refs.push({
          _id: `${_id}:m0`,
          postKey: _id,
          index: 0,
          channelKey: ch,
          sourceId: `hist${k % 2000}`,
          kind: 'photo',
          url: `https://example.invalid/p/${k}.jpg`,
          firstSeenAt: at,
          buckets: timeBuckets(at),
          ingestedAt: at,
          mediaId: `sha256:${hex(k, 64)}`,
        });
    }
    await store.posts.insertMany(posts, { ordered: false });
    if (refs.length) await store.media.insertMany(refs, { ordered: false });
    if (i % 100000 === 0) log(`  posts ${i} (${Math.round(i / ((performance.now() - t0) / 1000))}/s)`);
  }
  for (let i = 0; i < n.items; i += batch) {
    const items: MediaItemDoc[] = [];
    for (let k = i; k < Math.min(n.items, i + batch); k++) {
      const at = new Date(day0 + (k % 180) * 86400_000);
      items.push({
        _id: `sha256:${hex(k, 64)}`,
        sha256: hex(k, 64),
        md5: hex(k, 32),
        bytes: 50000,
        contentType: 'image/jpeg',
        kind: 'image',
        width: 640,
        height: 480,
        pdq: hex(k * 2654435761, 64),
        quality: 90,
        clusterId: `mc:${hex(k, 24)}`,
        firstSeenAt: at,
        indexedAt: at,
      });
    }
    await store.mediaItems.insertMany(items, { ordered: false });
  }
  log(`  media items ${n.items}`);
  for (let i = 0; i < n.sigs; i += batch) {
    const sigs: TextSigDoc[] = [];
    for (let k = i; k < Math.min(n.sigs, i + batch); k++) {
      const s = sig.map((v, j) => (j < 4 ? v + k : v)); // distinct first band per signature
      const at = new Date(day0 + (k % 180) * 86400_000);
      sigs.push({
        _id: `tg:${1500000000 + (k % 2000)}:${200000 + k}`,
        channelKey: `tg:${1500000000 + (k % 2000)}`,
        sig: s,
        bands: lshBands(s),
        clusterId: `tc:tg:${1500000000 + (k % 2000)}:${200000 + k}`,
        at,
        indexedAt: at,
      });
    }
    await store.textSigs.insertMany(sigs, { ordered: false });
    if (i % 200000 === 0) log(`  text signatures ${i}`);
  }
  log(`  preload done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

interface Timing {
  idleP50: number;
  idleP95: number;
  intakeP50: number;
  intakeP95: number;
}

async function measure(
  label: string,
  settings: Settings,
  redisUrl: string,
  pgUrl: string | undefined,
  simUrl: string,
  sim: Awaited<ReturnType<typeof startSimulator>>,
  counts: { posts: number; items: number; sigs: number } | undefined,
  rounds: number,
): Promise<Timing> {
  const store = await openStore({ url: settings.mongoUrl as string, dbName: settings.mongoDb });
  await ensureIndexes(store);
  if (counts) await preload(store, counts, (s) => console.log(`${label}:${s}`));
  if (pgUrl) await ensurePgIdIndexes(pgUrl, settings.mongoDb);
  const redis = createRedis(redisUrl, 'worker');
  const limiter = new HostLimiter(redis, { prefix: `hb:${settings.mongoDb}`, hostConcurrency: 8, leaseMs: 60000, acquireTimeoutMs: 60000 });
  // as the runtime does: cursors read from Redis (a check with no new post then sends no store command)
  store.cursorCache = redisCursorCache(redis, { prefix: `hb:${settings.mongoDb}:cursors`, ttlSeconds: settings.worker.cursorCacheSeconds });
  const feed = new FingerprintFeed(redis, `hb:${settings.mongoDb}:fp`);
  const matcher = new MediaMatcher(store, feed, { minQuality: 50 });
  await matcher.refresh(); // the worker's start-up load (not part of the timings)
  const deps: PipelineDeps = {
    store,
    crawlers: defaultCrawlers,
    fetcher: createHttpFetcher(settings.fetch, createEgressGuard(compilePolicy(settings.net))),
    limiter,
    settings,
    matcher,
  };
  const source = sourceSchema.parse({
    id: 'hot',
    platform: 'telegram',
    handle: 'sim_hot',
    schedule: '* * * * *',
    tags: ['bench'],
    rateLimit: { requests: 100000, perSeconds: 1 },
    options: { baseUrl: simUrl, backfillPages: 0 },
  }) as TelegramSource;
  await runCrawl(deps, source, { jobId: `${label}-first`, attempt: 1 });
  const idle: number[] = [];
  const intake: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    await runCrawl(deps, source, { jobId: `${label}-idle-${r}`, attempt: 1 });
    idle.push(performance.now() - t);
    sim.apply({
      step: 1,
      action: 'post',
      channel: 'sim_hot',
      post: { text: `Fresh bulletin ${label} ${r} about the valley weather and the market prices this week`, photos: [5000 + r], links: [] },
    } as never);
    t = performance.now();
    await runCrawl(deps, source, { jobId: `${label}-new-${r}`, attempt: 1 });
    intake.push(performance.now() - t);
  }
  await redis.quit();
  await storeDb(store).dropDatabase();
  await store.close();
  return { idleP50: pct(idle, 50), idleP95: pct(idle, 95), intakeP50: pct(intake, 50), intakeP95: pct(intake, 95) };
}

async function main(): Promise<void> {
  const counts = { posts: arg('posts', 1_000_000), items: arg('items', 200_000), sigs: arg('sigs', 1_000_000) };
  const rounds = arg('rounds', 30);
  const scenario = parseScenario(
    { name: 'hot', channels: [{ handle: 'sim_hot', channelId: '1700099999', title: 'Hot', generate: { count: 20, language: 'eng', seed: 7, photoEvery: 4 } }] },
    'hot',
  );
  const dir = mkdtempSync(join(tmpdir(), 'hw-hist-'));
  const stack =
    process.env.REDIS_URL && process.env.MONGO_URL
      ? undefined
      : await startLocalStack({ dataDir: dir, repoRoot: repoRoot(), redisPort: 6596, mongoPort: 27596 });
  const redisUrl = process.env.REDIS_URL ?? (stack?.redisUrl as string);
  const mongoUrl = process.env.MONGO_URL ?? (stack?.mongoUrl as string);
  const pgUrl = process.env.HYDRAWATCH_PG_URL ?? stack?.postgresUrl;
  const results: Array<[string, Timing]> = [];
  for (const [label, c] of [
    ['empty', undefined],
    ['history', counts],
  ] as const) {
    const sim = await startSimulator({ scenario });
    const settings = settingsSchema.parse({ redisUrl, mongoUrl, mongoDb: `hist_${label}_${Date.now()}`, net: { allow: ['127.0.0.1'] } });
    results.push([label, await measure(label, settings, redisUrl, pgUrl, sim.url, sim, c, rounds)]);
    await sim.close();
  }
  const [e, h] = [results[0]?.[1] as Timing, results[1]?.[1] as Timing];
  console.log(
    `\nhot path on an empty database vs ${counts.posts} posts, ${counts.items} media items, ${counts.sigs} text signatures (${pgUrl ? 'FerretDB on PostgreSQL + _id GIN' : 'given MONGO_URL'}); ${rounds} rounds`,
  );
  console.log('                              empty p50 / p95 ms    history p50 / p95 ms    ratio (p50)');
  console.log(
    `check with no new post        ${e.idleP50.toFixed(1).padStart(8)} / ${e.idleP95.toFixed(1).padStart(7)}   ${h.idleP50.toFixed(1).padStart(10)} / ${h.idleP95.toFixed(1).padStart(7)}   ${(h.idleP50 / e.idleP50).toFixed(2)}x (goal <= 1.2x)`,
  );
  console.log(
    `new post with a photo         ${e.intakeP50.toFixed(1).padStart(8)} / ${e.intakeP95.toFixed(1).padStart(7)}   ${h.intakeP50.toFixed(1).padStart(10)} / ${h.intakeP95.toFixed(1).padStart(7)}   ${(h.intakeP50 / e.intakeP50).toFixed(2)}x (goal <= 1.2x)`,
  );
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
