/**
 * History bench (issue 8, item 5): a large synthetic history loaded straight into a fresh embedded store (FerretDB on
 * PostgreSQL with the _id GIN indexes, as `hydrawatch run` starts it; `--sqlite` for the SQLite back end, or
 * MONGO_URL), then the trend routes timed (p50/p95 over repeated calls) next to the same on a small database.
 *   npm run bench:history -- [--posts 1000000] [--media 200000] [--sigs 1000000] [--channels 1000] [--days 180]
 *                            [--reps 15] [--small 10000] [--batch 2000] [--scan] [--sqlite]
 * Starts its own throw-away stack in a temporary directory (ports 6595 / 27595). The routes are timed by calling the research functions the API handlers call (no HTTP).
 * Every name and text is generated.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { timeBuckets } from '../src/core/time-buckets';
import type { MediaClusterDoc, MediaItemDoc, SightingDoc, TextSigDoc } from '../src/media/types';
import { percentile } from '../src/research/percentiles';
import { channelTimeline, eventsPer, hydraIndex, mediaSpread, postsPer, postsPerScan, timeToTakedown, topClusters } from '../src/research/trends';
import { rebuildPostRollupsFrom } from '../src/store/post-rollups';
import { ensureRollups } from '../src/store/rollups';
import { dropDayDocCaches } from '../src/store/day-doc-cache';
import { rebuildSightingRollupsFrom } from '../src/store/sighting-rollups';
import { startLocalStack } from '../src/stack/local-stack';
import { ensurePgIdIndexes } from '../src/store/pg-id-index';
import { ensureIndexes, openStore, type Store } from '../src/store/store';
import type { ChannelDoc, EventDoc } from '../src/store/repos/channels';
import type { PostDoc } from '../src/store/repos/posts';
import type { SourceDoc } from '../src/store/repos/crawl-state';
import { storeDb } from '../src/store/db-handle';

export interface HistorySize {
  posts: number;
  media: number;
  sigs: number;
  channels: number;
  days: number;
}

export interface Timing {
  name: string;
  p50: number;
  p95: number;
  reps: number;
  /** The first call, with no day document cached in the process (dropped before each route). */
  first?: number;
}

/**
 * HOOK for more timings on the loaded databases (the lead's "check with no new post" and "intake of a new post with
 * a photo"): called once with the small and once with the large store after the trend routes; whatever it returns
 * is printed in the same side-by-side table. Leave the store as it was (or accept that the trend rows shift).
 */
export async function extraHistoryTimings(store: Store, label: 'small' | 'large', size: HistorySize): Promise<Timing[]> {
  void store;
  void label;
  void size;
  return [];
}

const END = Date.parse('2026-11-28T00:00:00Z');
const DAY = 86400_000;
const LANGS = ['arb', 'arb', 'arb', 'eng', 'eng', 'rus', 'fra'];

/** Deterministic 32-bit hash (so both databases get the same shapes for the same index). */
function h32(n: number): number {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}
const hex = (n: number, len: number): string => {
  let s = '';
  for (let i = 0; s.length < len; i++)
    s += h32(n * 31 + i)
      .toString(16)
      .padStart(8, '0');
  return s.slice(0, len);
};

const chKey = (c: number): string => `tg:${1_500_000_000 + c}`;
const tagsOf = (c: number): string[] => (c % 7 === 0 ? [`net-${c % 10}`, 'watch'] : [`net-${c % 10}`]);

/** Post i of a history of n posts: chronological over `days` days, spread over `channels` channels (a few busy). */
export function synthPost(i: number, s: HistorySize): PostDoc {
  const r = h32(i);
  const c = r % 4 === 0 ? r % Math.max(1, Math.floor(s.channels / 20)) : r % s.channels; // a quarter of posts in 5% of channels
  const at = new Date(END - s.days * DAY + Math.floor((i / s.posts) * s.days * DAY) + (r % 600_000));
  const ch = chKey(c);
  const photo = i % 5 === 0;
  return {
    _id: `${ch}:${i}`,
    channelKey: ch,
    postId: String(i),
    sourceId: `s-${c}`,
    platform: 'telegram',
    handle: `synth_${c}`,
    url: `https://t.me/synth_${c}/${i}`,
    publishedAt: at,
    at,
    text: `generated post ${i} of synthetic channel ${c}: ${hex(i, 48)} lorem ipsum ${r % 997}`,
    lang: LANGS[r % LANGS.length] as string,
    links: r % 9 === 0 ? [`https://example.org/${r % 1000}`] : [],
    hashtags: [],
    mentions: [],
    views: r % 50_000,
    media: photo ? [{ kind: 'photo', url: `https://cdn.example.org/${hex(i, 16)}.jpg` }] : [],
    tags: tagsOf(c),
    firstSeenAt: at,
    lastSeenAt: at,
    buckets: timeBuckets(at),
  };
}

