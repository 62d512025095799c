import type { Redis } from 'ioredis';
import type { ReportCase } from '../core/report-case';
import { createRecheckQueue, reportingTimes, scheduleAfterReport, type RecheckQueue } from '../reports/recheck-job';
import { join } from 'node:path';
import type { Settings } from '../config/schema';
import { loadSettings } from '../config/load-settings';
import { createHttpFetcher } from '../net/http-fetcher';
import { createEgressGuard, type EgressGuard } from '../net/egress/guard';
import { compilePolicy } from '../net/egress/policy';
import { createPassThrough } from '../net/browser-passthrough';
import type { Fetcher } from '../core/fetcher';
import type { BrowserPool } from '../core/browser-pool';
import { openTelegramApi, type TelegramApiRuntime } from '../telegram-api/client';
import { createPlaywrightPool } from '../net/playwright-pool';
import type { PageParser } from '../core/parse-task';
import { createParsePool } from '../parse/parse-pool';
import { closeRedis, createRedis, redactUrl } from '../queue/connection';
import { createCrawlQueue, type CrawlQueue } from '../queue/crawl-queue';
import { HostLimiter } from '../queue/host-limiter';
import { redisCursorCache } from '../store/cursor-cache';
import { createDiscoveryQueue, createMediaQueue, queuedHandoff, type DiscoveryQueue, type MediaQueue, type StageHandoff } from '../queue/stage-queues';
import { FingerprintFeed } from '../media/fingerprint-feed';
import { startLocalStack, type LocalStack } from '../stack/local-stack';
import { ensureIndexes, openStore, type Store } from '../store/store';
import { migrateKeyedDocs } from './migrations/migrate-keyed-docs';
import { ensurePgIdIndexes } from '../store/pg-id-index';
import { ensureRollups } from '../store/rollups';
import { repoRoot } from './runtime-settings';
import type { Log } from '../ops/log-types';
import { logHandoff } from '../ops/observe-workers';
import { watchQueueDepth } from '../ops/metrics';
import { instrumentStore } from '../ops/store-metrics';
import { runShutdownSteps } from '../ops/shutdown';

export type { Log } from '../ops/log-types';

export interface Runtime {
  settings: Settings;
  redisUrl: string;
  mongoUrl: string;
  store: Store;
  /** Producer connection (queue, limiter). */
  redis: Redis;
  queue: CrawlQueue;
  /** The downstream stages' queues, and the crawl stage's hand-off to them. */
  mediaQueue: MediaQueue;
  discoveryQueue: DiscoveryQueue;
  /** Re-checks of reported targets and reports' due checks (delayed jobs: src/reports/recheck-job.ts). */
  recheckQueue: RecheckQueue;
  /** A case went to `sent`/`sent_manually`: its re-checks and its due check are queued (every ReportDeps gets this). */
  onReported(c: ReportCase): Promise<void>;
  handoff: StageHandoff;
  /** New fingerprints and cluster changes, for every worker's matcher (a Redis stream). */
  feed: FingerprintFeed;
  limiter: HostLimiter;
  fetcher: Fetcher;
  /** The egress policy every fetch (and every browser request) passes. */
  egress: EgressGuard;
  browser: BrowserPool;
  /** Parse threads for fetched pages, with the `limits.*` time budget and nesting cap. */
  parser: PageParser;
  /** The Telegram API account (settings `telegramApi`), when configured. */
  telegramApi?: TelegramApiRuntime;
  /** New blocking connection for a BullMQ worker. */
  workerConnection(): Redis;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  configDir: string;
  settings?: Settings;
  log: Log;
  /** Build the post rollups once if the database has none (default true; `rollups rebuild` does its own). */
  ensureRollups?: boolean;
}

interface Services {
  redisUrl: string;
  mongoUrl: string;
  pgUrl?: string;
  stack?: LocalStack;
}

