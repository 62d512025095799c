import type { Store } from '../store/store';
import { csvHeader, csvRow, ndjsonLine, type TableFormat } from './export-formats';
import { countMatching, streamAll, type ExtraFilter, type Listable } from './listings';
import type { TimelineFilter } from './query-filter';

export interface ExportProgress {
  done: number;
  total: number;
}

/**
 * Every matching document (oldest first, keyset batches) as CSV or NDJSON chunks of about 64 KiB. Memory stays
 * flat whatever the size.
 */
export async function* exportChunks(
  store: Store,
  kind: Listable,
  format: TableFormat,
  f: TimelineFilter,
  x: ExtraFilter,
  onRow?: (done: number) => void,
): AsyncGenerator<string> {
  if (format === 'csv') yield csvHeader(kind);
  let done = 0;
  let buf = '';
  for await (const d of streamAll(store, kind, f, x)) {
    buf += format === 'csv' ? csvRow(kind, d) : ndjsonLine(d);
    done++;
    onRow?.(done);
    if (buf.length >= 64 * 1024) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/**
 * Writes an export to a sink (file, stdout), awaiting it for backpressure, with progress every 1000 rows.
 * Returns the number of rows written.
 */
export async function exportTimeline(
  store: Store,
  kind: Listable,
  format: TableFormat,
  f: TimelineFilter,
  x: ExtraFilter,
  sink: (chunk: string) => Promise<void>,
  onProgress?: (p: ExportProgress) => void,
): Promise<number> {
  const total = await countMatching(store, kind, f, x); // also validates the filter before anything is written
  let done = 0;
  for await (const chunk of exportChunks(store, kind, format, f, x, (n) => {
    done = n;
    if (onProgress && n % 1000 === 0) onProgress({ done: n, total });
  })) {
    await sink(chunk);
  }
  onProgress?.({ done, total: Math.max(total, done) });
  return done;
}
