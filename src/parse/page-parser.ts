// The page parser contract lives in the core (src/core/parse-task.ts), below the crawlers; re-exported for existing imports.
export { inThreadParser, type PageParser } from '../core/parse-task';
