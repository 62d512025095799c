import { definePlatform } from '../platform-module';
import { recheckYoutubeTarget } from './recheck';
import { youtubeChannelTask, youtubeFeedTask, youtubeWatchTask } from './parse-tasks';
import { youtubeSourceSchema } from './source';
import { youtubeCrawler } from './youtube-crawler';

/** A YouTube channel or playlist: its feed, its videos' watch pages, its channel page. */
export const youtubePlatform = definePlatform({
  platform: 'youtube',
  sourceSchema: youtubeSourceSchema,
  crawler: youtubeCrawler,
  label: (s) => s.channelId ?? s.playlistId ?? '',
  baseUrl: (s) => s.options.baseUrl,
  egressUrls: (s) => [
    { key: ['options', 'baseUrl'], url: s.options.baseUrl },
    { key: ['options', 'thumbBaseUrl'], url: s.options.thumbBaseUrl },
  ],
  addFlags: [
    { key: 'channelId', flag: 'channel-id' },
    { key: 'playlistId', flag: 'playlist-id' },
  ],
  parseTasks: [youtubeFeedTask, youtubeWatchTask, youtubeChannelTask],
  recheckTarget: recheckYoutubeTarget,
  simulator: { markup: ['src/simulator/youtube-markup.ts'], fixtures: 'test/fixtures/youtube' },
});
