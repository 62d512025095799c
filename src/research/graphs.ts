import { byCode } from '../core/compare';
import { parseTelegramLink } from '../../crawlers/telegram/parse-helpers';
import type { Store } from '../store/store';
import type { ChannelDoc } from '../store/repos/channels';
import type { PostDoc } from '../store/repos/posts';
import { buildMongoFilter } from './filter-to-mongo';
import type { TimelineFilter } from './query-filter';

/** A directed multigraph summary, the shape the API returns and GEXF is written from. */
export interface GraphNode {
  id: string;
  label: string;
  status: string;
  /** False for channels only known because something pointed at them. */
  watched: boolean;
  tags: string[];
  firstSeenAt?: string;
  removedAt?: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: 'forward' | 'link' | 'mention' | 'resurfaced';
  /** Number of posts (network) or the resurfacing score (lineage). */
  weight: number;
  firstAt?: string;
  lastAt?: string;
  attrs?: Record<string, string | number>;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

type PostLinks = Pick<PostDoc, 'channelKey' | 'handle' | 'tags' | 'links' | 'mentions' | 'forwardedFrom' | 'at'>;
type ChannelInfo = Pick<ChannelDoc, '_id' | 'handle' | 'handles' | 'status' | 'firstSeenAt' | 'removedAt'> & { tags?: string[] };

const HANDLE = /^[A-Za-z0-9_]{4,64}$/;

function nodeOf(c: ChannelInfo | undefined, id: string, fallbackLabel: string, tags: string[]): GraphNode {
  return {
    id,
    label: c?.handle ? `@${c.handle}` : fallbackLabel,
    status: c?.status ?? 'unknown',
    watched: Boolean(c),
    tags,
    ...(c?.firstSeenAt ? { firstSeenAt: new Date(c.firstSeenAt).toISOString() } : {}),
    ...(c?.removedAt ? { removedAt: new Date(c.removedAt).toISOString() } : {}),
  };
}

/**
 * Pure: the forward / link / mention network between channels. An edge A → B of a kind counts A's posts that
 * point at B that way. Handles are matched against every handle a channel used (renames keep one node).
 */
export function buildChannelNetwork(posts: Iterable<PostLinks>, channels: ChannelInfo[], telegramBaseUrls: string[]): Graph {
  const byHandle = new Map<string, ChannelInfo>();
  const byKey = new Map<string, ChannelInfo>();
  for (const c of channels) {
    byKey.set(c._id, c);
    for (const h of [c.handle, ...(c.handles ?? [])]) if (h) byHandle.set(h.toLowerCase(), c);
  }
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const tagsOf = new Map<string, Set<string>>();
  const touch = (id: string, label: string, tags: string[]): void => {
    const t = tagsOf.get(id) ?? new Set<string>();
    tags.forEach((x) => t.add(x));
    tagsOf.set(id, t);
    if (!nodes.has(id)) nodes.set(id, nodeOf(byKey.get(id), id, label, []));
  };
  const bases = telegramBaseUrls.length ? telegramBaseUrls : ['https://t.me'];
  const linkHandle = (l: string): string | undefined => {
    for (const b of bases) {
      const h = parseTelegramLink(l, b).handle;
      if (h) return h;
    }
    return undefined;
  };
  for (const p of posts) {
    const from = p.channelKey;
    touch(from, `@${p.handle}`, p.tags ?? []);
    const targets: Array<[GraphEdge['kind'], string | undefined]> = [
      ...(p.forwardedFrom?.handle ? [['forward', p.forwardedFrom.handle] as [GraphEdge['kind'], string]] : []),
      ...[...new Set((p.links ?? []).map(linkHandle))].map((h) => ['link', h] as [GraphEdge['kind'], string | undefined]),
      ...[...new Set(p.mentions ?? [])].map((h) => ['mention', h.replace(/^@/, '')] as [GraphEdge['kind'], string]),
    ];
    const counted = new Set<string>(); // one post counts once per kind and target, however many handles it used
    for (const [kind, handle] of targets) {
      if (!handle || !HANDLE.test(handle)) continue;
      const known = byHandle.get(handle.toLowerCase());
      const to = known?._id ?? `tg:@${handle.toLowerCase()}`;
      if (to === from || counted.has(`${kind}|${to}`)) continue;
      counted.add(`${kind}|${to}`);
      touch(to, `@${known?.handle ?? handle}`, []);
      const id = `${from}|${kind}|${to}`;
      const at = p.at ? new Date(p.at).toISOString() : undefined;
      const e = edges.get(id) ?? { id, source: from, target: to, kind, weight: 0 };
      e.weight++;
      if (at) {
        if (!e.firstAt || at < e.firstAt) e.firstAt = at;
        if (!e.lastAt || at > e.lastAt) e.lastAt = at;
      }
      edges.set(id, e);
    }
  }
  for (const [id, n] of nodes) n.tags = [...(tagsOf.get(id) ?? [])].sort();
  return {
    nodes: [...nodes.values()].sort((a, b) => byCode(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => b.weight - a.weight || byCode(a.id, b.id)),
  };
}

export interface ResurfacedInfo {
  channelKey: string;
  at: Date;
  data: Record<string, unknown>;
}

/** Pure: lineage graph from `resurfaced` events (predecessor → successor, weight = score). */
export function buildLineageGraph(events: ResurfacedInfo[], channels: ChannelInfo[]): Graph & { chains: string[][] } {
  const byKey = new Map(channels.map((c) => [c._id, c]));
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const add = (id: string, label: string): void => {
    if (!nodes.has(id)) nodes.set(id, nodeOf(byKey.get(id), id, label, byKey.get(id)?.tags ?? []));
  };
  const chains: string[][] = [];
  for (const e of events) {
    const pred = String(e.data.predecessor ?? '');
    if (!pred) continue;
    add(pred, `@${String(e.data.predecessorHandle ?? pred)}`);
    add(e.channelKey, `@${String(e.data.successorHandle ?? e.channelKey)}`);
    const delay = typeof e.data.delayMs === 'number' ? e.data.delayMs : undefined;
    edges.push({
      id: `${pred}|resurfaced|${e.channelKey}`,
      source: pred,
      target: e.channelKey,
      kind: 'resurfaced',
      weight: typeof e.data.score === 'number' ? e.data.score : 1,
      firstAt: e.at.toISOString(),
      attrs: {
        ...(delay !== undefined ? { delayHours: Math.round((delay / 3600_000) * 100) / 100 } : {}),
        score: typeof e.data.score === 'number' ? e.data.score : 0,
      },
    });
    if (Array.isArray(e.data.lineage)) chains.push((e.data.lineage as unknown[]).map(String));
  }
  // keep only maximal chains (A→A2 is part of A→A2→A3)
  const maximal = chains.filter((c) => !chains.some((o) => o.length > c.length && c.every((x, i) => o[i] === x)));
  const uniq = [...new Map(maximal.map((c) => [c.join('>'), c])).values()].sort((a, b) => b.length - a.length || byCode(a.join('>'), b.join('>')));
  return { nodes: [...nodes.values()].sort((a, b) => byCode(a.id, b.id)), edges: edges.sort((a, b) => byCode(a.id, b.id)), chains: uniq };
}

async function channelInfos(store: Store): Promise<ChannelInfo[]> {
  const chans = await store.channels
    .find({}, { projection: { _id: 1, handle: 1, handles: 1, status: 1, firstSeenAt: 1, removedAt: 1, sourceIds: 1 } })
    .toArray();
  const sources = await store.sources.find({}, { projection: { _id: 1, tags: 1 } }).toArray();
  const tagsBySource = new Map(sources.map((s) => [s._id, s.tags ?? []]));
  return chans.map((c) => ({ ...c, tags: [...new Set((c.sourceIds ?? []).flatMap((s) => tagsBySource.get(s) ?? []))].sort() }));
}

async function telegramBases(store: Store): Promise<string[]> {
  const rows = await store.sources.find({ platform: 'telegram' }, { projection: { config: 1 } }).toArray();
  const bases = rows.map((r) => (r.config?.options as { baseUrl?: string } | undefined)?.baseUrl).filter((b): b is string => typeof b === 'string');
  return [...new Set(['https://t.me', ...bases])];
}

/** The forward and link network of the posts matching the filter. */
export async function channelNetwork(store: Store, f: TimelineFilter): Promise<Graph> {
  const filter = await buildMongoFilter(
    store,
    f,
    { timeField: 'at', tagsField: 'tags', langField: 'lang', sourceField: 'sourceId', channelField: 'channelKey' },
    'posts',
  );
  const cursor = store.posts.find(filter, { projection: { channelKey: 1, handle: 1, tags: 1, links: 1, mentions: 1, forwardedFrom: 1, at: 1 } });
  const posts: PostLinks[] = [];
  for await (const p of cursor) if (p.forwardedFrom?.handle || p.links?.length || p.mentions?.length) posts.push(p);
  return buildChannelNetwork(posts, await channelInfos(store), await telegramBases(store));
}

/** Every resurfacing chain (A → A2 → A3) as a graph. */
export async function lineageGraph(store: Store, f: TimelineFilter = {}): Promise<Graph & { chains: string[][] }> {
  const filter = await buildMongoFilter(
    store,
    {
      ...(f.from ? { from: f.from } : {}),
      ...(f.to ? { to: f.to } : {}),
      ...(f.sourceIds ? { sourceIds: f.sourceIds } : {}),
      ...(f.tags ? { tags: f.tags } : {}),
    },
    { timeField: 'at', sourceField: 'sourceId' },
    'resurfacings',
  );
  const events = await store.events
    .find({ $and: [{ type: 'resurfaced' }, filter] })
    .sort({ at: 1 })
    .toArray();
  return buildLineageGraph(events, await channelInfos(store));
}
