/**
 * The readable console (a terminal, the demo): one pino JSON record → `HH:MM:SS message`, as hydrawatch printed
 * before it logged JSON. Warnings and errors get their level in front; the per-job detail lines (hand-offs and
 * stage jobs done) are left out unless the level is debug or trace. Pure.
 */
const DETAIL_EVENTS = new Set(['handoff.enqueued', 'stage.done']);
const LEVEL_TAGS: Record<string, string> = { warn: 'WARN ', error: 'ERROR ', fatal: 'FATAL ' };

export function formatPrettyLine(record: Record<string, unknown>, opts: { showDetail: boolean }): string | undefined {
  if (!opts.showDetail && typeof record.event === 'string' && DETAIL_EVENTS.has(record.event)) return undefined;
  const time = typeof record.time === 'string' ? record.time.slice(11, 19) : new Date().toISOString().slice(11, 19);
  const level = typeof record.level === 'string' ? (LEVEL_TAGS[record.level] ?? '') : '';
  const msg = typeof record.msg === 'string' ? record.msg : JSON.stringify(record);
  const err =
    record.err && typeof record.err === 'object' && typeof (record.err as { message?: unknown }).message === 'string'
      ? `: ${(record.err as { message: string }).message}`
      : '';
  return `${time} ${level}${msg}${err}`;
}
