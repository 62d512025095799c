export { telegramCrawler } from './telegram-crawler';
export { parseChannelPage, plainText, type ChannelPage } from './parse-channel-page';
export { classifyStatusPage, type StatusPage, type StatusPageKind } from './parse-status-page';
export { parseCount, decodeDataView, extractBackgroundUrl, linkUrl, parseDuration, parseMapLink, parseTelegramLink } from './parse-helpers';
export { classifyServiceText } from './service-message';
export { TextBuilder } from './plain-text';
export { telegramPlatform } from './platform';
export { telegramSourceSchema, type TelegramSource } from './source';
