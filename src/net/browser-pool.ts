// The browser pool interface lives in the core (src/core/browser-pool.ts), below the crawlers; re-exported for existing imports.
export type * from '../core/browser-pool';
