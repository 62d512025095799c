// The fetcher interface lives in the core (src/core/fetcher.ts), below the crawlers; re-exported for existing imports.
export type * from '../core/fetcher';
