import { createHash } from 'node:crypto';

/**
 * What a check needs to tell "nothing new" before the full parse (pure, one pass of two regular expressions over
 * the raw page): the newest post id on a `t.me/s/<handle>` page, and a digest of the channel header (title, avatar,
 * description, counters: everything in `.tgme_channel_info`). When both equal what the last full check stored, the
 * page holds no new post and no channel change, and the check skips the parse and every write but the check time.
 */
export interface PageDigest {
  /** Highest `data-post="<handle>/<id>"` id on the page; undefined when the page lists no post. */
  newestPostId?: string;
  /** sha1 (hex) of the channel header block; undefined when the page has no header or no post list. */
  header?: string;
}

const HEADER_START = '<div class="tgme_channel_info"';
const HISTORY_START = /<section class="[^"]*\btgme_channel_history\b/;
const POST_ID = /\bdata-post="[A-Za-z0-9_]{1,64}\/(\d{1,12})"/g;

export function pageDigest(html: string): PageDigest {
  const history = HISTORY_START.exec(html);
  if (!history) return {};
  let newest: number | undefined;
  POST_ID.lastIndex = history.index;
  for (let m = POST_ID.exec(html); m; m = POST_ID.exec(html)) {
    const id = Number(m[1]);
    if (newest === undefined || id > newest) newest = id;
  }
  const start = html.indexOf(HEADER_START);
  // the header comes before the message list on every preview page; a page that puts it elsewhere takes the full path
  const header = start >= 0 && start < history.index ? createHash('sha1').update(html.slice(start, history.index)).digest('hex') : undefined;
  return { ...(newest !== undefined ? { newestPostId: String(newest) } : {}), ...(header ? { header } : {}) };
}

/** True when the page is the one the last full check saw: same newest post and same header. */
export function unchangedSince(digest: PageDigest, last: { newestPostId?: string; pageHeader?: string }): boolean {
  return digest.header !== undefined && digest.newestPostId !== undefined && digest.header === last.pageHeader && digest.newestPostId === last.newestPostId;
}
