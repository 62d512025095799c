import { parseChannelPage, type ChannelPage } from '../../crawlers/telegram/parse-channel-page';
import { classifyStatusPage, type StatusPage } from '../../crawlers/telegram/parse-status-page';
import { extractPosts, pageTitle, type HtmlSelectors } from '../../crawlers/html/extract-posts';
import { parseFeed, type ParsedFeed } from '../../crawlers/rss/parse-feed';
import type { ParsedPost } from '../../crawlers/types';

/** A generic HTML page (html and browser crawlers): its posts by the source's selectors, and its title. */
export interface HtmlPage {
  posts: ParsedPost[];
  title?: string;
}

/**
 * The page parses that run off the crawl's thread (./parse-pool.ts), by name: pure functions of their input and the
 * nesting cap. Inputs and results are plain data (strings, numbers, arrays, objects, Dates), so they cross a
 * worker-thread boundary by structured clone.
 */
export const parseTasks = {
  telegramChannel: (i: { html: string; baseUrl: string; handle: string; pageUrl?: string }, maxDepth: number): ChannelPage =>
    parseChannelPage(i.html, { baseUrl: i.baseUrl, handle: i.handle, maxDepth, ...(i.pageUrl ? { pageUrl: i.pageUrl } : {}) }),
  telegramStatus: (i: { html: string; url?: string }, maxDepth: number): StatusPage => classifyStatusPage(i.html, maxDepth, i.url),
  htmlPage: (i: { html: string; pageUrl: string; selectors: HtmlSelectors }, maxDepth: number): HtmlPage => {
    const posts = extractPosts(i.html, i.pageUrl, i.selectors, maxDepth);
    const title = pageTitle(i.html);
    return { posts, ...(title ? { title } : {}) };
  },
  feed: (i: { xml: string; feedUrl: string }, maxDepth: number): ParsedFeed => parseFeed(i.xml, i.feedUrl, maxDepth),
};

export type ParseTasks = typeof parseTasks;
export type ParseTaskName = keyof ParseTasks;
export type ParseInput<K extends ParseTaskName> = Parameters<ParseTasks[K]>[0];
export type ParseOutput<K extends ParseTaskName> = ReturnType<ParseTasks[K]>;

/** What a task parses, and where from: named in its errors. */
export function describeTask<K extends ParseTaskName>(task: K, input: ParseInput<K>): { what: string; url?: string } {
  const i = input as { pageUrl?: string; url?: string; feedUrl?: string };
  const url = i.pageUrl ?? i.url ?? i.feedUrl;
  const what = { telegramChannel: 'Telegram preview page', telegramStatus: 'Telegram status page', htmlPage: 'HTML page', feed: 'feed' }[task];
  return { what, ...(url ? { url } : {}) };
}

/** Runs one task in this thread (the parse thread, or a caller with no pool). */
export function runParseTask<K extends ParseTaskName>(task: K, input: ParseInput<K>, maxDepth: number): ParseOutput<K> {
  const fn = parseTasks[task] as (i: ParseInput<K>, d: number) => ParseOutput<K>;
  return fn(input, maxDepth);
}
