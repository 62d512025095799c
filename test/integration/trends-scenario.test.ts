import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { hashToken } from '../../src/api/auth';
import { buildApi, type Api } from '../../src/api/server';
import { defaultCrawlers } from '../../src/app/crawler-registry';
import { openRuntime, type Runtime } from '../../src/app/runtime';
import { sourceSchema, type Source } from '../../src/config/schema';
import { MediaMatcher } from '../../src/media/media-matcher';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { syncSourcesToStore } from '../../src/pipeline/sync-sources';
import { listAutoSources } from '../../src/store/repos/auto-sources';
import { loadScenario } from '../../src/simulator/scenario';
import { startSimulator, type SimulatorHandle } from '../../src/simulator/server';
import { testSettings } from '../support/pipeline-harness';
import { listenOnFreePort } from '../support/listen';
import { storeDb } from '../../src/store/db-handle';

const TOKEN = 'researcher-token-trends-0123456789';

/**
 * Trend figures checked end to end against a simulator scenario whose answers are known: the simulator and the
 * crawl share one driven clock, the real pipeline crawls (Redis, FerretDB), and the numbers are read through the API.
 */
describe('trend figures from a crawled scenario', () => {
  let now = new Date('2026-11-03T12:00:00Z');
  let sim: SimulatorHandle;
  let rt: Runtime;
  let deps: PipelineDeps;
  let api: Api;
  let base = '';
  let n = 0;

  const source = (handle: string, id: string, tags: string[]): Source =>
    sourceSchema.parse({
      id,
      platform: 'telegram',
      handle,
      schedule: '*/5 * * * *',
      tags,
      rateLimit: { requests: 1000, perSeconds: 1 },
      options: { baseUrl: sim.url, backfillPages: 2 },
    });
  const crawl = async (s: Source): Promise<void> => {
    await runCrawl(deps, s, { jobId: `trend-${n++}`, attempt: 1 });
  };
  const get = async (path: string): Promise<any> => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();

  beforeAll(async () => {
    sim = await startSimulator({ scenario: loadScenario(resolve(__dirname, '../../config/scenarios/trends-test.yaml')), clock: () => now });
    const settings = testSettings({ resurface: { reprobeMinutes: 0.0001, maxVariants: 40, autoWatch: true } });
    const configDir = mkdtempSync(join(tmpdir(), 'hw-trends-'));
    writeFileSync(join(configDir, 'settings.yaml'), stringify(settings));
    rt = await openRuntime({ configDir, settings, log: () => undefined });
    deps = {
      store: rt.store,
      crawlers: defaultCrawlers,
      fetcher: rt.fetcher,
      limiter: rt.limiter,
      settings,
      matcher: new MediaMatcher(rt.store, rt.feed, { minQuality: 50 }),
      now: () => now,
    };
    api = await buildApi({
      store: rt.store,
      settings,
      tokens: [{ name: 'r', role: 'researcher', sha256: hashToken(TOKEN) }],
      sourcesPath: join(configDir, 'sources.yaml'),
      settingsPath: join(configDir, 'settings.yaml'),
    });
    base = await listenOnFreePort(api);

    const alpha = source('sim_trend_alpha', 'trend-alpha', ['net-a']);
    const beta = source('sim_trend_beta', 'trend-beta', ['net-b']);
    await syncSourcesToStore(rt.store, [alpha, beta]);
    // Nov 3, 12:00: both channels first seen; their posts of Nov 2 and 3 are backfilled
    await crawl(alpha);
    await crawl(beta);
    // Nov 4, 12:00: alpha is removed (time-to-takedown 24 h)
    now = new Date('2026-11-04T12:00:00Z');
    sim.advanceTo(1);
    await crawl(alpha);
    // Nov 4, 18:00: the successor appears with its first posts; the successor search finds it (delay 6 h)
    now = new Date('2026-11-04T18:00:00Z');
    sim.advanceTo(2);
    await crawl(alpha);
    // Nov 4, 19:00: the successor, auto-watched with the predecessor's tags, is crawled
    now = new Date('2026-11-04T19:00:00Z');
    const auto = await listAutoSources(rt.store);
    expect(auto.map((a) => a.source.handle)).toEqual(['sim_trend_alpha_backup']);
    await syncSourcesToStore(rt.store, [alpha, beta, ...auto.map((a) => a.source)]);
    for (const a of auto) await crawl(a.source);
    // Nov 10, 09:00: beta posts again
    now = new Date('2026-11-10T09:00:00Z');
    sim.advanceTo(3);
    await crawl(beta);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    if (rt)
      await storeDb(rt.store)
        .dropDatabase()
        .catch(() => undefined);
    await rt?.close();
    await sim?.close();
  });

  it('posts per day, by language and by tag', async () => {
    const day = await get('/api/v1/trends/posts?period=day');
    expect(Object.fromEntries(day.rows.map((r: { period: string; posts: number }) => [r.period, r.posts]))).toEqual({
      '2026-11-02': 5,
      '2026-11-03': 2,
      '2026-11-04': 2,
      '2026-11-10': 1,
    });
    const lang = await get('/api/v1/trends/posts?period=week&by=lang');
    expect(lang.rows).toEqual([
      { period: '2026-W45', key: 'arb', posts: 2 },
      { period: '2026-W45', key: 'eng', posts: 7 },
      { period: '2026-W46', key: 'arb', posts: 1 },
    ]);
    const tag = await get('/api/v1/trends/posts?period=week&by=tag');
    expect(tag.rows).toEqual([
      { period: '2026-W45', key: 'auto-successor', posts: 2 }, // autoWatch marks the successor's source
      { period: '2026-W45', key: 'net-a', posts: 7 },
      { period: '2026-W45', key: 'net-b', posts: 2 },
      { period: '2026-W46', key: 'net-b', posts: 1 },
    ]);
  });

  it('takedowns, resurfacings, their delays and the hydra index', async () => {
    const ev = await get('/api/v1/trends/events?period=day&types=removed,resurfaced');
    expect(ev.rows).toEqual([
      { period: '2026-11-04', type: 'removed', count: 1 },
      { period: '2026-11-04', type: 'resurfaced', count: 1 },
    ]);
    expect((await get('/api/v1/trends/time-to-takedown')).distribution).toMatchObject({ count: 1, p50: 24, max: 24 });
    expect((await get('/api/v1/trends/resurfacing-delay')).distribution).toMatchObject({ count: 1, p50: 6 });
    expect(await get('/api/v1/trends/hydra')).toMatchObject({ takedowns: 1, successors: 1, successorsPerTakedown: 1, chainLengths: { count: 1, max: 2 } });
    const lineage = await get('/api/v1/lineage');
    expect(lineage.edges.map((e: { source: string; target: string }) => `${e.source}>${e.target}`)).toEqual(['tg:1720000001>tg:1720000009']);
  });

  it('media spread: the re-uploaded picture reaches the successor after the takedown', async () => {
    const top = await get('/api/v1/trends/top-clusters');
    expect(top.clusters[0]).toMatchObject({ channels: 2, sightings: 2, afterTakedown: 1, originChannelKey: 'tg:1720000001' });
    const spread = await get(`/api/v1/trends/media-spread?period=day&cluster=${top.clusters[0].clusterId}`);
    expect(spread.clusters[0].series).toEqual([
      { period: '2026-11-02', sightings: 1, newChannels: 1, channels: 1, afterTakedown: 0 }, // sightings are dated by the post
      { period: '2026-11-04', sightings: 1, newChannels: 1, channels: 2, afterTakedown: 1 },
    ]);
  });

  it('the forward and link network', async () => {
    const g = await get('/api/v1/network');
    expect(
      g.edges.map((e: { source: string; target: string; kind: string; weight: number }) => `${e.source}>${e.target}:${e.kind}:${e.weight}`).sort(),
    ).toEqual(['tg:1720000002>tg:1720000001:forward:1', 'tg:1720000002>tg:1720000001:link:1']);
  });
});
