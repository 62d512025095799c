import { collectionOf, type HasDb } from '../db-handle';

/** Sources whose watched channel was followed to another handle (`src/resurface/follow-channel.ts`). */
export const FOLLOWED_HANDLES = 'followed_handles';

/** A source whose watched channel now answers under another handle: the crawl follows it (`_id` source id). */
export interface FollowedHandleDoc {
  _id: string;
  /** The handle the source names in its configuration. */
  configHandle: string;
  /** The handle the channel uses now. */
  handle: string;
  channelKey: string;
  at: Date;
}

function followedHandles(store: HasDb) {
  return collectionOf<FollowedHandleDoc>(store, FOLLOWED_HANDLES);
}

export function findFollowedHandle(store: HasDb, sourceId: string): Promise<FollowedHandleDoc | null> {
  return followedHandles(store).findOne({ _id: sourceId });
}

/** Replaces the source's followed handle (an upsert: callers retry it on a concurrent upsert's duplicate key). */
export async function saveFollowedHandle(store: HasDb, doc: FollowedHandleDoc): Promise<void> {
  const { _id, ...rest } = doc;
  await followedHandles(store).replaceOne({ _id }, rest, { upsert: true });
}