/** Media item j belongs to photo post 5j; one item in five re-uploads an earlier cluster. */
export function synthMedia(j: number, s: HistorySize): { item: MediaItemDoc; sighting: SightingDoc; cluster?: MediaClusterDoc } {
  const p = synthPost(Math.min(s.posts - 1, j * 5), s);
  const reupload = j > 10 && h32(j) % 5 === 0;
  const origin = reupload ? h32(j + 7) % Math.floor(j / 10) : j; // earlier items, skewed to the first ones
  const clusterId = `mc:${hex(origin, 12)}`;
  const sha = hex(j + 1_000_000_000, 64);
  const item: MediaItemDoc = {
    _id: `sha256:${sha}`,
    sha256: sha,
    md5: hex(j + 2_000_000_000, 32),
    bytes: 40_000 + (h32(j) % 200_000),
    contentType: 'image/jpeg',
    kind: 'image',
    width: 1280,
    height: 720,
    pdq: hex(j + 3_000_000_000, 64),
    quality: 100,
    clusterId,
    firstSeenAt: p.at,
    indexedAt: p.at,
  };
  const sighting: SightingDoc = {
    _id: `${p._id}:m0`,
    clusterId,
    mediaId: item._id,
    channelKey: p.channelKey,
    sourceId: p.sourceId,
    postKey: p._id,
    at: p.at,
    buckets: p.buckets,
    matchedVia: reupload ? 'pdq' : 'new',
    distance: reupload ? 10 : 0,
    afterOriginRemoved: reupload && h32(j) % 3 === 0,
  };
  const cluster = reupload
    ? undefined
    : { _id: clusterId, kind: 'image' as const, firstMediaId: item._id, originChannelKey: p.channelKey, originPostKey: p._id, firstSeenAt: p.at };
  return { item, sighting, ...(cluster ? { cluster } : {}) };
}

export function synthTextSig(i: number, s: HistorySize): TextSigDoc {
  const p = synthPost(i, s);
  const sig = Array.from({ length: 64 }, (_, k) => h32(i * 64 + k));
  const bands = Array.from({ length: 16 }, (_, b) => `${b}:${hex(i * 16 + b, 8)}`);
  return { _id: p._id, channelKey: p.channelKey, sig, bands, clusterId: `tc:${p._id}`, at: p.at, indexedAt: p.at };
}

function synthChannels(s: HistorySize): { sources: SourceDoc[]; channels: ChannelDoc[]; events: EventDoc[] } {
  const sources: SourceDoc[] = [];
  const channels: ChannelDoc[] = [];
  const events: EventDoc[] = [];
  const start = END - s.days * DAY;
  const ev = (c: number, type: EventDoc['type'], at: number, data: Record<string, unknown> = {}): EventDoc => {
    const when = new Date(at);
    return {
      _id: `${chKey(c)}:${type}:${when.toISOString()}`,
      channelKey: chKey(c),
      sourceId: `s-${c}`,
      platform: 'telegram',
      type,
      at: when,
      buckets: timeBuckets(when),
      handle: `synth_${c}`,
      data,
    };
  };
  for (let c = 0; c < s.channels; c++) {
    const first = start + (h32(c) % (s.days * DAY)) / 4;
    const removed = c % 10 === 3 ? first + DAY + (h32(c + 1) % (s.days * DAY)) / 2 : undefined;
    sources.push({
      _id: `s-${c}`,
      platform: 'telegram',
      config: { id: `s-${c}`, handle: `synth_${c}` },
      configHash: hex(c, 8),
      tags: tagsOf(c),
      updatedAt: new Date(start),
    });
    channels.push({
      _id: chKey(c),
      handle: `synth_${c}`,
      handles: [`synth_${c}`],
      status: removed ? 'removed' : 'active',
      firstSeenAt: new Date(first),
      platform: 'telegram',
      sourceIds: [`s-${c}`],
      lastCheckedAt: new Date(END),
      title: `Synthetic ${c}`,
    } as ChannelDoc);
    events.push(ev(c, 'first_seen', first));
    if (removed) {
      events.push(ev(c, 'removed', removed, { timeToTakedownMs: removed - first }));
      if (c + 1 < s.channels)
        events.push(ev(c + 1, 'resurfaced', removed + 3 * 3600_000, { delayMs: 3 * 3600_000, predecessor: chKey(c), lineage: [chKey(c), chKey(c + 1)] }));
    }
  }
  return { sources, channels, events };
}

