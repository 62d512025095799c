export { telegramCrawler } from './telegram-crawler';
export { parseChannelPage, plainText, type ChannelPage } from './parse-channel-page';
export { classifyStatusPage, type StatusPage } from './parse-status-page';
export { parseCount, decodeDataView, extractBackgroundUrl, parseDuration, parseTelegramLink } from './parse-helpers';
