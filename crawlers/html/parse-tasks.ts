import type { ParseTask } from '../../src/core/parse-task';
import type { ParsedPost } from '../types';
import { extractPosts, pageTitle, type HtmlSelectors } from './extract-posts';

/** A generic HTML page (html and browser crawlers): its posts by the source's selectors, and its title. */
export interface HtmlPage {
  posts: ParsedPost[];
  title?: string;
}

/** A generic page by the source's CSS selectors; the nesting cap is checked before the DOM is built. */
export const htmlPageTask: ParseTask<{ html: string; pageUrl: string; selectors: HtmlSelectors }, HtmlPage> = {
  name: 'htmlPage',
  what: 'HTML page',
  urlOf: (i) => i.pageUrl,
  run: (i, maxDepth) => {
    const posts = extractPosts(i.html, i.pageUrl, i.selectors, maxDepth);
    const title = pageTitle(i.html);
    return { posts, ...(title ? { title } : {}) };
  },
};
