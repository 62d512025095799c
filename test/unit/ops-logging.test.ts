import { createLogger, logTo } from '../../src/ops/logger';
import { formatPrettyLine } from '../../src/ops/pretty-log';
import { loadSettings } from '../../src/config/load-settings';
import { ConfigError } from '../../src/config/format-issues';
import { jobTiming } from '../../src/queue/job-timing';

function capture(isTTY: boolean): { out: { write(s: string): boolean; isTTY: boolean }; lines: string[] } {
  const lines: string[] = [];
  return { out: { write: (s: string) => lines.push(...s.split('\n').filter(Boolean)) > 0, isTTY }, lines };
}

describe('logger', () => {
  it('writes one JSON object a line, with the level name, an ISO time and the fields', () => {
    const c = capture(false);
    const log = logTo(createLogger({ level: 'info', format: 'auto' }, c.out));
    log('crawl a: active', { event: 'crawl.done', sourceId: 'a', jobId: 'crawl__a__1', durationMs: 12 });
    log('a warning', { level: 'warn', event: 'crawl.failed' });
    log('hidden', { level: 'debug' });
    expect(c.lines).toHaveLength(2);
    const first = JSON.parse(c.lines[0] as string) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'info', msg: 'crawl a: active', event: 'crawl.done', sourceId: 'a', jobId: 'crawl__a__1', durationMs: 12 });
    expect(new Date(first.time as string).toISOString()).toBe(first.time);
    expect(JSON.parse(c.lines[1] as string)).toMatchObject({ level: 'warn', msg: 'a warning' });
  });

  it('is the readable console on a terminal (auto) or when asked (pretty), detail lines only at debug', () => {
    const tty = capture(true);
    const log = logTo(createLogger({ level: 'info', format: 'auto' }, tty.out));
    log('crawl a: active, 3 posts seen, 1 new', { event: 'crawl.done', sourceId: 'a' });
    log('media: 2 jobs enqueued for a', { event: 'handoff.enqueued' });
    log('SMTP down', { level: 'error' });
    expect(tty.lines).toHaveLength(2);
    expect(tty.lines[0]).toMatch(/^\d\d:\d\d:\d\d crawl a: active, 3 posts seen, 1 new$/);
    expect(tty.lines[1]).toMatch(/^\d\d:\d\d:\d\d ERROR SMTP down$/);

    const debug = capture(false);
    logTo(createLogger({ level: 'debug', format: 'pretty' }, debug.out))('media: 2 jobs enqueued for a', { event: 'handoff.enqueued' });
    expect(debug.lines).toHaveLength(1);
  });

  it('formats a record without a message or time sensibly', () => {
    expect(formatPrettyLine({ level: 'warn', time: '2026-11-29T10:11:12.000Z', msg: 'x' }, { showDetail: false })).toBe('10:11:12 WARN x');
    expect(formatPrettyLine({ time: '2026-11-29T10:11:12.000Z', a: 1 }, { showDetail: false })).toBe('10:11:12 {"time":"2026-11-29T10:11:12.000Z","a":1}');
    expect(formatPrettyLine({ event: 'stage.done', msg: 'x' }, { showDetail: false })).toBeUndefined();
  });

  it('level and format come from settings, and the environment wins; bad values name the variable', () => {
    const s = loadSettings(undefined, { HYDRAWATCH_LOG_LEVEL: 'debug', HYDRAWATCH_LOG_FORMAT: 'json', HYDRAWATCH_METRICS_PORT: '9464' });
    expect(s.log).toEqual({ level: 'debug', format: 'json' });
    expect(s.metrics.port).toBe(9464);
    expect(loadSettings(undefined, {}).log).toEqual({ level: 'info', format: 'auto' });
    expect(loadSettings(undefined, {}).metrics.port).toBeUndefined();
    for (const [env, path] of [
      [{ HYDRAWATCH_LOG_LEVEL: 'loud' }, 'log.level (HYDRAWATCH_LOG_LEVEL)'],
      [{ HYDRAWATCH_METRICS_PORT: 'ninety' }, 'metrics.port (HYDRAWATCH_METRICS_PORT)'],
    ] as const) {
      let err: unknown;
      try {
        loadSettings(undefined, env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).issues[0]?.path).toBe(path);
    }
  });
});

describe('job timing', () => {
  it('wait runs from when the job was due (after its delay) to when a worker took it; duration to its end', () => {
    expect(jobTiming({ timestamp: 1000, processedOn: 4500, finishedOn: 4700, attemptsMade: 1, opts: { delay: 3000 } })).toEqual({
      waitMs: 500,
      durationMs: 200,
      attempt: 1,
    });
    expect(jobTiming({ timestamp: 1000, processedOn: 1100, attemptsMade: 1, opts: {} }, 1600)).toEqual({ waitMs: 100, durationMs: 500, attempt: 2 });
    expect(jobTiming({ timestamp: 1000, attemptsMade: 0, opts: { delay: 5000 } }, 2000)).toEqual({ waitMs: 0, durationMs: 0, attempt: 1 });
  });
});
