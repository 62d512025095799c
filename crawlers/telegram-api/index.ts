export { telegramApiPlatform } from './platform';
export { telegramApiCrawler, NOT_CONFIGURED } from './telegram-api-crawler';
export { telegramApiSourceSchema, type TelegramApiSource } from './source';
export { mapMessage, entityMarks, reactionCounts, serviceInfo, serviceText, type MessageContext } from './map-message';
export { mapMedia, documentKind, apiMediaUrl, sizeText } from './map-media';
export { channelSnapshot, otherPeerSnapshot, stateSnapshot } from './map-channel';
export { classifyApiError, apiErrorCode, CHAT_STATE_OF_ERROR, SESSION_ERRORS, CREDENTIAL_ERRORS, type ApiErrorKind } from './api-errors';
export { peerDirectory, peerId, describePeer, primaryUsername, messageUrl, type PeerDirectory } from './peers';
