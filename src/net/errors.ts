// The crawl error classes live in the core (src/core/errors.ts), below the crawlers; re-exported for existing imports.
export * from '../core/errors';
