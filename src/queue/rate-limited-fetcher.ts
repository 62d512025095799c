import type { RateLimit } from '../config/schema';
import type { FetchBytesResult, Fetcher, FetchRequest, FetchTextResult } from '../net/fetcher';
import type { HostLimiter } from './host-limiter';

/** Wraps a Fetcher so every request (each redirect hop too) waits for its host's slot under the source's rate limit. */
export function rateLimitedFetcher(inner: Fetcher, limiter: HostLimiter, limit: RateLimit): Fetcher {
  const gated = (req: FetchRequest): FetchRequest => ({
    ...req,
    beforeRequest: async (url: string) => {
      await req.beforeRequest?.(url);
      await limiter.waitForSlot(new URL(url).host, limit, req.signal);
    },
  });
  return {
    fetchText: (req: FetchRequest): Promise<FetchTextResult> => inner.fetchText(gated(req)),
    fetchBytes: (req: FetchRequest): Promise<FetchBytesResult> => inner.fetchBytes(gated(req)),
  };
}
