export { archiveCrawler, itemPost, searchUrl } from './archive-crawler';
export { parseAdvancedSearch, parseItemMetadata, smallestVideo, type ItemMetadata, type SearchResult, type SearchDoc, type ArchiveFile } from './parse-archive';
export { archivePlatform } from './platform';
export { archiveSourceSchema, type ArchiveSource } from './source';
export { archiveQuery } from './source';
