/**
 * Pages that claim the same Telegram channel id (pure). Posts are keyed `tg:<channelId>:<post>`, so a page that
 * claims another watched channel's id (a mirror, an impostor, a hostile page) would overwrite that channel's posts.
 *
 * Rule: the claim conflicts when the channel stored under that id is bound to another handle (none of its known
 * handles is the claiming source's handle; the page's own header is not trusted, a hostile page can print any handle),
 * that channel was active at its last check, and another source watches it. A rename seen by the same source, or a
 * handle the channel had before, is no conflict.
 * A conflicting page's channel and posts are kept apart under {@link conflictChannelKey}, and a
 * `channel_id_conflict` event is recorded on the claimed channel.
 */
export interface ClaimedChannel {
  handle: string;
  handles: string[];
  status: string;
  sourceIds: string[];
}

export function isChannelIdConflict(claimed: ClaimedChannel | null | undefined, claim: { sourceId: string; handle: string }): boolean {
  if (!claimed || claimed.status !== 'active') return false;
  const known = new Set([claimed.handle, ...claimed.handles].map((h) => h.toLowerCase()));
  if (known.has(claim.handle.toLowerCase())) return false;
  return claimed.sourceIds.some((id) => id !== claim.sourceId);
}

/** Where a conflicting claim is kept: its own channel key, per claimed id and claiming handle. */
export function conflictChannelKey(platformId: string, handle: string): string {
  return `tg:${platformId}~${handle.toLowerCase()}`;
}
