/** Default of `limits.maxHtmlDepth`: real pages nest a few dozen elements deep (t.me/s: about 20). */
export const DEFAULT_MAX_HTML_DEPTH = 256;

/**
 * One page parse that may run off the crawl's thread (src/parse/parse-pool.ts): a pure function of its input and the nesting
 * cap, known to the parse threads by its name. Each platform defines its tasks next to its parsers
 * (`crawlers/<platform>/parse-tasks.ts`) and lists them in its module (`parseTasks`); src/parse/task-registry.ts collects
 * them from crawlers/registry.ts for the threads. Inputs and results are plain data (strings, numbers, arrays, objects,
 * Dates), so that they cross a worker-thread boundary by structured clone.
 */
export interface ParseTask<I, O> {
  /** Unique across platforms: the name the parse thread looks the task up by. */
  readonly name: string;
  /** What it parses, as errors name it ("feed", "YouTube watch page"). */
  readonly what: string;
  /** Where the input came from, named in errors (budget, thread death). */
  urlOf(input: I): string | undefined;
  /** The parse itself: pure, throws ParseError (or SourceConfigError) on bad input. */
  run(input: I, maxDepth: number): O;
}

/** A task of any input and result (the registry's view: method parameters are bivariant, so every task fits). */
export type AnyParseTask = ParseTask<unknown, unknown>;

/** What a task parses, and where from: named in the pool's errors. */
export function describeTask<I, O>(task: ParseTask<I, O>, input: I): { what: string; url?: string } {
  const url = task.urlOf(input);
  return { what: task.what, ...(url ? { url } : {}) };
}

/** Where crawlers parse fetched pages: a pool of worker threads with a time budget (src/parse/parse-pool.ts), or this thread. */
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
