import type { ChannelSnapshot } from './model';

export const CHANNEL_EVENT_TYPES = [
  'first_seen',
  'renamed',
  'removed',
  'not_found',
  'private',
  'not_channel',
  'restored',
  'title_changed',
  'avatar_changed',
  'crawl_failed',
  'hashlist_match',
  'resurfaced',
  // a page claimed a channel id bound to another watched, active handle (src/core/channel-id-conflict.ts)
  'channel_id_conflict',
  // from the channel's own service messages (src/core/service-events.ts)
  'channel_created',
  'renamed_title',
  'photo_changed',
  'photo_removed',
  'pinned',
] as const;
export type ChannelEventType = (typeof CHANNEL_EVENT_TYPES)[number];

/** What the pipeline keeps of a channel between checks. */
export interface StoredChannelState {
  status: ChannelSnapshot['status'];
  /** Channel, group, user or bot, as the last page said. */
  kind?: ChannelSnapshot['kind'];
  handle: string;
  handles: string[];
  platformId?: string;
  title?: string;
  avatarUrl?: string;
  firstSeenAt: Date;
  lastSeenActiveAt?: Date;
  removedAt?: Date;
  consecutiveFailures: number;
}

export interface ChannelEventDraft {
  type: ChannelEventType;
  at: Date;
  data: Record<string, unknown>;
}

const STATUS_EVENT: Record<Exclude<ChannelSnapshot['status'], 'active'>, ChannelEventType> = {
  removed: 'removed',
  not_found: 'not_found',
  private: 'private',
  not_channel: 'not_channel',
};

/**
 * Pure lifecycle diff between the stored state and a new snapshot. A rename (same numeric id, other handle) is kept
 * apart from a takedown: it is a `renamed` event, never `removed`.
 */
export function diffChannel(prev: StoredChannelState | undefined, snap: ChannelSnapshot, at: Date): ChannelEventDraft[] {
  const events: ChannelEventDraft[] = [];
  if (!prev) {
    events.push({
      type: 'first_seen',
      at,
      data: {
        handle: snap.handle,
        status: snap.status,
        ...(snap.title ? { title: snap.title } : {}),
        ...(snap.platformId ? { platformId: snap.platformId } : {}),
      },
    });
    if (snap.status !== 'active')
      events.push({
        type: STATUS_EVENT[snap.status],
        at,
        data: { detail: snap.statusDetail ?? null, ...(snap.kind ? { kind: snap.kind } : {}), ...(snap.reason ? { reason: snap.reason } : {}) },
      });
    return events;
  }
  if (snap.status === 'active' && snap.platformId && prev.platformId === snap.platformId && snap.handle.toLowerCase() !== prev.handle.toLowerCase()) {
    events.push({ type: 'renamed', at, data: { from: prev.handle, to: snap.handle } });
  }
  if (snap.status !== prev.status) {
    if (snap.status === 'active') {
      events.push({ type: 'restored', at, data: { from: prev.status, ...(prev.removedAt ? { downMs: at.getTime() - prev.removedAt.getTime() } : {}) } });
    } else {
      const data: Record<string, unknown> = {
        from: prev.status,
        detail: snap.statusDetail ?? null,
        ...(snap.kind ? { kind: snap.kind } : {}),
        ...(snap.reason ? { reason: snap.reason } : {}),
      };
      if (snap.status === 'removed') data.timeToTakedownMs = at.getTime() - prev.firstSeenAt.getTime();
      events.push({ type: STATUS_EVENT[snap.status], at, data });
    }
  }
  if (snap.status === 'active' && prev.status === 'active') {
    if (snap.title && prev.title && snap.title !== prev.title) events.push({ type: 'title_changed', at, data: { from: prev.title, to: snap.title } });
    if (snap.avatarUrl && prev.avatarUrl && snap.avatarUrl !== prev.avatarUrl)
      events.push({ type: 'avatar_changed', at, data: { from: prev.avatarUrl, to: snap.avatarUrl } });
  }
  return events;
}

/** The state after a snapshot (pure). */
export function nextChannelState(prev: StoredChannelState | undefined, snap: ChannelSnapshot, at: Date): StoredChannelState {
  const handles = prev ? [...prev.handles] : [];
  if (snap.status === 'active' && !handles.some((h) => h.toLowerCase() === snap.handle.toLowerCase())) handles.push(snap.handle);
  if (handles.length === 0) handles.push(snap.handle);
  const becameRemoved = snap.status === 'removed' && prev?.status !== 'removed';
  const removedAt = becameRemoved ? at : snap.status === 'removed' ? prev?.removedAt : undefined;
  const lastSeenActiveAt = snap.status === 'active' ? at : prev?.lastSeenActiveAt;
  const title = snap.title ?? prev?.title;
  const avatarUrl = snap.avatarUrl ?? prev?.avatarUrl;
  const platformId = snap.platformId ?? prev?.platformId;
  const kind = snap.kind ?? prev?.kind;
  return {
    status: snap.status,
    // a status page for an old handle must not overwrite the handle the channel now uses
    handle: snap.status === 'active' ? snap.handle : (prev?.handle ?? snap.handle),
    handles,
    firstSeenAt: prev?.firstSeenAt ?? at,
    consecutiveFailures: 0,
    ...(platformId ? { platformId } : {}),
    ...(kind ? { kind } : {}),
    ...(title ? { title } : {}),
    ...(avatarUrl ? { avatarUrl } : {}),
    ...(lastSeenActiveAt ? { lastSeenActiveAt } : {}),
    ...(removedAt ? { removedAt } : {}),
  };
}
