import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { z } from 'zod';
import type { Store } from '../store/store';
import { csvField, formatTable, tableCells, tableHeaders, toGexf } from '../research/export-formats';
import { exportTimeline } from '../research/export';
import { channelNetwork, lineageGraph } from '../research/graphs';
import { listPage, LISTABLE, type ExtraFilter, type Listable } from '../research/listings';
import { csvList, QueryInputError, timelineFilterFields, toTimelineFilter } from '../research/query-filter';
import { crossPlatformSpread, takedownsByPlatform, viewVelocity } from '../research/video-trends';
import { PLATFORMS } from '../config/schema';
import { eventsPer, hydraIndex, mediaSpread, postsPer, resurfacingDelay, timeToTakedown, topClusters, TREND_EVENT_TYPES } from '../research/trends';
import type { EventDoc } from '../store/repos/channels';

export const QUERY_USAGE = `usage: hydrawatch query <what> [filters] [--format table|csv|ndjson|json|gexf] [--out FILE]
  posts | events | sightings | alerts      timelines (table: the latest --limit rows; csv/ndjson: every row, streamed)
  trends posts [--period day|week] [--by total|channel|tag|lang]
  trends events [--period day|week] [--types first_seen,removed,resurfaced]
  trends takedown-time | resurfacing-delay | hydra
  trends view-velocity [--by post|channel] [--platform youtube|archive|…] | takedowns-by-platform
  trends cross-platform [--cluster ID,ID] [--top N]
  trends media-spread [--period day|week] [--cluster ID,ID] [--top N]
  clusters [--limit N]                    top re-uploaded media clusters
  network | lineage                       channel network / resurfacing lineage (--format gexf for Gephi)
filters: --from 2026-11-01 --to 2026-11-30 --tag a,b --lang arb --source id --channel tg:123,@handle
         --type (events) --kind --status (alerts) --cluster --after-takedown (sightings) --limit N (table)
Long exports to --out show progress on stderr.`;

export interface QueryIo {
  out(s: string): void;
  err(s: string): void;
  /** Raw writes to stdout (streamed exports). */
  write(chunk: string): Promise<void>;
  isTty: boolean;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new QueryInputError(`--${name} needs a value`);
  return v;
}

const KNOWN_FLAGS = new Set([
  'from',
  'to',
  'tag',
  'lang',
  'source',
  'channel',
  'format',
  'out',
  'limit',
  'period',
  'by',
  'types',
  'type',
  'kind',
  'status',
  'cluster',
  'top',
  'after-takedown',
  'config',
  'platform',
]);
const BOOL_FLAGS = new Set(['after-takedown']);

/** Rejects unknown --flags so a typo is not silently ignored. */
function checkFlags(args: string[]): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('--')) continue;
    const name = a.slice(2);
    if (!KNOWN_FLAGS.has(name)) throw new QueryInputError(`unknown option ${a}\n${QUERY_USAGE}`);
    if (!BOOL_FLAGS.has(name)) i++;
  }
}

function parseFilter(args: string[]): ReturnType<typeof toTimelineFilter> {
  const raw = z.object(timelineFilterFields).safeParse({
    from: flag(args, 'from'),
    to: flag(args, 'to'),
    tag: flag(args, 'tag'),
    lang: flag(args, 'lang'),
    source: flag(args, 'source'),
    channel: flag(args, 'channel'),
  });
  if (!raw.success) {
    const i = raw.error.issues[0];
    throw new QueryInputError(`--${String(i?.path[0] ?? '')}: ${i?.message ?? 'invalid'}`);
  }
  return toTimelineFilter(raw.data);
}

function list(v: string | undefined): string[] | undefined {
  return v ? csvList.parse(v) : undefined;
}

function intFlag(args: string[], name: string, def: number, max: number): number {
  const v = flag(args, name);
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new QueryInputError(`--${name} must be a whole number from 1 to ${max} (got "${v}")`);
  return n;
}

function oneOf<T extends string>(args: string[], name: string, allowed: readonly T[], def: T): T {
  const v = flag(args, name) ?? def;
  if (!(allowed as readonly string[]).includes(v)) throw new QueryInputError(`--${name} must be one of ${allowed.join(', ')} (got "${v}")`);
  return v as T;
}

function extraFilter(kind: Listable, args: string[]): ExtraFilter {
  const x: ExtraFilter = {};
  const types = list(flag(args, kind === 'alerts' ? 'kind' : 'type'));
  if (types) x.types = types;
  const status = flag(args, 'status');
  if (status) x.status = status;
  const clusters = list(flag(args, 'cluster'));
  if (clusters) x.clusters = clusters;
  if (args.includes('--after-takedown')) x.afterTakedown = true;
  return x;
}

