import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Source } from './schema';
import { ConfigError } from './format-issues';
import { parseSourcesYaml, readConfigFile } from './load-sources';

export interface SourcesDiff {
  added: Source[];
  removed: Source[];
  changed: Source[];
  all: Source[];
}

/** Pure: what changed between two watch lists ("changed" = same id, different content). */
export function diffSources(prev: readonly Source[], next: readonly Source[]): SourcesDiff {
  const before = new Map(prev.map((s) => [s.id, s]));
  const after = new Map(next.map((s) => [s.id, s]));
  const added = next.filter((s) => !before.has(s.id));
  const removed = prev.filter((s) => !after.has(s.id));
  const changed = next.filter((s) => before.has(s.id) && JSON.stringify(before.get(s.id)) !== JSON.stringify(s));
  return { added, removed, changed, all: [...next] };
}

export interface SourcesWatcher {
  close(): void;
  current(): Source[];
  /** Re-reads now (also runs on file events and every pollMs). */
  check(): Promise<void>;
}

/**
 * Hot reload of the watch list: fs.watch on the directory (editors replace files) plus polling by content hash.
 * A bad edit keeps the last good list and reports the error; it never drops the sources being watched.
 */
export async function watchSources(
  path: string,
  opts: { pollMs: number; onChange: (diff: SourcesDiff) => void; onError: (err: ConfigError) => void; initial?: Source[] },
): Promise<SourcesWatcher> {
  let current: Source[] = opts.initial ?? [];
  let lastHash = '';
  let closed = false;
  let running: Promise<void> = Promise.resolve();

  const check = (): Promise<void> => {
    running = running
      .then(async () => {
        if (closed) return;
        let text: string;
        try {
          text = await readConfigFile(path);
        } catch (err) {
          const hash = `unreadable:${(err as Error).message}`;
          if (hash !== lastHash) {
            lastHash = hash;
            opts.onError(
              err instanceof ConfigError
                ? err
                : new ConfigError([{ file: path, line: 1, column: 1, path: '', message: `cannot read file: ${(err as Error).message}` }]),
            );
          }
          return;
        }
        const hash = createHash('sha256').update(text).digest('hex');
        if (hash === lastHash) return;
        lastHash = hash;
        let r: ReturnType<typeof parseSourcesYaml>;
        try {
          r = parseSourcesYaml(text, path);
        } catch (err) {
          // Whatever a file holds, the scheduler keeps running on the previous list.
          r = { ok: false, errors: [{ file: path, line: 1, column: 1, path: '', message: `cannot load: ${(err as Error).message}` }] };
        }
        if (!r.ok) {
          opts.onError(new ConfigError(r.errors));
          return;
        }
        const diff = diffSources(current, r.sources);
        current = r.sources;
        if (diff.added.length || diff.removed.length || diff.changed.length) opts.onChange(diff);
      })
      .catch((err: unknown) => {
        opts.onError(new ConfigError([{ file: path, line: 1, column: 1, path: '', message: `cannot load: ${(err as Error).message}` }]));
      });
    return running;
  };

  await check();
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), (_event, file) => {
      if (!file || file.toString() === basename(path)) void check();
    });
  } catch {
    watcher = undefined; // polling still works
  }
  const timer = setInterval(() => void check(), opts.pollMs);
  timer.unref();
  return {
    close() {
      closed = true;
      watcher?.close();
      clearInterval(timer);
    },
    current: () => current,
    check,
  };
}
