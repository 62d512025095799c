import type { Source } from './sources';

/** Pure: what a source watches, as people name it: `@handle`-less Telegram handle, a URL, a YouTube id, an Archive search. */
export function sourceLabel(s: Source): string {
  switch (s.platform) {
    case 'telegram':
      return s.handle;
    case 'youtube':
      return s.channelId ?? s.playlistId ?? '';
    case 'archive':
      return archiveQuery(s);
    default:
      return s.url;
  }
}

/** Pure: the base URL the source's crawler connects to (its host is the one rate- and concurrency-limited). */
export function sourceBaseUrl(s: Source): string {
  switch (s.platform) {
    case 'telegram':
    case 'youtube':
    case 'archive':
      return s.options.baseUrl;
    default:
      return s.url;
  }
}

/** Pure: the advanced-search query of an archive source (its parts joined with AND). */
export function archiveQuery(s: Extract<Source, { platform: 'archive' }>): string {
  const parts: string[] = [];
  if (s.query) parts.push(`(${s.query})`);
  if (s.collection) parts.push(`collection:"${s.collection}"`);
  if (s.uploader) parts.push(`uploader:"${s.uploader}"`);
  return parts.join(' AND ');
}
