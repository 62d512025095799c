import type { RateLimit } from '../config/schema';
import type { FetchBytesResult, Fetcher, FetchRequest, FetchTextResult } from '../net/fetcher';
import type { HostLimiter } from './host-limiter';

/** Wraps a Fetcher so every request waits for its host's slot under the source's rate limit. */
export function rateLimitedFetcher(inner: Fetcher, limiter: HostLimiter, limit: RateLimit): Fetcher {
  const gate = async (req: FetchRequest): Promise<void> => {
    await limiter.waitForSlot(new URL(req.url).host, limit, req.signal);
  };
  return {
    async fetchText(req: FetchRequest): Promise<FetchTextResult> {
      await gate(req);
      return inner.fetchText(req);
    },
    async fetchBytes(req: FetchRequest): Promise<FetchBytesResult> {
      await gate(req);
      return inner.fetchBytes(req);
    },
  };
}
