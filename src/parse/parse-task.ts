// The parse task contract lives in the core (src/core/parse-task.ts), below the crawlers; re-exported for existing imports.
export { describeTask, type AnyParseTask, type ParseTask } from '../core/parse-task';
