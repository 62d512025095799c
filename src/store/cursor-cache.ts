import type { Redis } from 'ioredis';
import type { CursorDoc } from './repos/crawl-state';

/**
 * A source's crawl cursor as last written to the store, kept in Redis so that a check with no new post reads no
 * store document. The store stays the truth: the cache is written after the store (write-through), dropped by
 * whatever unsettles a cursor outside a check, and expires (`ttlSeconds`), so a stale or lost entry costs at most one
 * full check, never a missed post. `checkWrittenAt` is when the channel's `lastCheckedAt` was last written to the
 * store, so that idle checks write it once per resolution period instead of at every check.
 */
export interface CachedCursor {
  doc: CursorDoc;
  /** ms since the epoch; 0 when unknown (the next idle check writes `lastCheckedAt`). */
  checkWrittenAt: number;
}

export interface CursorCache {
  get(sourceId: string): Promise<CachedCursor | null>;
  put(sourceId: string, entry: CachedCursor): Promise<void>;
  drop(sourceId: string): Promise<void>;
}

/** Parses a cached entry; anything malformed reads as a miss (the store is read instead). */
export function decodeCachedCursor(raw: string | null, sourceId: string): CachedCursor | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { doc?: Omit<CursorDoc, 'updatedAt'> & { updatedAt?: string }; checkWrittenAt?: unknown };
    const doc = v.doc;
    if (!doc || doc._id !== sourceId || typeof doc.cursor !== 'object' || doc.cursor === null) return null;
    const updatedAt = new Date(doc.updatedAt ?? NaN);
    if (Number.isNaN(updatedAt.getTime())) return null;
    return { doc: { ...doc, updatedAt }, checkWrittenAt: typeof v.checkWrittenAt === 'number' && Number.isFinite(v.checkWrittenAt) ? v.checkWrittenAt : 0 };
  } catch {
    return null;
  }
}

export function encodeCachedCursor(entry: CachedCursor): string {
  return JSON.stringify({ doc: entry.doc, checkWrittenAt: entry.checkWrittenAt });
}

/** The Redis adapter: one string key per source under `prefix`, with a time to live. */
export function redisCursorCache(redis: Redis, opts: { prefix: string; ttlSeconds: number }): CursorCache {
  const key = (id: string) => `${opts.prefix}:${id}`;
  return {
    async get(sourceId) {
      return decodeCachedCursor(await redis.get(key(sourceId)), sourceId);
    },
    async put(sourceId, entry) {
      await redis.set(key(sourceId), encodeCachedCursor(entry), 'EX', opts.ttlSeconds);
    },
    async drop(sourceId) {
      await redis.del(key(sourceId));
    },
  };
}
