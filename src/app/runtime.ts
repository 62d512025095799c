import type { Redis } from 'ioredis';
import { join } from 'node:path';
import type { Settings } from '../config/schema';
import { loadSettings } from '../config/load-settings';
import { createHttpFetcher } from '../net/http-fetcher';
import type { Fetcher } from '../net/fetcher';
import type { BrowserPool } from '../net/browser-pool';
import { createPlaywrightPool } from '../net/playwright-pool';
import { createRedis, redactUrl } from '../queue/connection';
import { createCrawlQueue, type CrawlQueue } from '../queue/crawl-queue';
import { HostLimiter } from '../queue/host-limiter';
import { startLocalStack, type LocalStack } from '../stack/local-stack';
import { ensureIndexes, openStore, type Store } from '../store/store';
import { ensureRollups } from '../store/rollups';
import { repoRoot } from './runtime-settings';

export type Log = (line: string) => void;

export interface Runtime {
  settings: Settings;
  redisUrl: string;
  mongoUrl: string;
  store: Store;
  /** Producer connection (queue, limiter). */
  redis: Redis;
  queue: CrawlQueue;
  limiter: HostLimiter;
  fetcher: Fetcher;
  browser: BrowserPool;
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

/**
 * Wires the adapters from settings. Without REDIS_URL / MONGO_URL (and no URLs in settings) it starts the embedded
 * local stack first (redis-server + FerretDB under dataDir).
 */
export async function openRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const settings = opts.settings ?? loadSettings(join(opts.configDir, 'settings.yaml'));
  let stack: LocalStack | undefined;
  let redisUrl = settings.redisUrl;
  let mongoUrl = settings.mongoUrl;
  if (!redisUrl || !mongoUrl) {
    stack = await startLocalStack({ dataDir: settings.dataDir, repoRoot: repoRoot(), log: opts.log });
    redisUrl ??= stack.redisUrl;
    mongoUrl ??= stack.mongoUrl;
  }
  const store = await openStore({ url: mongoUrl, dbName: settings.mongoDb });
  await ensureIndexes(store);
  if (opts.ensureRollups !== false) await ensureRollups(store, opts.log); // once per database: the rollups the trend routes read
  const redis = createRedis(redisUrl, 'worker');
  await redis.ping().catch((err: unknown) => {
    throw new Error(`Redis at ${redactUrl(redisUrl as string)} is down or unreachable: ${(err as Error).message}`);
  });
  const queue = createCrawlQueue(redis, settings.queue);
  const limiter = new HostLimiter(redis, {
    prefix: `${settings.queue.prefix}:limits`,
    hostConcurrency: settings.worker.hostConcurrency,
    leaseMs: settings.worker.lockDurationMs,
    acquireTimeoutMs: settings.worker.lockDurationMs,
  });
  const fetcher = createHttpFetcher(settings.fetch);
  const browser = createPlaywrightPool({ executablePath: settings.browser.executablePath });
  const workerConns: Redis[] = [];
  opts.log(`hydrawatch: Redis ${redactUrl(redisUrl)}, MongoDB ${redactUrl(mongoUrl)} (db ${settings.mongoDb})`);
  return {
    settings,
    redisUrl,
    mongoUrl,
    store,
    redis,
    queue,
    limiter,
    fetcher,
    browser,
    workerConnection() {
      const c = createRedis(redisUrl as string, 'worker');
      workerConns.push(c);
      return c;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await queue.close().catch(() => undefined);
      await Promise.all(workerConns.map((c) => c.quit().catch(() => undefined)));
      await redis.quit().catch(() => undefined);
      await store.close().catch(() => undefined);
      await stack?.stop();
    },
  };
}