async function openOut(path: string): Promise<{ write(chunk: string): Promise<void>; close(): Promise<void> }> {
  const ws: WriteStream = createWriteStream(path);
  await once(ws, 'open');
  return {
    async write(chunk) {
      if (!ws.write(chunk)) await once(ws, 'drain');
    },
    async close() {
      ws.end();
      await once(ws, 'finish');
    },
  };
}

/** Writes text either to --out or to stdout. */
async function emit(io: QueryIo, outPath: string | undefined, text: string): Promise<void> {
  if (!outPath) return io.write(text);
  const o = await openOut(outPath);
  await o.write(text);
  await o.close();
  io.err(`wrote ${outPath}`);
}

function rowsToCsv(headers: string[], rows: Array<Array<string | number>>): string {
  return [headers, ...rows].map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}

/** Prints a small result set as a table, CSV, NDJSON or JSON. */
async function emitRows(
  io: QueryIo,
  format: string,
  outPath: string | undefined,
  headers: string[],
  rows: Array<Array<string | number>>,
  json: unknown,
): Promise<void> {
  if (format === 'table') return emit(io, outPath, `${formatTable([headers, ...rows.map((r) => r.map(String))])}\n`);
  if (format === 'csv') return emit(io, outPath, rowsToCsv(headers, rows));
  if (format === 'ndjson') return emit(io, outPath, rows.map((r) => JSON.stringify(Object.fromEntries(headers.map((h, i) => [h, r[i]])))).join('\n') + '\n');
  if (format === 'json') return emit(io, outPath, `${JSON.stringify(json, null, 2)}\n`);
  throw new QueryInputError(`--format ${format} does not apply here (use table, csv, ndjson or json)`);
}

/** One query command's parsed common flags. */
interface QueryRun {
  store: Store;
  args: string[];
  io: QueryIo;
  f: ReturnType<typeof toTimelineFilter>;
  outPath: string | undefined;
}

/** A trend query's run with its output format and period. */
interface TrendRun extends QueryRun {
  format: 'table' | 'csv' | 'ndjson' | 'json';
  period: 'day' | 'week';
}

/** `hydrawatch query …`: the API's filters from the command line, reading MongoDB directly. */
export async function runQueryCommand(store: Store, argv: string[], io: QueryIo): Promise<number> {
  const [what, ...args] = argv;
  if (!what || what === 'help' || what === '--help') {
    io.out(QUERY_USAGE);
    return what ? 0 : 2;
  }
  checkFlags(args);
  const run: QueryRun = { store, args, io, f: parseFilter(args), outPath: flag(args, 'out') };
  if ((LISTABLE as readonly string[]).includes(what)) await queryListing(run, what as Listable);
  else if (what === 'trends') await queryTrend(run);
  else if (what === 'clusters') await queryClusters(run);
  else if (what === 'network' || what === 'lineage') await queryGraph(run, what);
  else throw new QueryInputError(`unknown query "${what}"\n${QUERY_USAGE}`);
  return 0;
}

/** A listing: the newest rows as a table, or the whole filtered timeline streamed as CSV or NDJSON. */
async function queryListing(run: QueryRun, kind: Listable): Promise<void> {
  const { store, args, io, f, outPath } = run;
  const defaultFormat = outPath || !io.isTty ? 'csv' : 'table';
  const format = oneOf(args, 'format', ['table', 'csv', 'ndjson'] as const, defaultFormat);
  const x = extraFilter(kind, args);
  if (format === 'table') {
    const page = await listPage(store, kind, f, x, { limit: intFlag(args, 'limit', 20, 1000), order: 'desc' });
    io.out(formatTable([tableHeaders(kind), ...page.items.map((d) => tableCells(kind, d))]));
    if (page.nextCursor) io.err('(more rows: use --limit, or --format csv/ndjson for all of them)');
    return;
  }
  const sink = outPath ? await openOut(outPath) : { write: io.write, close: async () => undefined };
  let lastShown = 0;
  const n = await exportTimeline(store, kind, format, f, x, sink.write, (p) => {
    // progress on stderr: always for files, for pipes only when the export is long
    if (!outPath && p.total < 5000) return;
    const now = Date.now();
    if (now - lastShown < 500 && p.done < p.total) return;
    lastShown = now;
    io.err(`exporting ${kind}: ${p.done}/${p.total} (${p.total ? Math.floor((100 * p.done) / p.total) : 100}%)`);
  });
  await sink.close();
  if (outPath) io.err(`wrote ${n} ${kind} to ${outPath}`);
}

