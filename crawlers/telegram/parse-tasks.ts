import type { ParseTask } from '../../src/core/parse-task';
import { parseChannelPage, type ChannelPage } from './parse-channel-page';
import { classifyStatusPage, type StatusPage } from './parse-status-page';

/** A t.me/s preview page (its own nesting cap inside the streaming parser). */
export const telegramChannelTask: ParseTask<{ html: string; baseUrl: string; handle: string; pageUrl?: string }, ChannelPage> = {
  name: 'telegramChannel',
  what: 'Telegram preview page',
  urlOf: (i) => i.pageUrl,
  run: (i, maxDepth) => parseChannelPage(i.html, { baseUrl: i.baseUrl, handle: i.handle, maxDepth, ...(i.pageUrl ? { pageUrl: i.pageUrl } : {}) }),
};

/** A t.me/<handle> page: removed, private, not found, group, user, bot or a live channel. */
export const telegramStatusTask: ParseTask<{ html: string; url?: string }, StatusPage> = {
  name: 'telegramStatus',
  what: 'Telegram status page',
  urlOf: (i) => i.url,
  run: (i, maxDepth) => classifyStatusPage(i.html, maxDepth, i.url),
};
