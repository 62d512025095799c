import { followHandle, type FollowVia } from '../core/handle-follow';
import { buildEventDoc } from '../pipeline/docs';
import { retryUpsert } from '../store/capped-set';
import { appendEvents, recordHandles } from '../store/repos/channels';
import type { Store } from '../store/store';
import { findFollowedHandle, saveFollowedHandle } from '../store/repos/followed-handles';

export interface FollowedChannel {
  channelKey: string;
  from: string;
  to: string;
  /** The channel's title, as seen under its new handle (else as stored). */
  title?: string;
  restored: boolean;
  eventIds: string[];
}

/**
 * A channel id seen live under `seen.handle`: when it is a watched channel stored under another handle, records the
 * rename (and the restoration, when it was removed), points the handle at it, and makes its sources follow the new
 * handle. One `_id` look-up when the id is not watched.
 */
export async function followChannelId(
  store: Store,
  seen: { handle: string; platformId: string; title?: string },
  at: Date,
  via: FollowVia,
): Promise<FollowedChannel | undefined> {
  const channelKey = `tg:${seen.platformId}`;
  const prev = await store.channels.findOne({ _id: channelKey });
  if (!prev) return undefined;
  const f = followHandle(prev, seen, at, via);
  if (!f) return undefined;
  const events = f.drafts.map((d) => buildEventDoc(d, { channelKey, sourceId: prev.sourceIds[0] ?? 'discovery', platform: 'telegram', handle: seen.handle }));
  await store.channels.updateOne({ _id: channelKey }, { $set: { ...f.state, lastCheckedAt: at }, $unset: { removedAt: '', statusDetail: '' } });
  await appendEvents(store, events);
  await recordHandles(store, channelKey, f.state.handles, at);
  for (const sourceId of prev.sourceIds) {
    const cur = await findFollowedHandle(store, sourceId);
    const configHandle = cur?.configHandle ?? prev.handle;
    await retryUpsert(() => saveFollowedHandle(store, { _id: sourceId, configHandle, handle: seen.handle, channelKey, at }));
    // the source's settled cursor named the old handle: its next check reads the followed handle (and the channel)
    await store.cursors.updateOne({ _id: sourceId }, { $unset: { settled: '' } });
    await store.cursorCache?.drop(sourceId);
  }
  const title = seen.title ?? prev.title;
  return { channelKey, from: prev.handle, to: seen.handle, ...(title ? { title } : {}), restored: f.restored, eventIds: events.map((e) => e._id) };
}

/**
 * The handle a Telegram source is crawled under: the one its channel moved to when a rename was followed, as long as
 * the configuration still names the old one (an edited configuration wins).
 */
export async function effectiveHandle(store: Store, sourceId: string, configHandle: string): Promise<string> {
  const doc = await findFollowedHandle(store, sourceId);
  return doc && doc.configHandle.toLowerCase() === configHandle.toLowerCase() ? doc.handle : configHandle;
}
