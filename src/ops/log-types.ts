/** The log levels hydrawatch uses (pino's), and `silent`, which logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Structured fields of one log line. `level` picks the level (default info); `event` names what happened
 * (`crawl.done`, `handoff.enqueued`, `stage.done`, `alert.raised`, `alert.sent`, `config.reload`, …); the rest are
 * fields of the JSON line (sourceId, jobId, durationMs, waitMs, …).
 */
export interface LogFields {
  level?: Exclude<LogLevel, 'silent'>;
  event?: string;
  [field: string]: unknown;
}

/**
 * What the code passes around: one line of text, optionally with structured fields. Plain `(line) => …` callbacks
 * (tests, tools) still fit: they just ignore the fields.
 */
export type Log = (line: string, fields?: LogFields) => void;
