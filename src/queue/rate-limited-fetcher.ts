import type { RateLimit } from '../config/schema';
import type { FetchBytesResult, Fetcher, FetchRequest, FetchTextResult } from '../core/fetcher';
import type { HostLimiter, LimitSpace } from './host-limiter';

/**
 * Wraps a Fetcher so every request (each redirect hop too) waits for its host's slot under `limit`: the source's
 * rate limit (space `rate`), or the successor search's probe budget (space `probe`).
 */
export function rateLimitedFetcher(inner: Fetcher, limiter: HostLimiter, limit: RateLimit, space: LimitSpace = 'rate'): Fetcher {
  const gated = (req: FetchRequest): FetchRequest => ({
    ...req,
    beforeRequest: async (url: string) => {
      await req.beforeRequest?.(url);
      await limiter.waitForSlot(new URL(url).host, limit, req.signal, space);
    },
  });
  return {
    fetchText: (req: FetchRequest): Promise<FetchTextResult> => inner.fetchText(gated(req)),
    fetchBytes: (req: FetchRequest): Promise<FetchBytesResult> => inner.fetchBytes(gated(req)),
  };
}
