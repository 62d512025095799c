export { rssCrawler } from './rss-crawler';
export { parseFeed, type ParsedFeed } from './parse-feed';