/** Redis and MongoDB from the settings, or the embedded local stack (redis-server + FerretDB under dataDir) for what is missing. */
async function locateServices(settings: Settings, log: Log): Promise<Services> {
  const pgUrl = settings.postgresUrl ?? process.env.HYDRAWATCH_PG_URL;
  if (settings.redisUrl && settings.mongoUrl) return { redisUrl: settings.redisUrl, mongoUrl: settings.mongoUrl, ...(pgUrl ? { pgUrl } : {}) };
  const stack = await startLocalStack({
    dataDir: settings.dataDir,
    repoRoot: repoRoot(),
    log,
    redisPort: settings.stack.redisPort,
    mongoPort: settings.stack.mongoPort,
    ...(settings.stack.pgPort !== undefined ? { pgPort: settings.stack.pgPort } : {}),
  });
  const ownPg = settings.mongoUrl ? pgUrl : stack.postgresUrl;
  return { redisUrl: settings.redisUrl ?? stack.redisUrl, mongoUrl: settings.mongoUrl ?? stack.mongoUrl, ...(ownPg ? { pgUrl: ownPg } : {}), stack };
}

/** The store with its indexes, migrations and (once per database) the rollups the trend routes read. */
async function prepareStore(settings: Settings, services: Services, opts: RuntimeOptions): Promise<Store> {
  const store = await openStore({ url: services.mongoUrl, dbName: settings.mongoDb });
  await ensureIndexes(store);
  if (services.pgUrl) await ensurePgIdIndexes(services.pgUrl, settings.mongoDb);
  await migrateKeyedDocs(store, opts.log);
  if (opts.ensureRollups !== false) await ensureRollups(store, opts.log);
  return store;
}

/** How long a document lock outlives a holder that stopped renewing it (a killed worker). */
const DOC_LEASE_MS = 6_000;

/** The store's Redis-held helpers: per-host limits, one writer per shared summary document, the crawl-cursor cache. */
function redisHelpers(store: Store, redis: Redis, settings: Settings, log: Log): HostLimiter {
  // host slots and the one-crawl-per-source lock: renewed while held, as BullMQ renews its job locks, so a crawl
  // longer than lockDurationMs keeps them; a killed worker's free themselves when its jobs are found stalled
  const limiter = new HostLimiter(redis, {
    prefix: `${settings.queue.prefix}:limits`,
    hostConcurrency: settings.worker.hostConcurrency,
    leaseMs: settings.worker.lockDurationMs,
    renewEveryMs: settings.worker.lockDurationMs / 3,
    onLeaseLost: (keys, reason) => log(`lease on ${keys.join(', ')} lost: ${reason}`, { level: 'warn', event: 'lease.lost' }),
    acquireTimeoutMs: settings.worker.lockDurationMs,
  });
  // one writer at a time per shared summary document (FerretDB updates are read-modify-write). The lease is short and
  // renewed while held: a killed worker's locks free themselves within DOC_LEASE_MS, a slow live writer keeps its own.
  const docLocks = new HostLimiter(redis, {
    prefix: `${settings.queue.prefix}:doclocks:${settings.mongoDb}`,
    hostConcurrency: 1,
    leaseMs: DOC_LEASE_MS,
    renewEveryMs: DOC_LEASE_MS / 3,
    onLeaseLost: (keys, reason) =>
      log(`document lock on ${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ' …' : ''} lost: ${reason}`, { level: 'warn', event: 'doclock.lost' }),
    acquireTimeoutMs: 60_000,
    maxPauseMs: 50, // held for a few store round trips: retry soon
  });
  store.docLock = (id) => docLocks.acquire(id, undefined, 1);
  store.cursorCache = redisCursorCache(redis, {
    prefix: `${settings.queue.prefix}:cursors:${settings.mongoDb}`,
    ttlSeconds: settings.worker.cursorCacheSeconds,
  });
  store.docLocks = (ids) => docLocks.acquireAll(ids);
  return limiter;
}

/** What reads the network: the egress guard, the HTTP fetcher, the browser pool and the parse threads. */
function networkAdapters(settings: Settings, log: Log): Pick<Runtime, 'egress' | 'fetcher' | 'browser' | 'parser'> {
  const egress = createEgressGuard(compilePolicy(settings.net));
  const fetcher = createHttpFetcher(settings.fetch, egress, log);
  const passThrough = createPassThrough(
    { timeoutMs: settings.fetch.timeoutMs, maxBytes: settings.fetch.maxBytes, maxRedirects: settings.fetch.maxRedirects },
    egress,
  );
  const browser = createPlaywrightPool({
    executablePath: settings.browser.executablePath,
    egress,
    passThrough,
    pageWallClockMs: settings.browser.pageWallClockMs,
  });
  const { limits } = settings;
  const parser = createParsePool({
    threads: limits.parseThreads,
    timeoutMs: limits.parseTimeoutMs,
    maxDepth: limits.maxHtmlDepth,
    memoryMb: limits.parseMemoryMb,
  });
  return { egress, fetcher, browser, parser };
}

