import type { Collection } from 'mongodb';
import type { ChannelEventType, StoredChannelState } from '../../core/channel-transitions';
import type { TimeBuckets } from '../../core/time-buckets';
import { retryUpsert } from '../capped-set';
import { collectionOf, type HasDb } from '../db-handle';

/** The channels, their events and the handle index (written by the crawl and the discovery stage). */
export const CHANNELS = 'channels';
export const CHANNEL_EVENTS = 'channel_events';
export const CHANNEL_HANDLES = 'channel_handles';

/** Documents of the portable MongoDB subset: natural-key `_id`s, buckets written at insert time. */
export interface ChannelDoc extends StoredChannelState {
  _id: string; // tg:<numeric id> | tg:@<handle> | <platform>:<sourceId>
  platform: string;
  sourceIds: string[];
  description?: string;
  subscribers?: number;
  statusDetail?: string;
  lastCheckedAt: Date;
  /** PDQ of the current avatar (hashed when the avatar URL changes). */
  avatarPdq?: string;
  /** Time-to-takedown (first seen → removed) of the latest removal, ms. */
  timeToTakedownMs?: number;
  /** Outbox: events computed with this state, written before they are appended (crash-safe retries). */
  pendingEvents?: EventDoc[];
}

export interface EventDoc {
  _id: string; // <channelKey>:<type>:<ISO time>
  channelKey: string;
  sourceId: string;
  platform: string;
  type: ChannelEventType;
  at: Date;
  buckets: TimeBuckets;
  handle: string;
  data: Record<string, unknown>;
}

/** handle → channel, one keyed document per handle: `_id` `tg:<lowercased handle>`. */
export interface ChannelHandleDoc {
  _id: string;
  channelKey: string;
  handle: string;
  at: Date;
}

export function channelsCollection(store: HasDb): Collection<ChannelDoc> {
  return collectionOf<ChannelDoc>(store, CHANNELS);
}

export function eventsCollection(store: HasDb): Collection<EventDoc> {
  return collectionOf<EventDoc>(store, CHANNEL_EVENTS);
}

export function handlesCollection(store: HasDb): Collection<ChannelHandleDoc> {
  return collectionOf<ChannelHandleDoc>(store, CHANNEL_HANDLES);
}

export async function ensureChannelIndexes(store: HasDb): Promise<void> {
  await eventsCollection(store).createIndex({ channelKey: 1, type: 1, at: 1 }, { unique: true, name: 'channel_type_at_unique' });
  await eventsCollection(store).createIndex({ 'buckets.day': 1 }, { name: 'event_day' });
  await channelsCollection(store).createIndex({ handles: 1 }, { name: 'handles' });
}

export function handleDocId(handle: string): string {
  return `tg:${handle.toLowerCase()}`;
}

/** The channel a Telegram handle points at: its keyed document, else the handle-keyed placeholder channel. */
export async function findChannelKeyByHandle(store: HasDb, handle: string): Promise<string | undefined> {
  const byHandle = await handlesCollection(store).findOne({ _id: handleDocId(handle) });
  if (byHandle) return byHandle.channelKey;
  const placeholder = await channelsCollection(store).findOne({ _id: `tg:@${handle.toLowerCase()}` }, { projection: { _id: 1 } });
  return placeholder?._id;
}

/**
 * Points the handles at a channel (idempotent). Only handles whose document is missing or points elsewhere are
 * written: a handle reused by another channel follows the channel that was seen with it last.
 */
export async function recordHandles(store: HasDb, channelKey: string, handles: readonly string[], at: Date): Promise<void> {
  const col = handlesCollection(store);
  for (const h of new Set(handles.map((x) => x.toLowerCase()))) {
    const id = handleDocId(h);
    const cur = await col.findOne({ _id: id });
    if (cur?.channelKey === channelKey) continue;
    await retryUpsert(() => col.updateOne({ _id: id }, { $set: { channelKey, handle: h, at } }, { upsert: true }));
  }
}

function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: Array<{ code?: number }> };
  if (e.code === 11000) return !e.writeErrors || e.writeErrors.every((w) => w.code === 11000);
  return false;
}

/** Append-only: an event that exists already (same deterministic id) is left alone. */
export async function appendEvents(store: HasDb, events: EventDoc[]): Promise<number> {
  let added = 0;
  for (const ev of events) {
    try {
      await eventsCollection(store).insertOne(ev);
      added++;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return added;
}
