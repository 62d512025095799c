// Pure arithmetic of the Telegram API account's guards (account-guard.ts keeps their state in Redis).

/** Added to every flood wait Telegram names, so that the next request does not land on its last millisecond. */
export const FLOOD_WAIT_MARGIN_MS = 1000;

/** The clock-hour window of the request budget. */
export const BUDGET_WINDOW_MS = 3_600_000;

/** Pure: how long the account waits after a flood wait of `seconds` (Telegram's own figure, plus the margin). */
export function floodWaitMs(seconds: number): number {
  return Math.max(0, Math.ceil(seconds)) * 1000 + FLOOD_WAIT_MARGIN_MS;
}

/** Pure: the pause after the `consecutive`-th error in a row: `baseMs` doubled each time, at most `maxMs`. */
export function backoffDelayMs(consecutive: number, baseMs: number, maxMs: number): number {
  if (consecutive <= 0) return 0;
  const exp = Math.min(consecutive - 1, 40); // 2^40 × base is past any max: no overflow to Infinity
  return Math.min(maxMs, baseMs * 2 ** exp);
}

/** Pure: the start of the budget window `nowMs` is in, and the time left in it. */
export function budgetWindow(nowMs: number, windowMs: number = BUDGET_WINDOW_MS): { start: number; leftMs: number } {
  const start = nowMs - (nowMs % windowMs);
  return { start, leftMs: start + windowMs - nowMs };
}

/** What a crawl does about a wait: wait it out in the crawl when short, else end the crawl and retry after it. */
export function waitDecision(waitMs: number, maxInlineWaitMs: number): 'go' | 'inline' | 'retry' {
  if (waitMs <= 0) return 'go';
  return waitMs <= maxInlineWaitMs ? 'inline' : 'retry';
}
