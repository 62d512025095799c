import type { CrawlJobResult } from '../../queue/crawl-job';
import type { CrawlRun, FetchedCrawl } from './context';
import { recordSkippedCheck } from './run-record';

/**
 * Before the fetch, the platform's `beforeFetch` hook: the channel the last check landed on (whether it is settled:
 * the fetch may then tell "nothing new" without a parse), or a check that ends here (its run document written).
 */
export async function checkBeforeFetch(crawl: CrawlRun): Promise<CrawlJobResult | undefined> {
  if (!crawl.hooks.beforeFetch) return undefined;
  const found = await crawl.hooks.beforeFetch(crawl);
  if ('skip' in found) return recordSkippedCheck(crawl, found.skip);
  Object.assign(crawl, found);
  return undefined;
}

/**
 * The cheap "nothing new": the page is the one the last full check saw, and its channel is known. No run document,
 * and the channel's check time only once per resolution period (the cache says when it was last written; a miss
 * writes it). The cache entry is refreshed after that write.
 */
export async function unchangedFastPath({
  outcome,
  settledKey,
  known,
  cached,
  cursorDoc,
  at,
  store,
  source,
  settings,
}: FetchedCrawl): Promise<CrawlJobResult | undefined> {
  const unchangedKey = settledKey ?? known?._id;
  if (!outcome.unchanged || !unchangedKey) return undefined;
  const resolutionMs = settings.worker.checkTimeResolutionSeconds * 1000;
  const due = !cached || at.getTime() - cached.checkWrittenAt >= resolutionMs;
  if (due) await store.channels.updateOne({ _id: unchangedKey }, { $set: { lastCheckedAt: at } });
  if (store.cursorCache && cursorDoc && due) await store.cursorCache.put(source.id, { doc: cursorDoc, checkWrittenAt: at.getTime() });
  return { sourceId: source.id, status: 'active', postsSeen: 0, postsNew: 0, events: [], unchanged: true };
}
