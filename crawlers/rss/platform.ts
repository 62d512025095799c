import { definePlatform } from '../platform-module';
import { recheckPlainUrl } from '../recheck-fetch';
import { feedTask } from './parse-tasks';
import { rssCrawler } from './rss-crawler';
import { rssSourceSchema } from './source';

/** RSS 2.0 and Atom feeds. */
export const rssPlatform = definePlatform({
  platform: 'rss',
  sourceSchema: rssSourceSchema,
  crawler: rssCrawler,
  label: (s) => s.url,
  baseUrl: (s) => s.url,
  egressUrls: (s) => [{ key: ['url'], url: s.url }],
  addFlags: [{ key: 'url', flag: 'url' }],
  parseTasks: [feedTask],
  recheckTarget: recheckPlainUrl,
  simulator: { markup: ['src/simulator/render.ts'] },
});
