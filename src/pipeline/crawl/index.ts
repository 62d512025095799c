import type { Source } from '../../config/schema';
import type { CrawlJobResult } from '../../queue/crawl-job';
import { raiseCheckAlerts } from './alerts';
import type { CrawlRunInfo, PipelineDeps } from './context';
import { moveCursor } from './cursor';
import { checkBeforeFetch, unchangedFastPath } from './fast-path';
import { fetchAndParse } from './fetch';
import { handOffPosts, handOffSuccessorSearch } from './handoff';
import { landChannel } from './land';
import { openCrawl, withSourceLock } from './lock';
import { recordRechecks, storePosts } from './posts';
import { closeReportedTargets } from './reported-targets';
import { finishRun, startRunDoc } from './run-record';
import { writeState } from './state';

export type { CrawlRun, CrawlRunInfo, FetchedCrawl, LandedCrawl, PipelineDeps, StatedCrawl, StoredCrawl } from './context';
export type { BeforeFetch, CrawlHooks, CursorLanding } from './context';
export { inlineHandoff } from './inline-handoff';
export { recordCrawlFailure } from './failure';

/**
 * One crawl of one source: fetch + parse (rate-limited per host, concurrency-limited across workers), then store
 * posts (idempotent upserts), the channel state with its new events in an outbox, the events (deterministic ids),
 * and last the cursor. A crash anywhere leaves nothing half-done that a retry would duplicate or lose.
 * The steps are in this folder, one file each; docs/architecture.md ("The crawl path") lists them and their hooks.
 */
export async function runCrawl(deps: PipelineDeps, source: Source, run: CrawlRunInfo): Promise<CrawlJobResult> {
  const now = deps.now ?? (() => new Date());
  const started = { ...run, startedAt: now() };
  return withSourceLock(deps, source, () => crawlLocked(deps, source, started, now));
}

async function crawlLocked(deps: PipelineDeps, configured: Source, run: CrawlRunInfo & { startedAt: Date }, now: () => Date): Promise<CrawlJobResult> {
  const crawl = await openCrawl(deps, configured, run, now); // lock and cursor
  const skipped = await checkBeforeFetch(crawl); // fast path before the fetch (a removed channel between re-checks)
  if (skipped) return skipped;
  const fetched = await fetchAndParse(crawl);
  const unchanged = await unchangedFastPath(fetched); // nothing new: no run document, no channel change
  if (unchanged) return unchanged;
  await startRunDoc(fetched);
  const landed = await landChannel(fetched); // channel key, channel-id conflicts, the outbox of a crashed check
  const stored = await storePosts(landed); // posts, media refs, rollups, pointers
  await handOffPosts(stored); // texts and media to the media stage
  const stated = await writeState(stored, await recordRechecks(stored)); // channel state + outbox, events
  await moveCursor(stated);
  await raiseCheckAlerts(stated);
  await closeReportedTargets(stated); // report cases of this channel and its posts seen offline
  await handOffSuccessorSearch(stated); // the discovery stage
  return finishRun(stated);
}