/** `query trends <name>`, one function per trend. */
const TREND_QUERIES = new Map<string, (t: TrendRun, sub: string) => Promise<void>>([
  ['posts', trendPosts],
  ['events', trendEvents],
  ['takedown-time', trendDistribution],
  ['resurfacing-delay', trendDistribution],
  ['hydra', trendHydra],
  ['media-spread', trendMediaSpread],
  ['view-velocity', trendViewVelocity],
  ['cross-platform', trendCrossPlatform],
  ['takedowns-by-platform', trendTakedownsByPlatform],
]);

async function queryTrend(run: QueryRun): Promise<void> {
  const { args, io, outPath } = run;
  const [sub] = args;
  const format = oneOf(args, 'format', ['table', 'csv', 'ndjson', 'json'] as const, outPath || !io.isTty ? 'csv' : 'table');
  const period = oneOf(args, 'period', ['day', 'week'] as const, sub === 'events' ? 'week' : 'day');
  const trend = sub === undefined ? undefined : TREND_QUERIES.get(sub);
  if (!trend || sub === undefined) throw new QueryInputError(`unknown trend "${sub ?? ''}"\n${QUERY_USAGE}`);
  await trend({ ...run, format, period }, sub);
}

async function trendPosts(t: TrendRun): Promise<void> {
  const { args, io, format, outPath, period } = t;
  const by = oneOf(args, 'by', ['total', 'channel', 'tag', 'lang'] as const, 'total');
  const rows = await postsPer(t.store, period, by, t.f);
  await emitRows(
    io,
    format,
    outPath,
    ['period', by === 'total' ? 'key' : by, 'posts'],
    rows.map((r) => [r.period, r.key, r.posts]),
    rows,
  );
}

async function trendEvents(t: TrendRun): Promise<void> {
  const { args, io, format, outPath, period } = t;
  const types = (list(flag(args, 'types')) ?? TREND_EVENT_TYPES) as EventDoc['type'][];
  const rows = await eventsPer(t.store, period, t.f, types);
  await emitRows(
    io,
    format,
    outPath,
    ['period', 'type', 'count'],
    rows.map((r) => [r.period, r.type, r.count]),
    rows,
  );
}

/** `takedown-time` or `resurfacing-delay`: a distribution in hours. */
async function trendDistribution(t: TrendRun, sub: string): Promise<void> {
  const { store, f, io, format, outPath } = t;
  const d = sub === 'takedown-time' ? await timeToTakedown(store, f) : await resurfacingDelay(store, f);
  const keys = ['count', 'min', 'p25', 'p50', 'p75', 'p90', 'max', 'mean'] as const;
  await emitRows(
    io,
    format,
    outPath,
    ['unit', ...keys],
    [['hours', ...keys.map((k) => (d[k] === undefined ? '' : Math.round((d[k] as number) * 100) / 100))]],
    { unit: 'hours', ...d },
  );
}

async function trendHydra(t: TrendRun): Promise<void> {
  const h = await hydraIndex(t.store, t.f);
  await emitRows(
    t.io,
    t.format,
    t.outPath,
    ['takedowns', 'successors', 'successors_per_takedown', 'resurfaced_takedowns', 'chains', 'longest_chain'],
    [[h.takedowns, h.successors, Math.round(h.successorsPerTakedown * 100) / 100, h.resurfacedTakedowns, h.chainLengths.count, h.chainLengths.max ?? 0]],
    h,
  );
}

async function trendMediaSpread(t: TrendRun): Promise<void> {
  const { args, io, format, outPath, period } = t;
  const clusters = list(flag(args, 'cluster'));
  const spread = await mediaSpread(t.store, period, t.f, { ...(clusters ? { clusters } : {}), top: intFlag(args, 'top', 10, 100) });
  const rows = spread.flatMap((c) =>
    c.series.map((p) => [c.clusterId, p.period, p.sightings, p.newChannels, p.channels, p.afterTakedown] as Array<string | number>),
  );
  await emitRows(io, format, outPath, ['cluster', 'period', 'sightings', 'new_channels', 'channels', 'after_takedown'], rows, spread);
}

