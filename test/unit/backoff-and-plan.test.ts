import { computeBackoffMs } from '../../src/queue/backoff';
import { crawlJobId, tickKey } from '../../src/queue/crawl-job';
import { jitterDelayMs, startupDelaysMs } from '../../src/scheduler/plan';

function seq(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

describe('computeBackoffMs', () => {
  const policy = { baseMs: 1000, maxMs: 60000 };
  it('doubles per attempt with jitter in [exp/2, exp]', () => {
    expect(computeBackoffMs(1, policy, undefined, () => 0)).toBe(500);
    expect(computeBackoffMs(1, policy, undefined, () => 1)).toBe(1000);
    expect(computeBackoffMs(3, policy, undefined, () => 1)).toBe(4000);
    expect(computeBackoffMs(3, policy, undefined, () => 0)).toBe(2000);
  });
  it('caps at maxMs', () => {
    expect(computeBackoffMs(30, policy, undefined, () => 1)).toBe(60000);
  });
  it('never retries before Retry-After', () => {
    expect(computeBackoffMs(1, policy, 45000, () => 1)).toBe(45000);
    expect(computeBackoffMs(6, policy, 100, () => 1)).toBe(32000);
  });
});

describe('job ids', () => {
  it('are one per source and tick, without ":" (BullMQ forbids it)', () => {
    const at = new Date('2026-11-24T21:30:05.123Z');
    expect(tickKey(at)).toBe('20261124213005');
    expect(crawlJobId('alpha', at)).toBe('crawl__alpha__20261124213005');
    expect(crawlJobId('alpha', at, 'startup')).toBe(crawlJobId('alpha', at, 'cron'));
    expect(crawlJobId('alpha', at, 'manual')).not.toBe(crawlJobId('alpha', at));
    expect(crawlJobId('alpha', at)).not.toContain(':');
  });
});

describe('scheduling plan', () => {
  it('jitter stays within the window', () => {
    expect(jitterDelayMs(20, () => 0)).toBe(0);
    expect(jitterDelayMs(20, () => 0.5)).toBe(10000);
    expect(jitterDelayMs(20, () => 0.999)).toBeLessThan(20000);
  });
  it('spreads start-up checks over the window, one slot per source', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `s${i}`);
    const delays = startupDelaysMs(ids, 100, seq([0.37, 0.11, 0.93, 0.5, 0.72]));
    expect(delays.size).toBe(100);
    const sorted = [...delays.values()].sort((a, b) => a - b);
    expect(sorted[0]).toBeGreaterThanOrEqual(0);
    expect(sorted[99]).toBeLessThanOrEqual(100000);
    // no thundering herd: at most 2 checks start in any one second of the window
    const perSecond = new Map<number, number>();
    for (const d of sorted) perSecond.set(Math.floor(d / 1000), (perSecond.get(Math.floor(d / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(2);
  });
  it('handles an empty list', () => {
    expect(startupDelaysMs([], 60).size).toBe(0);
  });
});
