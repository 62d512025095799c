/**
 * Error classes decide whether a crawl job is retried. A 4xx or a parse failure is final;
 * a timeout, a network error, a 5xx or a 429 is retried, and a 429 carries Retry-After.
 */
export abstract class CrawlError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
  /** Minimum delay before a retry, when the server asked for one. */
  readonly retryAfterMs?: number;
  /** The source is failing from this error on, whatever the count of failures: `crawl_failing` is raised at once. */
  readonly failingNow?: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class TimeoutError extends CrawlError {
  readonly code = 'TIMEOUT';
  readonly retryable = true;
  constructor(
    readonly timeoutName: string,
    readonly timeoutMs: number,
    readonly url?: string,
  ) {
    super(`timeout "${timeoutName}" after ${timeoutMs} ms${url ? ` for ${url}` : ''}`);
  }
}

export class NetworkError extends CrawlError {
  readonly code = 'NETWORK';
  readonly retryable = true;
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`network error for ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export class HttpStatusError extends CrawlError {
  readonly code = 'HTTP_STATUS';
  readonly retryable: boolean;
  override readonly retryAfterMs?: number;
  constructor(
    readonly url: string,
    readonly status: number,
    retryAfterMs?: number,
  ) {
    super(`HTTP ${status} for ${url}${retryAfterMs !== undefined ? ` (retry after ${retryAfterMs} ms)` : ''}`);
    this.retryable = status === 429 || status === 408 || status >= 500;
    this.retryAfterMs = retryAfterMs;
  }
}

export class TooLargeError extends CrawlError {
  readonly code = 'TOO_LARGE';
  readonly retryable = false;
  constructor(
    readonly url: string,
    readonly maxBytes: number,
  ) {
    super(`response from ${url} exceeds the size cap of ${maxBytes} bytes`);
  }
}

export class ContentTypeError extends CrawlError {
  readonly code = 'CONTENT_TYPE';
  readonly retryable = false;
  constructor(
    readonly url: string,
    readonly got: string,
    readonly expected: readonly string[],
  ) {
    super(`unexpected content type "${got}" from ${url} (expected ${expected.join(' or ')})`);
  }
}

export class ParseError extends CrawlError {
  readonly code = 'PARSE';
  readonly retryable = false;
  constructor(
    readonly what: string,
    readonly detail: string,
    readonly url?: string,
  ) {
    super(`cannot parse ${what}${url ? ` at ${url}` : ''}: ${detail}`);
  }
}

/**
 * A page whose parse ran past `limits.parseTimeoutMs` (the parse thread was terminated), or whose parse thread died
 * (out of its memory cap). Final: the same page would do the same again.
 */
export class ParseBudgetError extends CrawlError {
  readonly code = 'PARSE_BUDGET';
  readonly retryable = false;
  constructor(
    readonly what: string,
    readonly detail: string,
    readonly url?: string,
  ) {
    super(`cannot parse ${what}${url ? ` at ${url}` : ''}: ${detail}`);
  }
}

/**
 * A browser-rendered page that was still not done after the hard wall-clock limit (`browser.pageWallClockMs`), e.g. a
 * script that loops forever so that the browser never answers: its context was closed. Final: the page would do it again.
 */
export class PageWallClockError extends CrawlError {
  readonly code = 'PAGE_WALL_CLOCK';
  readonly retryable = false;
  constructor(
    readonly url: string,
    readonly limitMs: number,
  ) {
    super(`browser page ${url} was not done after the wall-clock limit of ${limitMs} ms (browser.pageWallClockMs); its context was closed`);
  }
}

/** Raised by a source's configuration (bad selector, missing option), never retried. */
export class SourceConfigError extends CrawlError {
  readonly code = 'SOURCE_CONFIG';
  readonly retryable = false;
}

/**
 * Telegram's API account must wait before its next request: a flood wait Telegram named (recorded for every worker),
 * the account's request budget spent, its login leased by another worker, or a backoff after errors. Retried after it.
 */
export class AccountWaitError extends CrawlError {
  readonly code = 'ACCOUNT_WAIT';
  readonly retryable = true;
  override readonly retryAfterMs: number;
  constructor(
    readonly why: 'flood_wait' | 'budget' | 'lease' | 'backoff',
    retryAfterMs: number,
    detail: string,
  ) {
    super(`the Telegram API account must wait ${Math.ceil(retryAfterMs / 1000)} s (${why}): ${detail}`);
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The Telegram API login is gone (`AUTH_KEY_UNREGISTERED`, `SESSION_REVOKED`…): no retry helps until an analyst logs
 * in again (`hydrawatch telegram login`). The sources fail at once, with a `crawl_failing` alert; their cursors stay.
 */
export class ApiSessionError extends CrawlError {
  readonly code = 'API_SESSION';
  readonly retryable = false;
  override readonly failingNow = true;
  constructor(readonly apiCode: string) {
    super(`the Telegram API login no longer works (${apiCode}): log in again with "hydrawatch telegram login"`);
  }
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof CrawlError) return err.retryable;
  // Unknown errors (bugs, DB hiccups) are retried: losing a crawl is worse than repeating one.
  return true;
}

/** Parse a Retry-After header (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