/**
 * Wires the adapters from settings. Without REDIS_URL / MONGO_URL (and no URLs in settings) it starts the embedded
 * local stack first (redis-server + FerretDB under dataDir).
 */
export async function openRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const settings = opts.settings ?? loadSettings(join(opts.configDir, 'settings.yaml'));
  const services = await locateServices(settings, opts.log);
  const { redisUrl, mongoUrl, stack } = services;
  const store = await prepareStore(settings, services, opts);
  const stopStoreMetrics = instrumentStore(store.commandEvents);
  const redis = createRedis(redisUrl, 'worker');
  await redis.ping().catch((err: unknown) => {
    throw new Error(`Redis at ${redactUrl(redisUrl)} is down or unreachable: ${(err as Error).message}`);
  });
  const queue = createCrawlQueue(redis, settings.queue);
  const mediaQueue = createMediaQueue(redis, settings.queue);
  const discoveryQueue = createDiscoveryQueue(redis, settings.queue);
  const recheckQueue = createRecheckQueue(redis, settings.queue);
  const stopQueueMetrics = watchQueueDepth([queue, mediaQueue, discoveryQueue]);
  const feed = new FingerprintFeed(redis, `${settings.queue.prefix}:${settings.queue.name}:fingerprints`);
  const limiter = redisHelpers(store, redis, settings, opts.log);
  const { egress, fetcher, browser, parser } = networkAdapters(settings, opts.log);
  const telegramApi = openTelegramApi(settings, redis);
  const workerConns: Redis[] = [];
  opts.log(`hydrawatch: Redis ${redactUrl(redisUrl)}, MongoDB ${redactUrl(mongoUrl)} (db ${settings.mongoDb})`, {
    event: 'runtime.open',
    redis: redactUrl(redisUrl),
    mongo: redactUrl(mongoUrl),
    db: settings.mongoDb,
  });
  return {
    settings,
    redisUrl,
    mongoUrl,
    store,
    redis,
    queue,
    mediaQueue,
    discoveryQueue,
    recheckQueue,
    onReported: async (c) => void (await scheduleAfterReport(recheckQueue, c, reportingTimes(settings.reporting))),
    handoff: queuedHandoff(mediaQueue, discoveryQueue, redis, logHandoff(opts.log)),
    feed,
    limiter,
    fetcher,
    egress,
    browser,
    parser,
    ...(telegramApi ? { telegramApi } : {}),
    workerConnection() {
      const c = createRedis(redisUrl, 'worker');
      workerConns.push(c);
      return c;
    },
    /** Closes every client in order (each step logged at debug level, a failing one logged and skipped), the embedded stack last. */
    async close() {
      await runShutdownSteps(
        [
          { name: 'metrics watchers', run: () => (stopQueueMetrics(), stopStoreMetrics()) },
          { name: 'browser', run: () => browser.close() },
          { name: 'Telegram API client', run: () => telegramApi?.close() },
          { name: 'parse threads', run: () => parser.close() },
          { name: 'crawl queue', run: () => queue.close() },
          { name: 'media queue', run: () => mediaQueue.close() },
          { name: 'discovery queue', run: () => discoveryQueue.close() },
          { name: 're-check queue', run: () => recheckQueue.close() },
          { name: 'worker Redis connections', run: () => Promise.all(workerConns.map((c) => closeRedis(c))).then(() => undefined) },
          { name: 'Redis connection', run: () => closeRedis(redis) },
          { name: 'store', run: () => store.close() },
          { name: 'egress', run: () => egress.close() },
          { name: 'embedded stack', run: () => stack?.stop() },
        ],
        opts.log,
      );
    },
  };
}
