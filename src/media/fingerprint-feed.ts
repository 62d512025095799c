import type { Redis } from 'ioredis';
import type { MediaItemDoc, StoredView } from './types';

/** What every matcher needs of a stored fingerprint (the Mongo document stays the record). */
export interface FeedItem {
  id: string;
  clusterId: string;
  firstSeenAt: number;
  pdq?: string;
  quality?: number;
  frames?: string[];
  /** Each frame's strip windows, aligned with `frames` (video-print.ts). */
  frameWindows?: string[];
  /** Extra PDQ views of a picture (trimmed, caption-stripped, crop windows). */
  views?: StoredView[];
  /** Published without its frames or views (to keep the stream small): the reader loads the item by `_id`. */
  more?: boolean;
}

/** The stream entry: the item without its bulky frame bag or views, which readers load by `_id`. */
export function feedEntryOf(it: FeedItem): FeedItem {
  const { frames, views, frameWindows, ...rest } = it;
  return frames?.length || views?.length || frameWindows?.length ? { ...rest, more: true } : rest;
}

export function feedItemOf(d: MediaItemDoc): FeedItem {
  return {
    id: d._id,
    clusterId: d.clusterId,
    firstSeenAt: d.firstSeenAt.getTime(),
    ...(d.pdq ? { pdq: d.pdq, quality: d.quality ?? 0 } : {}),
    ...(d.frames ? { frames: d.frames } : {}),
    ...(d.frameWindows?.length ? { frameWindows: d.frameWindows } : {}),
    ...(d.views?.length ? { views: d.views } : {}),
  };
}

export interface FeedRead {
  items: FeedItem[];
  lastId: string;
  /** The reader fell behind the stream's trimmed start: entries were lost, it must reload from the store. */
  gap: boolean;
}

/**
 * A Redis stream that tells every matcher about new fingerprints and cluster changes (XADD, trimmed to about
 * `maxLen` entries), so that no worker range-scans `media_items`. A reader keeps the id of the last entry it read;
 * one that fell behind the trimmed start is told so and reloads.
 */
export class FingerprintFeed {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly maxLen = 100_000,
  ) {}

  async publish(items: FeedItem[]): Promise<void> {
    if (!items.length) return;
    const p = this.redis.pipeline();
    for (const it of items) p.xadd(this.key, 'MAXLEN', '~', String(this.maxLen), '*', 'd', JSON.stringify(feedEntryOf(it)));
    const res = await p.exec();
    const failed = res?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  /** The id of the newest entry ("0-0" when empty): a reader that loads the store now continues after it. */
  async head(): Promise<string> {
    const last = (await this.redis.xrevrange(this.key, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
    return last[0]?.[0] ?? '0-0';
  }

  /** Entries after `afterId`, at most `count`. */
  async readAfter(afterId: string, count = 5000): Promise<FeedRead> {
    const rows = (await this.redis.xrange(this.key, `(${afterId}`, '+', 'COUNT', count)) as Array<[string, string[]]>;
    let gap = false;
    if (afterId !== '0-0') {
      const first = (await this.redis.xrange(this.key, '-', '+', 'COUNT', 1)) as Array<[string, string[]]>;
      const firstId = first[0]?.[0];
      gap = !!firstId && compareIds(firstId, afterId) > 0 && rows[0]?.[0] === firstId;
    }
    const items: FeedItem[] = [];
    for (const [, fields] of rows) {
      const i = fields.indexOf('d');
      const raw = i >= 0 ? fields[i + 1] : undefined;
      if (raw) items.push(JSON.parse(raw) as FeedItem);
    }
    return { items, lastId: rows.length ? (rows[rows.length - 1] as [string, string[]])[0] : afterId, gap };
  }
}

/** Orders stream ids ("<ms>-<seq>"). */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}
