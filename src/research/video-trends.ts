import type { Store } from '../store/store';
import { postTakedowns, postViews } from '../store/repos/post-checks';
import { allOf as and, buildMongoFilter, type FilterCaps } from './filter-to-mongo';
import { distribution, type Distribution } from './percentiles';
import type { TimelineFilter } from './query-filter';
import {
  channelVelocities,
  postVelocities,
  spreadAcrossPlatforms,
  type ChannelVelocity,
  type PlatformSpreadRow,
  type PostVelocity,
  type ViewSample,
} from './velocity-math';
import { topClusters } from './trends';

const VIEW_CAPS: FilterCaps = { timeField: 'firstSeenAt', sourceField: 'sourceId', channelField: 'channelKey' };
const TAKEDOWN_CAPS: FilterCaps = { timeField: 'removedAt', sourceField: 'sourceId', channelField: 'channelKey' };
const EVENT_CAPS: FilterCaps = { timeField: 'at', sourceField: 'sourceId', channelField: 'channelKey' };

/** At most this many view samples are read per question (research path, not the crawl's). */
export const MAX_VIEW_SAMPLES = 200_000;

/**
 * View velocity: each post's views 1, 6 and 24 h after first seen (from the `post_views` timeline), and per channel
 * the medians. `from`/`to` bound the posts' first sighting. Filters: channel, source, tag, platform.
 */
export async function viewVelocity(
  store: Store,
  f: TimelineFilter = {},
  opts: { platform?: string } = {},
): Promise<{ posts: PostVelocity[]; channels: ChannelVelocity[] }> {
  const match = and(await buildMongoFilter(store, f, VIEW_CAPS, 'view samples'), opts.platform ? { platform: opts.platform } : {});
  const docs = await postViews(store)
    .find(match, { projection: { postKey: 1, channelKey: 1, platform: 1, firstSeenAt: 1, at: 1, views: 1 } })
    .limit(MAX_VIEW_SAMPLES)
    .toArray();
  const by = new Map<string, { postKey: string; channelKey: string; platform: string; firstSeenAt: Date; samples: ViewSample[] }>();
  for (const d of docs) {
    const row = by.get(d.postKey) ?? { postKey: d.postKey, channelKey: d.channelKey, platform: d.platform, firstSeenAt: d.firstSeenAt, samples: [] };
    row.samples.push({ at: d.at, views: d.views });
    by.set(d.postKey, row);
  }
  const posts = postVelocities([...by.values()]).sort((a, b) => (b.h24 ?? -1) - (a.h24 ?? -1) || a.postKey.localeCompare(b.postKey));
  return { posts, channels: channelVelocities(posts) };
}

export interface PlatformTakedowns {
  platform: string;
  /** Channels removed (`removed` events): first seen → removed, hours. */
  channels: Distribution;
  /** Posts (videos, items) found gone: first seen → gone, hours. */
  posts: Distribution;
  /** Gone posts per reason (tos_violation, account_terminated, private, deleted_by_uploader, dark, not_found…). */
  reasons: Record<string, number>;
}

/** Time to takedown per platform, channels and posts apart, with the posts' reasons. */
export async function takedownsByPlatform(store: Store, f: TimelineFilter = {}): Promise<PlatformTakedowns[]> {
  const evMatch = and({ type: 'removed' }, await buildMongoFilter(store, f, EVENT_CAPS, 'channel events'));
  const events = await store.events.find(evMatch, { projection: { platform: 1, data: 1 } }).toArray();
  const takedowns = await postTakedowns(store)
    .find(await buildMongoFilter(store, f, TAKEDOWN_CAPS, 'post takedowns'), { projection: { platform: 1, reason: 1, timeToTakedownMs: 1 } })
    .toArray();
  const platforms = new Map<string, { ch: number[]; posts: number[]; reasons: Record<string, number> }>();
  const slot = (p: string) => {
    let s = platforms.get(p);
    if (!s) platforms.set(p, (s = { ch: [], posts: [], reasons: {} }));
    return s;
  };
  for (const e of events) {
    const ms = e.data?.timeToTakedownMs;
    if (typeof ms === 'number') slot(e.platform).ch.push(ms / 3600_000);
  }
  for (const t of takedowns) {
    const s = slot(t.platform);
    s.posts.push(t.timeToTakedownMs / 3600_000);
    s.reasons[t.reason] = (s.reasons[t.reason] ?? 0) + 1;
  }
  return [...platforms.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([platform, s]) => ({
      platform,
      channels: distribution(s.ch),
      posts: distribution(s.posts),
      reasons: Object.fromEntries(Object.entries(s.reasons).sort(([a], [b]) => a.localeCompare(b))),
    }));
}

/** Sightings read per cluster at most (research path). */
export const MAX_SIGHTINGS_PER_CLUSTER = 50_000;

/**
 * Cross-platform spread of media clusters: per cluster, the first sighting on each platform (Telegram, YouTube, the
 * Archive…), in order, with the delay after the first. The given clusters, or the top ones (seen in most channels).
 */
export async function crossPlatformSpread(
  store: Store,
  f: TimelineFilter = {},
  opts: { clusters?: string[]; top?: number } = {},
): Promise<Array<{ clusterId: string; platforms: PlatformSpreadRow[] }>> {
  const ids = opts.clusters?.length ? opts.clusters : (await topClusters(store, opts.top ?? 10, f)).map((c) => c.clusterId);
  const out: Array<{ clusterId: string; platforms: PlatformSpreadRow[] }> = [];
  for (const clusterId of ids) {
    const rows = await store.sightings
      .find({ clusterId }, { projection: { channelKey: 1, at: 1 } })
      .limit(MAX_SIGHTINGS_PER_CLUSTER)
      .toArray();
    if (rows.length) out.push({ clusterId, platforms: spreadAcrossPlatforms(rows) });
  }
  return out;
}
