// Moved to the core (src/core/source-target.ts) so that the crawlers can use it; re-exported for existing imports.
export * from '../core/source-target';
