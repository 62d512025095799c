import { HttpStatusError } from '../src/core/errors';
import type { Fetcher, FetchRequest } from '../src/core/fetcher';
import type { PageParser } from '../src/core/parse-task';
import type { TargetCheck, TargetKind } from '../src/core/report-case';

/** What a platform's re-check of a reported target uses: the worker's fetcher (rate-limited, egress-guarded) and parse pool. */
export interface RecheckContext {
  fetcher: Fetcher;
  parser: PageParser;
}

/** A reported target: one URL on the platform, a channel or a post. */
export interface RecheckTarget {
  kind: TargetKind;
  url: string;
}

/** A target URL the platform cannot re-check: the error names the URL, the platform and what it expected. */
export class UnknownTargetUrlError extends Error {
  constructor(url: string, platform: string, why: string) {
    super(`cannot re-check ${url} on ${platform}: ${why}`);
    this.name = 'UnknownTargetUrlError';
  }
}

export const NOT_FOUND_404: TargetCheck = { state: 'offline', how: 'not_found', words: 'HTTP 404' };

/** GET a page; HTTP 404 or 410 is `gone` (the target's own answer), any other failure is thrown (the job retries). */
export async function fetchOrGone(ctx: RecheckContext, url: string, accept: FetchRequest['accept']): Promise<{ text: string; finalUrl: string } | 'gone'> {
  try {
    const r = await ctx.fetcher.fetchText({ url, accept, timeoutName: 'reports.recheck' });
    return { text: r.text, finalUrl: r.finalUrl };
  } catch (err) {
    if (err instanceof HttpStatusError && (err.status === 404 || err.status === 410)) return 'gone';
    throw err;
  }
}

/** The path's segments, decoded. */
export function pathParts(u: URL): string[] {
  return u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
}

const PAGE_TYPES = ['text/html', 'application/xhtml+xml', 'application/rss+xml', 'application/atom+xml', 'application/xml', 'text/xml'] as const;

/** Any web page or feed (rss, html, browser sources): online while it answers, offline on 404/410. */
export async function recheckPlainUrl(ctx: RecheckContext, t: RecheckTarget): Promise<TargetCheck> {
  return (await fetchOrGone(ctx, t.url, PAGE_TYPES)) === 'gone' ? NOT_FOUND_404 : { state: 'online' };
}