async function insertAll<T extends { _id: string }>(
  label: string,
  store: Store,
  coll: string,
  n: number,
  make: (i: number) => T | undefined,
  batch: number,
  log: (s: string) => void,
): Promise<number> {
  const c = storeDb(store).collection<T>(coll);
  const t0 = performance.now();
  let docs: T[] = [];
  let done = 0;
  let lastLog = t0;
  for (let i = 0; i < n; i++) {
    const d = make(i);
    if (d) docs.push(d);
    if (docs.length >= batch || i === n - 1) {
      if (docs.length) await c.insertMany(docs as never, { ordered: false });
      done += docs.length;
      docs = [];
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(`  ${label}: ${done}/${n} (${Math.round(done / ((lastLog - t0) / 1000))}/s)`);
      }
    }
  }
  const rate = done / ((performance.now() - t0) / 1000);
  log(`  ${label}: ${done} docs at ${Math.round(rate)} docs/s`);
  return rate;
}

export interface LoadReport {
  rates: Record<string, number>;
  rebuildMs: number;
  loadMs: number;
}

/** Loads a synthetic history with bulk inserts, then its post rollups (through the real rebuild). */
export async function loadHistory(store: Store, s: HistorySize, batch: number, log: (s: string) => void): Promise<LoadReport> {
  const t0 = performance.now();
  await ensureIndexes(store);
  const meta = synthChannels(s);
  await store.sources.insertMany(meta.sources);
  await store.channels.insertMany(meta.channels);
  await store.events.insertMany(meta.events);
  const rates: Record<string, number> = {};
  rates.posts = await insertAll('posts', store, 'posts', s.posts, (i) => synthPost(i, s), batch, log);
  const media = Math.min(s.media, Math.floor((s.posts - 1) / 5) + 1);
  rates.media_items = await insertAll('media_items', store, 'media_items', media, (j) => synthMedia(j, s).item, batch, log);
  rates.sightings = await insertAll('sightings', store, 'sightings', media, (j) => synthMedia(j, s).sighting, batch, log);
  await insertAll('media_clusters', store, 'media_clusters', media, (j) => synthMedia(j, s).cluster, batch, log);
  rates.text_signatures = await insertAll(
    'text_signatures',
    store,
    'text_signatures',
    Math.min(s.sigs, s.posts),
    (i) => synthTextSig(i, s),
    Math.max(200, Math.floor(batch / 4)),
    log,
  );
  // the rollups, through the rebuild's writer, fed from the same synthetic posts (a scan of `posts` costs the same
  // writes plus reading every post back: `hydrawatch rollups rebuild` on a loaded database)
  const rb = await rebuildPostRollupsFrom(
    store,
    (function* () {
      for (let i = 0; i < s.posts; i++) yield synthPost(i, s);
    })(),
    { log: (l) => log(`  ${l}`) },
  );
  const sr = await rebuildSightingRollupsFrom(
    store,
    (function* () {
      for (let j = 0; j < media; j++) yield synthMedia(j, s).sighting;
    })(),
    (l) => log(`  ${l}`),
  );
  return { rates, rebuildMs: rb.ms + sr.ms, loadMs: performance.now() - t0 };
}

