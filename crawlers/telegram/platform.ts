import { definePlatform } from '../platform-module';
import { recheckTelegramTarget } from './recheck';
import { telegramChannelTask, telegramStatusTask } from './parse-tasks';
import { telegramSourceSchema } from './source';
import { telegramCrawler } from './telegram-crawler';

/**
 * Telegram's public web preview. Channels are keyed by the numeric channel id when the page gives it (renames keep
 * the key), else by the key the handle index knows for the handle, else by the lowercased handle. Its crawl hooks
 * (followed renames, the handle index, settled cursors, successor searches) are src/pipeline/platforms/telegram.ts.
 */
export const telegramPlatform = definePlatform({
  platform: 'telegram',
  sourceSchema: telegramSourceSchema,
  crawler: telegramCrawler,
  label: (s) => s.handle,
  baseUrl: (s) => s.options.baseUrl,
  egressUrls: (s) => [{ key: ['options', 'baseUrl'], url: s.options.baseUrl }],
  addFlags: [{ key: 'handle', flag: 'handle', clean: (v) => v.replace(/^@/, '') }],
  listLabel: (s) => `@${s.handle}`,
  parseTasks: [telegramChannelTask, telegramStatusTask],
  recheckTarget: recheckTelegramTarget,
  channelKey(source, snap, knownKeyForHandle) {
    if (snap?.platformId) return `tg:${snap.platformId}`;
    if (knownKeyForHandle) return knownKeyForHandle;
    return `tg:@${(snap?.handle ?? source.handle).toLowerCase()}`;
  },
  linkBase: (s) => s.options.baseUrl,
  simulator: { markup: ['src/simulator/tme-markup.ts', 'src/simulator/render.ts'], fixtures: 'test/fixtures/telegram' },
});
