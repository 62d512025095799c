import { definePlatform } from '../platform-module';
import { recheckArchiveTarget } from './recheck';
import { archiveCrawler } from './archive-crawler';
import { archiveMetadataTask, archiveSearchTask } from './parse-tasks';
import { archiveQuery, archiveSourceSchema } from './source';

/** An Internet Archive search: its items, their metadata re-checked. */
export const archivePlatform = definePlatform({
  platform: 'archive',
  sourceSchema: archiveSourceSchema,
  crawler: archiveCrawler,
  label: archiveQuery,
  baseUrl: (s) => s.options.baseUrl,
  egressUrls: (s) => [{ key: ['options', 'baseUrl'], url: s.options.baseUrl }],
  addFlags: [
    { key: 'query', flag: 'query' },
    { key: 'collection', flag: 'collection' },
    { key: 'uploader', flag: 'uploader' },
  ],
  parseTasks: [archiveSearchTask, archiveMetadataTask],
  recheckTarget: recheckArchiveTarget,
  simulator: { markup: ['src/simulator/archive-json.ts'], fixtures: 'test/fixtures/archive' },
});