async function trendViewVelocity(t: TrendRun): Promise<void> {
  const { args, io, format, outPath } = t;
  const by = oneOf(args, 'by', ['post', 'channel'] as const, 'post');
  const platform = flag(args, 'platform');
  if (platform !== undefined && !(PLATFORMS as readonly string[]).includes(platform))
    throw new QueryInputError(`--platform must be one of ${PLATFORMS.join(', ')} (got "${platform}")`);
  const v = await viewVelocity(t.store, t.f, platform ? { platform } : {});
  const cell = (n: number | undefined): string | number => (n === undefined ? '' : n);
  if (by === 'post') {
    const rows = v.posts.slice(0, intFlag(args, 'limit', 100, 100000));
    await emitRows(
      io,
      format,
      outPath,
      ['post', 'channel', 'platform', 'first_seen', 'views_1h', 'views_6h', 'views_24h', 'latest_views'],
      rows.map((p) => [p.postKey, p.channelKey, p.platform, p.firstSeenAt.toISOString(), cell(p.h1), cell(p.h6), cell(p.h24), p.latestViews]),
      rows,
    );
  } else {
    await emitRows(
      io,
      format,
      outPath,
      ['channel', 'platform', 'posts', 'median_1h', 'median_6h', 'median_24h', 'reached_24h', 'max_24h'],
      v.channels.map((c) => [c.channelKey, c.platform, c.posts, cell(c.h1), cell(c.h6), cell(c.h24), c.reached24h, cell(c.max24h)]),
      v.channels,
    );
  }
}

async function trendCrossPlatform(t: TrendRun): Promise<void> {
  const { args, io, format, outPath } = t;
  const clusters = list(flag(args, 'cluster'));
  const spread = await crossPlatformSpread(t.store, t.f, { ...(clusters ? { clusters } : {}), top: intFlag(args, 'top', 10, 100) });
  const rows = spread.flatMap((c) =>
    c.platforms.map(
      (p) =>
        [c.clusterId, p.platform, p.firstSeen.toISOString(), Math.round((p.delayMs / 3600_000) * 100) / 100, p.channels, p.sightings] as Array<string | number>,
    ),
  );
  await emitRows(io, format, outPath, ['cluster', 'platform', 'first_seen', 'delay_h', 'channels', 'sightings'], rows, spread);
}

async function trendTakedownsByPlatform(t: TrendRun): Promise<void> {
  const rows = await takedownsByPlatform(t.store, t.f);
  const r2 = (n: number | undefined): string | number => (n === undefined ? '' : Math.round(n * 100) / 100);
  await emitRows(
    t.io,
    t.format,
    t.outPath,
    ['platform', 'channels', 'channels_p50_h', 'posts', 'posts_p50_h', 'posts_max_h', 'reasons'],
    rows.map((p) => [
      p.platform,
      p.channels.count,
      r2(p.channels.p50),
      p.posts.count,
      r2(p.posts.p50),
      r2(p.posts.max),
      Object.entries(p.reasons)
        .map(([k, n]) => `${k}:${n}`)
        .join(' '),
    ]),
    { unit: 'hours', platforms: rows },
  );
}

/** `query clusters`: the top re-uploaded media clusters. */
async function queryClusters(run: QueryRun): Promise<void> {
  const { store, args, io, f, outPath } = run;
  const format = oneOf(args, 'format', ['table', 'csv', 'ndjson', 'json'] as const, outPath || !io.isTty ? 'csv' : 'table');
  const top = await topClusters(store, intFlag(args, 'limit', 20, 500), f);
  await emitRows(
    io,
    format,
    outPath,
    ['cluster', 'kind', 'channels', 'sightings', 'after_takedown', 'first_seen', 'last_seen', 'origin'],
    top.map((c) => [
      c.clusterId,
      c.kind ?? '',
      c.channels,
      c.sightings,
      c.afterTakedown,
      c.firstSeen.toISOString(),
      c.lastSeen.toISOString(),
      c.originChannelKey ?? '',
    ]),
    top,
  );
}

/** `query network` or `query lineage`: the graph as GEXF, or its edges as rows (and the chains in a table). */
async function queryGraph(run: QueryRun, what: 'network' | 'lineage'): Promise<void> {
  const { store, args, io, f, outPath } = run;
  const format = oneOf(args, 'format', ['table', 'json', 'gexf', 'csv'] as const, outPath ? 'gexf' : io.isTty ? 'table' : 'json');
  const lineage = what === 'lineage' ? await lineageGraph(store, f) : undefined;
  const g = lineage ?? (await channelNetwork(store, f));
  if (format === 'gexf') {
    await emit(
      io,
      outPath,
      toGexf(g, { title: what === 'network' ? 'hydrawatch channel network (forwards, links, mentions)' : 'hydrawatch lineage (resurfaced channels)' }),
    );
    return;
  }
  const label = new Map(g.nodes.map((n) => [n.id, n.label]));
  await emitRows(
    io,
    format,
    outPath,
    ['source', 'source_label', 'kind', 'target', 'target_label', 'weight', 'first_at', 'last_at'],
    g.edges.map((e) => [e.source, label.get(e.source) ?? '', e.kind, e.target, label.get(e.target) ?? '', e.weight, e.firstAt ?? '', e.lastAt ?? '']),
    g,
  );
  if (lineage && format === 'table') for (const c of lineage.chains) io.out(`chain: ${c.map((k) => label.get(k) ?? k).join(' → ')}`);
}
