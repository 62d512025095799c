import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { settingsSchema, type Settings } from '../../src/config/schema';
import { openRuntime, type Runtime } from '../../src/app/runtime';
import { loadScenario } from '../../src/simulator/scenario';
import { startSimulator, type SimulatorHandle } from '../../src/simulator/server';
import { mongoUrl, redisUrl, uniqueName } from './services';
import { TEST_NET_ALLOW } from './egress';
import { defaultCrawlers } from '../../src/app/crawler-registry';
import { MediaMatcher } from '../../src/media/media-matcher';
import type { PipelineDeps } from '../../src/pipeline/crawl-source';
import { storeDb } from '../../src/store/db-handle';

export interface Harness {
  sim: SimulatorHandle;
  rt: Runtime;
  settings: Settings;
  configDir: string;
  logs: string[];
  writeSources(sources: unknown[]): void;
  close(): Promise<void>;
}

export function testSettings(overrides: Record<string, unknown> = {}): Settings {
  return settingsSchema.parse({
    redisUrl: redisUrl(),
    mongoUrl: mongoUrl(),
    mongoDb: uniqueName('hwtest'),
    queue: { name: uniqueName('crawl'), prefix: 'hwtest', attempts: 3, backoffBaseMs: 200, backoffMaxMs: 2000 },
    worker: { concurrency: 2, hostConcurrency: 2, lockDurationMs: 3000, stalledIntervalMs: 1000 },
    scheduler: { jitterSeconds: 0, startupSpreadSeconds: 0, reloadPollSeconds: 0.3 },
    fetch: { timeoutMs: 5000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5, userAgent: 'hydrawatch-test' },
    // The simulator and fixture servers are on loopback, which production refuses: allow it explicitly.
    net: { allow: [...TEST_NET_ALLOW] },
    ...overrides,
  });
}

export async function startHarness(scenarioFile = 'pipeline-test.yaml', overrides: Record<string, unknown> = {}): Promise<Harness> {
  const scenario = loadScenario(resolve(__dirname, '../../config/scenarios', scenarioFile));
  const sim = await startSimulator({ scenario });
  const settings = testSettings(overrides);
  const configDir = mkdtempSync(join(tmpdir(), 'hw-config-'));
  writeFileSync(join(configDir, 'settings.yaml'), stringify(settings));
  const logs: string[] = [];
  const rt = await openRuntime({ configDir, settings, log: (l) => logs.push(l) });
  return {
    sim,
    rt,
    settings,
    configDir,
    logs,
    writeSources(sources) {
      writeFileSync(join(configDir, 'sources.yaml'), stringify({ sources }));
    },
    async close() {
      await rt.queue.obliterate({ force: true }).catch(() => undefined);
      await storeDb(rt.store)
        .dropDatabase()
        .catch(() => undefined);
      await rt.close();
      await sim.close();
    },
  };
}

export function tgSource(sim: SimulatorHandle, id: string, handle: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    platform: 'telegram',
    handle,
    schedule: '*/2 * * * * *',
    tags: ['test'],
    rateLimit: { requests: 50, perSeconds: 1 },
    options: { baseUrl: sim.url, backfillPages: 3 },
    ...extra,
  };
}

/** The crawl pipeline's dependencies on a harness's runtime (the real crawlers, fetcher, limits and matcher). */
export function harnessDeps(h: Harness, overrides: Partial<PipelineDeps> = {}): PipelineDeps {
  return {
    store: h.rt.store,
    crawlers: defaultCrawlers,
    fetcher: h.rt.fetcher,
    limiter: h.rt.limiter,
    settings: h.rt.settings,
    matcher: new MediaMatcher(h.rt.store, h.rt.feed, { minQuality: 50 }),
    ...overrides,
  };
}
