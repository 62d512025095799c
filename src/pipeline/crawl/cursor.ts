import type { Store } from '../../store/store';
import type { CursorDoc } from '../../store/repos/crawl-state';
import type { StatedCrawl } from './context';

function withoutSettled(doc: CursorDoc | null): Partial<CursorDoc> {
  if (!doc) return {};
  const { settled: _settled, ...rest } = doc;
  return rest;
}

/** After a full check (which wrote the channel's check time): the cache holds the cursor document as now stored. */
async function refreshCachedCursor(store: Store, doc: Partial<CursorDoc> & { _id: string }, at: Date): Promise<void> {
  if (!store.cursorCache || !doc.cursor || !doc.updatedAt) return;
  await store.cursorCache.put(doc._id, { doc: doc as CursorDoc, checkWrittenAt: at.getTime() });
}

/**
 * Last, the cursor: written when it moved, or when what the platform's `cursorLanding` hook records of the channel
 * changed (the channel landed on; settled, which lets the next check read the cursor only). An active channel's
 * cursor only, or a channel whose known posts are re-checked (a removed channel's videos or items: their cursor moves
 * on, gone ones leave the tracked list). The Redis cache follows the store.
 */
export async function moveCursor(crawl: StatedCrawl): Promise<void> {
  const { store, source, snap, outcome, stored, cursorDoc, at } = crawl;
  const { landed, settled } = crawl.hooks.cursorLanding?.(crawl) ?? {};
  const settledMoved = JSON.stringify(settled ?? null) !== JSON.stringify(cursorDoc?.settled ?? null);
  const cursorMoved = JSON.stringify(outcome.cursor) !== JSON.stringify(stored);
  const landingMoved = !!landed && (cursorDoc?.channelKey !== landed.channelKey || cursorDoc.handle !== landed.handle);
  const fields = { cursor: outcome.cursor, updatedAt: at, ...landed, ...(settled ? { settled } : {}) };
  if ((snap.status === 'active' || outcome.checks !== undefined) && (cursorMoved || settledMoved || landingMoved)) {
    await store.cursors.updateOne({ _id: source.id }, { $set: fields, ...(settled ? {} : { $unset: { settled: '' } }) }, { upsert: true });
    await refreshCachedCursor(store, { ...withoutSettled(cursorDoc), _id: source.id, ...fields }, at);
  } else if (cursorDoc?.settled && !settled) {
    await store.cursors.updateOne({ _id: source.id }, { $unset: { settled: '' } });
    await refreshCachedCursor(store, { ...withoutSettled(cursorDoc), _id: source.id }, at);
  } else if (cursorDoc) {
    await refreshCachedCursor(store, cursorDoc, at);
  }
}
