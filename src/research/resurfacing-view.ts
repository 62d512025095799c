import type { Store } from '../store/store';

/** What the dashboard shows of one resurfacing (the alert email's "Details" link): evidence only, never media. */
export interface ResurfacingView {
  id: string;
  at: string;
  score: number;
  foundVia: string[];
  predecessor: { key: string; handle: string; title?: string; status?: string; removedAt?: string };
  successor: { key: string; handle: string; title?: string; status?: string; firstPostAt?: string };
  /** Each signal's value (0–1) as scored. */
  signals: Record<string, number>;
  delayMs: number | null;
  lineage: string[];
  /** The media both channels posted: cluster ids and their items' hashes. */
  sharedMedia: Array<{ clusterId: string; items: Array<{ sha256: string; md5?: string; pdq?: string; quality?: number; kind: string }> }>;
}

/** Items listed per shared cluster. */
const ITEMS_PER_CLUSTER = 20;

function iso(v: unknown): string | undefined {
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined;
}

/** A `resurfaced` event with its two channels and the shared media's hashes; undefined when there is no such event. */
export async function resurfacingView(store: Store, eventId: string): Promise<ResurfacingView | undefined> {
  const ev = await store.events.findOne({ _id: eventId });
  if (!ev || ev.type !== 'resurfaced') return undefined;
  const d = ev.data;
  const predKey = String(d.predecessor);
  const [pred, succ] = await Promise.all([
    store.channels.findOne({ _id: predKey }, { projection: { pendingEvents: 0 } }),
    store.channels.findOne({ _id: ev.channelKey }, { projection: { pendingEvents: 0 } }),
  ]);
  const clusters = Array.isArray(d.sharedClusters) ? d.sharedClusters.filter((c): c is string => typeof c === 'string') : [];
  const sharedMedia = await Promise.all(
    clusters.map(async (clusterId) => {
      const items = await store.mediaItems
        .find({ clusterId }, { projection: { sha256: 1, md5: 1, pdq: 1, quality: 1, kind: 1 } })
        .limit(ITEMS_PER_CLUSTER)
        .toArray();
      return {
        clusterId,
        items: items.map((it) => ({
          sha256: it.sha256,
          kind: it.kind,
          ...(it.md5 ? { md5: it.md5 } : {}),
          ...(it.pdq ? { pdq: it.pdq } : {}),
          ...(it.quality !== undefined ? { quality: it.quality } : {}),
        })),
      };
    }),
  );
  const signals = Object.fromEntries(
    Object.entries((d.signals ?? {}) as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number'),
  );
  const removedAt = iso(d.removedAt);
  const firstPostAt = iso(d.successorFirstPostAt);
  return {
    id: ev._id,
    at: ev.at.toISOString(),
    score: Number(d.score),
    foundVia: Array.isArray(d.foundVia) ? d.foundVia.map(String) : [],
    predecessor: {
      key: predKey,
      handle: String(d.predecessorHandle),
      ...(pred?.title ? { title: pred.title } : {}),
      ...(pred ? { status: pred.status } : {}),
      ...(removedAt ? { removedAt } : {}),
    },
    successor: {
      key: ev.channelKey,
      handle: String(d.successorHandle),
      ...((succ?.title ?? d.successorTitle) ? { title: String(succ?.title ?? d.successorTitle) } : {}),
      ...(succ ? { status: succ.status } : {}),
      ...(firstPostAt ? { firstPostAt } : {}),
    },
    signals,
    delayMs: typeof d.delayMs === 'number' ? d.delayMs : null,
    lineage: Array.isArray(d.lineage) ? d.lineage.map(String) : [],
    sharedMedia,
  };
}

/** The dashboard's view of one resurfacing (pure): the link an alert email carries. */
export function resurfacingLink(dashboardUrl: string, eventId: string): string {
  return `${dashboardUrl.replace(/\/$/, '')}/dashboard/#resurfacing=${encodeURIComponent(eventId)}`;
}
