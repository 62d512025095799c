import type { ParseTask } from '../../src/core/parse-task';
import { parseFeed, type ParsedFeed } from './parse-feed';

/** An RSS 2.0 / Atom feed; the nesting cap is checked (feed and item HTML) before any DOM is built. */
export const feedTask: ParseTask<{ xml: string; feedUrl: string }, ParsedFeed> = {
  name: 'feed',
  what: 'feed',
  urlOf: (i) => i.feedUrl,
  run: (i, maxDepth) => parseFeed(i.xml, i.feedUrl, maxDepth),
};
