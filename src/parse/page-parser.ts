import { DEFAULT_MAX_HTML_DEPTH } from '../../crawlers/nesting-depth';
import { runParseTask, type ParseInput, type ParseOutput, type ParseTaskName } from './parse-tasks';

/** Where crawlers parse fetched pages: a pool of worker threads with a time budget (./parse-pool.ts), or this thread. */
export interface PageParser {
  run<K extends ParseTaskName>(task: K, input: ParseInput<K>): Promise<ParseOutput<K>>;
  close(): Promise<void>;
}

/** Parses in the caller's thread: the nesting cap holds, there is no time budget (tools, unit tests, benches). */
export function inThreadParser(maxDepth: number = DEFAULT_MAX_HTML_DEPTH): PageParser {
  return {
    run: async (task, input) => runParseTask(task, input, maxDepth),
    close: async () => undefined,
  };
}
