export { browserCrawler } from './browser-crawler';
export { browserPlatform } from './platform';
export { browserSourceSchema, type BrowserSource } from './source';
