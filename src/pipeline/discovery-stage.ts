import type { Settings } from '../config/schema';
import type { Fetcher } from '../core/fetcher';
import type { DiscoveryJobData } from '../queue/discovery-job';
import type { HostLimiter } from '../queue/host-limiter';
import { rateLimitedFetcher } from '../queue/rate-limited-fetcher';
import type { Store } from '../store/store';
import type { EventDoc } from '../store/repos/channels';
import type { MediaMatcher } from '../media/media-matcher';
import type { PageParser } from '../core/parse-task';
import { raiseAlert } from '../alerts/outbox';
import { runSuccessorSearch, type Resurfacing } from '../resurface/successor-search';
import { crashPoint } from '../util/crash-point';
import { channelUrl, type FollowedSummary, type ResurfacedSummary } from '../ops/event-lines';

export interface DiscoveryStageDeps {
  store: Store;
  fetcher: Fetcher;
  limiter: HostLimiter;
  settings: Settings;
  matcher?: MediaMatcher;
  /** The worker's parse pool, for the probes' pages (unset: parsed in this thread). */
  parser?: PageParser;
  now?: () => Date;
}

export interface DiscoveryStepResult {
  /** The `resurfaced` events of this step (each alerted the moment it was stored). */
  events: EventDoc[];
  /** Renames and restorations under a new handle seen by this step's probes (`renamed` / `restored` event ids). */
  followed: string[];
  /** The same resurfacings and renames, by handle and title (what the log prints). */
  found: ResurfacedSummary[];
  followedChannels: FollowedSummary[];
  /** Candidates left for the channel's next step (the probe budget per job ran out). */
  more: boolean;
  /** When the channel's next candidate falls due, in ms from this step (unset: nothing left in the search window). */
  nextInMs?: number;
}

/**
 * The discovery stage, one step for one channel: the successor search of a removed channel (inside its search
 * window), or the search for the new handle of a watched channel whose handle went missing (a rename). Probes go
 * through the shared probe cache under `resurface.probeBudget` (the host's probe budget, apart from the crawl rate
 * limit), at most `resurface.probesPerJob` network probes per step. Each resurfacing is alerted the moment its
 * candidate crosses the threshold. Runs outside the crawl job and its source lock.
 */
export async function runDiscoveryJob(deps: DiscoveryStageDeps, data: DiscoveryJobData, run: { probedInRun?: Set<string> } = {}): Promise<DiscoveryStepResult> {
  const now = deps.now ?? (() => new Date());
  const { store, settings } = deps;
  const result: DiscoveryStepResult = { events: [], followed: [], found: [], followedChannels: [], more: false };
  const pred = await store.channels.findOne({ _id: data.channelKey });
  if (!pred) return result;
  crashPoint('discovery:start');
  const fetcher = rateLimitedFetcher(deps.fetcher, deps.limiter, settings.resurface.probeBudget, 'probe');
  const onFound = async (r: Resurfacing): Promise<void> => {
    const ev = await store.events.findOne({ _id: r.eventId });
    if (!ev) return;
    await raiseAlert(store, settings, {
      kind: 'resurfaced',
      key: `resurfaced:${r.predecessor}:${r.successor}`,
      sourceId: data.source.id,
      tags: data.source.tags,
      at: ev.at,
      facts: { ...ev.data, successor: r.successor, eventId: ev._id },
    });
    result.events.push(ev);
    result.found.push({
      predecessor: r.predecessor,
      predecessorHandle: pred.handle,
      ...(pred.title ? { predecessorTitle: pred.title } : {}),
      successor: r.successor,
      successorHandle: r.successorHandle,
      ...(typeof ev.data.successorTitle === 'string' ? { successorTitle: ev.data.successorTitle } : {}),
      score: typeof ev.data.score === 'number' ? ev.data.score : Math.round(r.score * 1000) / 1000,
      url: channelUrl(data.source.options.baseUrl, r.successorHandle),
    });
  };
  const outcome = await runSuccessorSearch(
    { store, fetcher, settings, now, ...(deps.matcher ? { matcher: deps.matcher } : {}), ...(deps.parser ? { parser: deps.parser } : {}) },
    pred,
    data.source,
    {
      probeBudget: settings.resurface.probesPerJob,
      onFound,
      ...(run.probedInRun ? { probedInRun: run.probedInRun } : {}),
    },
  );
  result.followed = outcome.followed.flatMap((f) => f.eventIds);
  result.followedChannels = outcome.followed.map((f) => ({
    channelKey: f.channelKey,
    from: f.from,
    to: f.to,
    ...(f.title ? { title: f.title } : {}),
    restored: f.restored,
    url: channelUrl(data.source.options.baseUrl, f.to),
  }));
  result.more = outcome.more;
  if (outcome.nextDueAt) result.nextInMs = Math.max(0, outcome.nextDueAt.getTime() - now().getTime());
  return result;
}
