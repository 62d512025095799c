import type { Settings } from '../config/schema';
import type { Fetcher } from '../core/fetcher';
import type { TelegramApiAccess } from '../core/telegram-api';
import type { HostLimiter } from '../queue/host-limiter';
import type { MediaJobData, MediaJobResult } from '../queue/media-job';
import { rateLimitedFetcher } from '../queue/rate-limited-fetcher';
import type { Store } from '../store/store';
import type { PostDoc } from '../store/repos/posts';
import { clusterTexts } from '../media/text-clusters';
import { ingestMediaRef } from '../media/intake';
import type { MediaMatcher } from '../media/media-matcher';

export interface MediaStageDeps {
  store: Store;
  fetcher: Fetcher;
  limiter: HostLimiter;
  /** The worker's fingerprint index; without it (media.enabled off) only text jobs run. */
  matcher?: MediaMatcher;
  settings: Settings;
  /** The Telegram API account (telegram-api media are downloaded through it). */
  telegramApi?: TelegramApiAccess;
  now?: () => Date;
}

/**
 * The media stage. A text job: the MinHash signatures and text clusters of a check's new posts (read by `_id`;
 * idempotent per post). A media job, one reference: download (within the source's rate limit), fingerprint, match, cluster,
 * sighting. Reads the reference by `_id`; one already handled is left alone, so a job handed over twice (a retried
 * crawl, a retried job) does the work once.
 */
export async function runMediaJob(deps: MediaStageDeps, data: MediaJobData): Promise<MediaJobResult> {
  if (data.kind === 'text') {
    const posts = (await Promise.all(data.postKeys.map((k) => deps.store.posts.findOne({ _id: k })))).filter((p): p is PostDoc => !!p);
    await clusterTexts(deps.store, posts, deps.settings.text, (deps.now ?? (() => new Date()))());
    return { refId: data.postKeys[0] ?? '', status: 'ingested' };
  }
  const ref = await deps.store.media.findOne({ _id: data.refId });
  if (!ref) return { refId: data.refId, status: 'missing' };
  if (ref.ingestedAt) return { refId: data.refId, status: 'already', ...(ref.error ? { error: ref.error.code } : {}) };
  if (!deps.matcher) return { refId: data.refId, status: 'missing', error: 'media intake is off in this worker (media.enabled: false)' };
  const fetcher = rateLimitedFetcher(deps.fetcher, deps.limiter, data.source.rateLimit);
  const out = await ingestMediaRef(
    {
      store: deps.store,
      fetcher,
      matcher: deps.matcher,
      settings: deps.settings,
      ...(deps.telegramApi ? { telegramApi: deps.telegramApi } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    },
    data.source,
    ref,
    new Date(data.postAt),
  );
  return out.error
    ? { refId: data.refId, status: 'failed', error: `${out.error.code}: ${out.error.message}` }
    : { refId: data.refId, status: 'ingested', ...(out.clusterId ? { clusterId: out.clusterId } : {}), ...(out.via ? { via: out.via } : {}) };
}
