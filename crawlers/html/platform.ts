import { definePlatform } from '../platform-module';
import { recheckPlainUrl } from '../recheck-fetch';
import { htmlCrawler } from './html-crawler';
import { htmlPageTask } from './parse-tasks';
import { htmlSourceSchema } from './source';

/** Generic pages read with CSS selectors (its parse task serves the browser platform too). */
export const htmlPlatform = definePlatform({
  platform: 'html',
  sourceSchema: htmlSourceSchema,
  crawler: htmlCrawler,
  label: (s) => s.url,
  baseUrl: (s) => s.url,
  egressUrls: (s) => [{ key: ['url'], url: s.url }],
  addFlags: [{ key: 'url', flag: 'url' }],
  parseTasks: [htmlPageTask],
  recheckTarget: recheckPlainUrl,
  simulator: { markup: ['src/simulator/render.ts'] },
});
