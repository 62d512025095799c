import { UnknownTargetUrlError } from '../recheck-fetch';
import { definePlatform } from '../platform-module';
import { telegramApiSourceSchema } from './source';
import { telegramApiCrawler } from './telegram-api-crawler';

/**
 * Telegram through its own API (MTProto, GramJS), logged in with an analyst's account: public groups, and the comments
 * under a channel's posts. Off unless `telegramApi` is set in the settings. Chats are keyed by the numeric id as the
 * web preview's (`tg:<id>`), so that a channel read both ways is one channel and its posts one timeline. The crawler
 * connects to Telegram's data centres over MTProto, not HTTP: no URL goes through the egress check, and the base URL is
 * only the key of the host limiter.
 */
export const telegramApiPlatform = definePlatform({
  platform: 'telegram-api',
  sourceSchema: telegramApiSourceSchema,
  crawler: telegramApiCrawler,
  label: (s) => (s.read === 'comments' ? `${s.handle} (comments)` : s.handle),
  baseUrl: () => 'https://telegram-api.invalid',
  egressUrls: () => [],
  addFlags: [
    { key: 'handle', flag: 'handle', clean: (v) => v.replace(/^@/, '') },
    { key: 'read', flag: 'read' },
  ],
  listLabel: (s) => (s.read === 'comments' ? `@${s.handle} (comments)` : `@${s.handle}`),
  parseTasks: [],
  recheckTarget: (_ctx, t) =>
    Promise.reject(new UnknownTargetUrlError(t.url, 'telegram-api', 'reported targets are re-checked through the web preview (platform telegram)')),
  channelKey(source, snap, knownKeyForHandle) {
    if (snap?.platformId) return `tg:${snap.platformId}`;
    if (knownKeyForHandle) return knownKeyForHandle;
    if (source.read === 'comments') return `tg:@${source.handle.toLowerCase()}/comments`; // the discussion group, not the channel
    return `tg:@${(snap?.handle ?? source.handle).toLowerCase()}`;
  },
});
