import type { Settings } from '../config/schema';
import type { Fetcher } from '../net/fetcher';
import type { DiscoveryJobData } from '../queue/discovery-job';
import type { HostLimiter } from '../queue/host-limiter';
import { rateLimitedFetcher } from '../queue/rate-limited-fetcher';
import type { Store } from '../store/store';
import type { EventDoc } from '../store/types';
import type { MediaMatcher } from '../media/media-matcher';
import { raiseAlert } from '../alerts/outbox';
import { searchSuccessors } from '../resurface/successor-search';
import { crashPoint } from '../util/crash-point';

export interface DiscoveryStageDeps {
  store: Store;
  fetcher: Fetcher;
  limiter: HostLimiter;
  settings: Settings;
  matcher?: MediaMatcher;
  now?: () => Date;
}

/**
 * The discovery stage, one removed channel: the successor search (inside its search window), and one alert per
 * resurfacing as soon as it is found. Runs outside the crawl job and its source lock.
 */
export async function runDiscoveryJob(deps: DiscoveryStageDeps, data: DiscoveryJobData): Promise<EventDoc[]> {
  const now = deps.now ?? (() => new Date());
  const { store } = deps;
  const pred = await store.channels.findOne({ _id: data.channelKey });
  if (!pred || pred.status !== 'removed') return [];
  crashPoint('discovery:start');
  const fetcher = rateLimitedFetcher(deps.fetcher, deps.limiter, data.source.rateLimit);
  const found = await searchSuccessors({ store, fetcher, settings: deps.settings, now, ...(deps.matcher ? { matcher: deps.matcher } : {}) }, pred, data.source);
  const out: EventDoc[] = [];
  for (const r of found) {
    const ev = await store.events.findOne({ _id: r.eventId });
    if (!ev) continue;
    await raiseAlert(store, deps.settings, { kind: 'resurfaced', key: `resurfaced:${r.predecessor}:${r.successor}`, sourceId: data.source.id, tags: data.source.tags, at: ev.at, facts: { ...ev.data, successor: r.successor } });
    out.push(ev);
  }
  return out;
}
