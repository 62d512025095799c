import type { Source } from '../../config/schema';
import type { CachedCursor } from '../../store/cursor-cache';
import type { Store } from '../../store/store';
import type { CursorDoc } from '../../store/repos/crawl-state';
import { crawlHooks } from '../platforms';
import type { CrawlRun, CrawlRunInfo, PipelineDeps } from './context';
import { inlineHandoff } from './inline-handoff';

/**
 * One crawl per source at a time (a startup check and a cron tick may overlap), then the host's limits. The lock is
 * the database's (deployments sharing a Redis, or tests, may watch sources of the same id); host limits are shared.
 */
export async function withSourceLock<T>(deps: PipelineDeps, source: Source, crawl: () => Promise<T>): Promise<T> {
  const sourceLock = await deps.limiter.acquire(`source:${deps.settings.mongoDb}:${source.id}`, undefined, 1);
  try {
    return await crawl();
  } finally {
    await sourceLock.release();
  }
}

/** The cursor document: from the Redis cache when it has it (no store read), else from the store. */
async function readCursor(store: Store, sourceId: string): Promise<{ doc: CursorDoc | null; cached: CachedCursor | null }> {
  const cached = store.cursorCache ? await store.cursorCache.get(sourceId) : null;
  return cached ? { doc: cached.doc, cached } : { doc: await store.cursors.findOne({ _id: sourceId }), cached: null };
}

/**
 * The crawl's context: its dependencies, its platform's hooks, the cursor document (one read at most, used by every
 * later step) and the source as this check crawls it (the `crawledAs` hook: a followed rename).
 */
export async function openCrawl(deps: PipelineDeps, configured: Source, run: CrawlRunInfo & { startedAt: Date }, now: () => Date): Promise<CrawlRun> {
  const { store } = deps;
  const handoff = deps.handoff ?? inlineHandoff(deps);
  const hooks = crawlHooks(configured.platform);
  const { doc: cursorDoc, cached } = await readCursor(store, configured.id);
  const crawl: CrawlRun = {
    deps,
    store,
    settings: deps.settings,
    now,
    run,
    handoff,
    hooks,
    configured,
    source: configured,
    cursorDoc,
    cached,
    stored: cursorDoc?.cursor ?? {},
    known: null,
    settledKey: undefined,
    settled: false,
  };
  if (hooks.crawledAs) crawl.source = await hooks.crawledAs(crawl);
  return crawl;
}
