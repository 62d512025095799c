/**
 * One page parse that may run off the crawl's thread (./parse-pool.ts): a pure function of its input and the nesting
 * cap, known to the parse threads by its name. Each platform defines its tasks next to its parsers
 * (`crawlers/<platform>/parse-tasks.ts`); ./task-registry.ts lists them for the threads. Inputs and results are plain
 * data (strings, numbers, arrays, objects, Dates), so that they cross a worker-thread boundary by structured clone.
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
