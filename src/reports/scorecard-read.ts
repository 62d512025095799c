import type { Platform } from '../config/schema';
import { QueryInputError } from '../research/query-filter';
import type { Store } from '../store/store';
import { casesOpenedIn } from '../store/repos/report-cases';
import { scorecard, type Scorecard } from './scorecard';

/** At most this many cases are read for one scorecard (a period that holds more is marked `truncated`). */
export const SCORECARD_MAX_CASES = 50_000;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A bad period: a 400 from the API, a clear message from the CLI. */
export class PeriodError extends QueryInputError {
  constructor(message: string) {
    super(message);
    this.name = 'PeriodError';
  }
}

/** Pure: the UTC day of a day (YYYY-MM-DD) or an ISO time; an error names the parameter. */
function dayOf(name: string, v: string): string {
  const t = Date.parse(DAY.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(t) || (DAY.test(v) && new Date(t).toISOString().slice(0, 10) !== v))
    throw new PeriodError(`${name}: expected a day (YYYY-MM-DD) or an ISO time, got "${v}"`);
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Pure: a period of UTC days from `from`/`to` (days or ISO times; default: the last 30 days up to today). Errors name
 * the bad value. A `from` after `to` is an empty period, as on the other routes.
 */
export function scorecardPeriod(from: string | undefined, to: string | undefined, now: Date): { from: string; to: string } {
  const end = to !== undefined ? dayOf('to', to) : now.toISOString().slice(0, 10);
  const start = from !== undefined ? dayOf('from', from) : new Date(Date.parse(`${end}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  return { from: start, to: end };
}

/** The scorecard of the cases opened in a period (one indexed read of that period's cases, at most SCORECARD_MAX_CASES). */
export async function readScorecard(store: Store, q: { from?: string; to?: string; platform?: Platform }, now: Date): Promise<Scorecard> {
  const period = scorecardPeriod(q.from, q.to, now);
  const { cases, truncated } = await casesOpenedIn(store, { ...period, ...(q.platform ? { platform: q.platform } : {}) }, SCORECARD_MAX_CASES);
  return scorecard(cases, period, now, truncated);
}
