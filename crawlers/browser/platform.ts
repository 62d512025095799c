import { definePlatform } from '../platform-module';
import { recheckPlainUrl } from '../recheck-fetch';
import { browserCrawler } from './browser-crawler';
import { browserSourceSchema } from './source';

/** Pages that need JavaScript, rendered by the browser pool; parsed by the html platform's task (htmlPage). */
export const browserPlatform = definePlatform({
  platform: 'browser',
  sourceSchema: browserSourceSchema,
  crawler: browserCrawler,
  label: (s) => s.url,
  baseUrl: (s) => s.url,
  egressUrls: (s) => [{ key: ['url'], url: s.url }],
  addFlags: [{ key: 'url', flag: 'url' }],
  parseTasks: [],
  recheckTarget: recheckPlainUrl,
  simulator: { markup: ['src/simulator/render.ts'] },
});
