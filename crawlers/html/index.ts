export { htmlCrawler } from './html-crawler';
export { extractPosts, newerThan, pageTitle, type HtmlSelectors } from './extract-posts';
export { htmlPlatform } from './platform';
export { htmlSourceSchema, type HtmlSource } from './source';
