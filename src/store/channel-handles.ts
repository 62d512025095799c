import { retryUpsert } from './capped-set';
import type { Store } from './store';

export type { ChannelHandleDoc } from './summary-types';

export function handleDocId(handle: string): string {
  return `tg:${handle.toLowerCase()}`;
}

/** The channel a Telegram handle points at: its keyed document, else the handle-keyed placeholder channel. */
export async function findChannelKeyByHandle(store: Store, handle: string): Promise<string | undefined> {
  const byHandle = await store.handles.findOne({ _id: handleDocId(handle) });
  if (byHandle) return byHandle.channelKey;
  const placeholder = await store.channels.findOne({ _id: `tg:@${handle.toLowerCase()}` }, { projection: { _id: 1 } });
  return placeholder?._id;
}

/**
 * Points the handles at a channel (idempotent). Only handles whose document is missing or points elsewhere are
 * written: a handle reused by another channel follows the channel that was seen with it last.
 */
export async function recordHandles(store: Store, channelKey: string, handles: readonly string[], at: Date): Promise<void> {
  for (const h of new Set(handles.map((x) => x.toLowerCase()))) {
    const id = handleDocId(h);
    const cur = await store.handles.findOne({ _id: id });
    if (cur?.channelKey === channelKey) continue;
    await retryUpsert(() => store.handles.updateOne({ _id: id }, { $set: { channelKey, handle: h, at } }, { upsert: true }));
  }
}
