import type { ChannelEventDraft, StoredChannelState } from './channel-transitions';

/** Where a watched channel's numeric id was seen under another handle. */
export type FollowVia = 'probe' | 'crawl';

export interface HandleFollow {
  drafts: ChannelEventDraft[];
  /** The fields of the channel's state that change. */
  state: Pick<StoredChannelState, 'status' | 'handle' | 'handles' | 'lastSeenActiveAt'> & { title?: string };
  /** The channel was removed, and is back under another handle. */
  restored: boolean;
}

/**
 * Pure: a watched channel's numeric id is live under `handle`, which is not the handle it is stored under. That is a
 * rename (`renamed`), and when the channel was removed, a restoration under a new handle too (`restored`, then
 * `renamed`). A channel whose old handle went "not found" or "private" is a renamed channel, not a vanished one.
 * Undefined when the handle is the stored one (nothing to follow).
 */
export function followHandle(prev: StoredChannelState, seen: { handle: string; title?: string }, at: Date, via: FollowVia): HandleFollow | undefined {
  if (seen.handle.toLowerCase() === prev.handle.toLowerCase()) return undefined;
  const drafts: ChannelEventDraft[] = [];
  const restored = prev.status === 'removed';
  if (restored) {
    drafts.push({
      type: 'restored',
      at,
      data: {
        from: 'removed',
        fromHandle: prev.handle,
        toHandle: seen.handle,
        via,
        ...(prev.removedAt ? { downMs: at.getTime() - prev.removedAt.getTime() } : {}),
      },
    });
  }
  drafts.push({ type: 'renamed', at, data: { from: prev.handle, to: seen.handle, via, previousStatus: prev.status } });
  const handles = prev.handles.some((h) => h.toLowerCase() === seen.handle.toLowerCase()) ? [...prev.handles] : [...prev.handles, seen.handle];
  return {
    drafts,
    restored,
    state: { status: 'active', handle: seen.handle, handles, lastSeenActiveAt: at, ...(seen.title ? { title: seen.title } : {}) },
  };
}
