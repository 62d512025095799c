import { DEFAULT_MAX_HTML_DEPTH } from '../../crawlers/nesting-depth';
import type { ParseTask } from './parse-task';

/** Where crawlers parse fetched pages: a pool of worker threads with a time budget (./parse-pool.ts), or this thread. */
export interface PageParser {
  run<I, O>(task: ParseTask<I, O>, input: I): Promise<O>;
  close(): Promise<void>;
}

/** Parses in the caller's thread: the nesting cap holds, there is no time budget (tools, unit tests, benches). */
export function inThreadParser(maxDepth: number = DEFAULT_MAX_HTML_DEPTH): PageParser {
  return {
    run: async (task, input) => task.run(input, maxDepth),
    close: async () => undefined,
  };
}
