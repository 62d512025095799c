export { htmlCrawler } from './html-crawler';
export { extractPosts, newerThan, pageTitle, type HtmlSelectors } from './extract-posts';
