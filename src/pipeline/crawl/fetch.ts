import { sourceBaseUrl, sourceLabel } from '../../../crawlers/registry';
import type { CrawlCursor, CrawlOutcome } from '../../../crawlers/types';
import { crawlSource } from '../../app/crawler-registry';
import { TimeoutError } from '../../core/errors';
import { rateLimitedFetcher } from '../../queue/rate-limited-fetcher';
import type { CrawlRun, FetchedCrawl } from './context';

/** The cursor handed to the crawler: the page header digest only when the channel is settled (else a full parse). */
function crawlerCursor({ stored, settled }: CrawlRun): CrawlCursor {
  const { pageHeader, ...rest } = stored;
  return settled && pageHeader ? stored : rest;
}

/**
 * Fetch and parse, by the platform's crawler (crawlers/<platform>/), under the host's limits and the crawl's budget
 * (worker.crawlTimeoutMs): waiting for the host, every fetch, parse and render. Requests are aborted through the
 * signal; whatever does not listen to it is abandoned by the race, so the job (and its worker slot and leases) is free
 * at the budget in any case.
 */
export async function fetchAndParse(crawl: CrawlRun): Promise<FetchedCrawl> {
  const { deps, source, now } = crawl;
  const cursor = crawlerCursor(crawl);
  const host = new URL(sourceBaseUrl(source)).host;
  const budgetMs = deps.settings.worker.crawlTimeoutMs;
  const budget = new AbortController();
  const overBudget = new Promise<never>((_, reject) => budget.signal.addEventListener('abort', () => reject(budget.signal.reason as Error), { once: true }));
  overBudget.catch(() => undefined);
  const timer = setTimeout(() => budget.abort(new TimeoutError('crawl.total', budgetMs, sourceLabel(source))), budgetMs);
  let outcome: CrawlOutcome;
  try {
    const lease = await Promise.race([deps.limiter.acquire(host, budget.signal), overBudget]);
    try {
      const run = crawlSource(deps.crawlers, source, {
        fetcher: rateLimitedFetcher(deps.fetcher, deps.limiter, source.rateLimit),
        cursor,
        now,
        signal: budget.signal,
        ...(deps.browser ? { browser: deps.browser } : {}),
        ...(deps.telegramApi ? { telegramApi: deps.telegramApi } : {}),
        ...(deps.parser ? { parse: deps.parser } : {}),
      });
      run.catch(() => undefined);
      outcome = await Promise.race([run, overBudget]);
    } finally {
      await lease.release();
    }
  } finally {
    clearTimeout(timer);
  }
  return Object.assign(crawl, { outcome, at: now() });
}
