export { browserCrawler } from './browser-crawler';
