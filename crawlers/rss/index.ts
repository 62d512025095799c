export { rssCrawler } from './rss-crawler';
export { parseFeed, type ParsedFeed } from './parse-feed';
export { rssPlatform } from './platform';
export { rssSourceSchema, type RssSource } from './source';