/** The trend routes, as the API calls them, with a few filters. */
export function trendRoutes(s: HistorySize): Array<{ name: string; run: (store: Store) => Promise<unknown> }> {
  const last = new Date(END);
  const d = (n: number): Date => new Date(END - n * DAY);
  const busy = chKey(1);
  return [
    { name: 'posts day/total', run: (st) => postsPer(st, 'day', 'total') },
    { name: 'posts week/channel', run: (st) => postsPer(st, 'week', 'channel') },
    { name: 'posts day/tag 30 days', run: (st) => postsPer(st, 'day', 'tag', { from: d(30), to: last }) },
    {
      name: 'posts day/lang tag+lang, 7 d ISO times',
      run: (st) =>
        postsPer(st, 'day', 'lang', {
          from: new Date(d(7).getTime() + 5 * 3600_000),
          to: new Date(last.getTime() - 7 * 3600_000),
          tags: ['net-3', 'watch'],
          langs: ['arb', 'eng'],
        }),
    },
    { name: 'posts week/channel, 2 channels', run: (st) => postsPer(st, 'week', 'channel', { channels: [busy, chKey(Math.min(s.channels - 1, 500))] }) },
    { name: 'channel timeline (busy channel)', run: (st) => channelTimeline(st, busy) },
    { name: 'events per week', run: (st) => eventsPer(st, 'week') },
    { name: 'time-to-takedown', run: (st) => timeToTakedown(st) },
    { name: 'hydra index', run: (st) => hydraIndex(st) },
    { name: 'top clusters (20)', run: (st) => topClusters(st, 20) },
    { name: 'media spread (top 10, week)', run: (st) => mediaSpread(st, 'week') },
    { name: 'media spread, 30 days, tag', run: (st) => mediaSpread(st, 'day', { from: d(30), to: last, tags: ['net-3'] }) },
  ];
}

async function timeIt(name: string, reps: number, fn: () => Promise<unknown>, budgetMs: number): Promise<Timing> {
  const f0 = performance.now();
  await fn(); // warm-up
  const first = performance.now() - f0;
  const ms: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const a = performance.now();
    await fn();
    ms.push(performance.now() - a);
    if (performance.now() - t0 > budgetMs && ms.length >= 3) break;
  }
  ms.sort((a, b) => a - b);
  return { name, p50: percentile(ms, 50) ?? 0, p95: percentile(ms, 95) ?? 0, reps: ms.length, first };
}

