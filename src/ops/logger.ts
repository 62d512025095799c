import pino, { type DestinationStream, type Logger } from 'pino';
import type { Settings } from '../config/schema';
import type { Log, LogFields } from './log-types';
import { formatPrettyLine } from './pretty-log';

export type LogSettings = Settings['log'];

export interface LogOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** The readable console as a pino destination: each JSON record is turned into one line of text. */
function prettyDestination(out: LogOutput, showDetail: boolean): DestinationStream {
  return {
    write(chunk: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(chunk) as Record<string, unknown>;
      } catch {
        out.write(chunk);
        return;
      }
      const line = formatPrettyLine(record, { showDetail });
      if (line !== undefined) out.write(`${line}\n`);
    },
  };
}

/**
 * The process's structured logger (pino): JSON lines with an ISO time and the level's name, or the readable console
 * when `format` says so (or `auto` on a terminal). Writes synchronously, so a process that exits right after a line
 * loses nothing.
 */
export function createLogger(settings: LogSettings, out: LogOutput = process.stdout): Logger {
  const pretty = settings.format === 'pretty' || (settings.format === 'auto' && out.isTTY === true);
  const options = {
    level: settings.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  const showDetail = settings.level === 'debug' || settings.level === 'trace';
  return pino(options, pretty ? prettyDestination(out, showDetail) : (out as DestinationStream));
}

/** The adapter the code uses: `log(line, fields)` → one structured line at `fields.level` (default info). */
export function logTo(logger: Logger): Log {
  return (line: string, fields?: LogFields) => {
    const { level = 'info', ...rest } = fields ?? {};
    logger[level](rest, line);
  };
}