export async function timeRoutes(store: Store, s: HistorySize, reps: number, log: (s: string) => void, scan: boolean): Promise<Timing[]> {
  const out: Timing[] = [];
  for (const r of trendRoutes(s)) {
    dropDayDocCaches(store); // each route's first call reads every day it needs (uncached)
    const t = await timeIt(r.name, reps, () => r.run(store), 60_000);
    log(`  ${r.name}: first ${(t.first ?? NaN).toFixed(0)} ms, then p50 ${t.p50.toFixed(0)} ms, p95 ${t.p95.toFixed(0)} ms (${t.reps} runs)`);
    out.push(t);
  }
  if (scan) out.push(await timeIt('(reference: posts day/total by $group on posts)', 1, () => postsPerScan(store, 'day', 'total'), 0));
  return out;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function startFerret(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const root = resolve(__dirname, '..', '..');
  const bin = execFileSync('bash', [join(root, 'scripts/build-ferretdb.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const port = await freePort();
  const child = spawn(bin, ['--listen-addr', `127.0.0.1:${port}`, '--data-dir', join(dir, 'ferretdb')], { stdio: 'ignore' });
  const url = `mongodb://127.0.0.1:${port}/`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited with code ${child.exitCode} at start`);
    try {
      const s = await openStore({ url, dbName: 'ping', connectTimeoutMs: 500 });
      await s.close();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((res) => {
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name}: not a number: ${process.argv[i + 1]}`);
  return v;
}

async function main(): Promise<void> {
  const large: HistorySize = {
    posts: arg('posts', 1_000_000),
    media: arg('media', 200_000),
    sigs: arg('sigs', 1_000_000),
    channels: arg('channels', 1000),
    days: arg('days', 180),
  };
  const smallPosts = arg('small', 10_000);
  const small: HistorySize = { ...large, posts: smallPosts, media: Math.round(smallPosts / 5), sigs: smallPosts };
  const reps = arg('reps', 15);
  const batch = arg('batch', 2000);
  const log = (l: string): void => console.log(`${new Date().toISOString().slice(11, 19)} ${l}`);
  const dir = mkdtempSync(join(tmpdir(), 'hw-history-'));
  // the embedded store (FerretDB on PostgreSQL, with the _id GIN indexes) unless --sqlite or MONGO_URL
  const sqlite = process.argv.includes('--sqlite');
  const stack =
    process.env.MONGO_URL || sqlite
      ? undefined
      : await startLocalStack({ dataDir: dir, repoRoot: resolve(__dirname, '..', '..'), redisPort: 6595, mongoPort: 27595 });
  const ferret = process.env.MONGO_URL
    ? { url: process.env.MONGO_URL, stop: async () => undefined }
    : stack
      ? { url: stack.mongoUrl, stop: () => stack.stop() }
      : await startFerret(dir);
  const pgUrl = process.env.HYDRAWATCH_PG_URL ?? stack?.postgresUrl;
  log(`${stack ? 'FerretDB on PostgreSQL' : process.env.MONGO_URL ? 'MONGO_URL' : 'FerretDB (SQLite)'} at ${ferret.url}, data in ${dir}`);
  try {
    const results: Record<'small' | 'large', { size: HistorySize; load: LoadReport; timings: Timing[] }> = {} as never;
    for (const [label, size] of [
      ['small', small],
      ['large', large],
    ] as const) {
      const store = await openStore({ url: ferret.url, dbName: `history_${label}` });
      try {
        log(`${label}: loading ${JSON.stringify(size)}`);
        const load = await loadHistory(store, size, batch, log);
        if (pgUrl) await ensurePgIdIndexes(pgUrl, `history_${label}`, 1_800_000);
        await ensureRollups(store); // as every process start does (the day documents' versions, once)
        log(`${label}: loaded in ${(load.loadMs / 1000).toFixed(0)} s (rollups written in ${(load.rebuildMs / 1000).toFixed(1)} s); timing the trend routes`);
        const timings = await timeRoutes(store, size, reps, log, label === 'small' || process.argv.includes('--scan'));
        timings.push(...(await extraHistoryTimings(store, label, size)));
        results[label] = { size, load, timings };
      } finally {
        await store.close();
      }
    }
    const fmt = (t?: Timing): string =>
      t
        ? `${(t.first === undefined ? '–' : t.first.toFixed(0)).padStart(6)} ${t.p50.toFixed(0).padStart(6)} ${t.p95.toFixed(0).padStart(6)}`
        : '     –      –      –';
    const s = results.small;
    const l = results.large;
    console.log('');
    console.log(
      `history bench, ${stack ? 'embedded FerretDB 1.24 on PostgreSQL' : process.env.MONGO_URL ? 'MONGO_URL' : 'FerretDB 1.24 (SQLite)'}, ${l.size.channels} channels over ${l.size.days} days; times in ms`,
    );
    console.log(`${'route'.padEnd(50)} ${`small: ${s.size.posts} posts`.padStart(20)}  ${`large: ${l.size.posts} posts`.padStart(20)}`);
    console.log(
      `${''.padEnd(50)} ${'first'.padStart(6)} ${'p50'.padStart(6)} ${'p95'.padStart(6)}  ${'first'.padStart(6)} ${'p50'.padStart(6)} ${'p95'.padStart(6)}`,
    );
    const names = [...new Set([...l.timings, ...s.timings].map((t) => t.name))];
    for (const n of names) console.log(`${n.padEnd(50)} ${fmt(s.timings.find((x) => x.name === n))}  ${fmt(l.timings.find((x) => x.name === n))}`);
    console.log('');
    console.log(
      `load rates (docs/s), large: ${Object.entries(l.load.rates)
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(', ')}`,
    );
    console.log(`("–": not run; the reference scan runs on the large database with --scan; "first": a route's first call, p50/p95 of the calls after it)`);
    console.log(
      `load time: small ${(s.load.loadMs / 1000).toFixed(0)} s, large ${(l.load.loadMs / 1000).toFixed(0)} s; rollups written: small ${(s.load.rebuildMs / 1000).toFixed(1)} s, large ${(l.load.rebuildMs / 1000).toFixed(1)} s`,
    );
  } finally {
    await ferret.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
