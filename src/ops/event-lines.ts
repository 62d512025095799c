/**
 * The log's message for the channel events analysts watch for, named as they know channels: by handle and title,
 * with the score and a link to the channel's public page (`resurfaced: @old ("Title") came back as @new ("Title"),
 * score 0.93, https://t.me/new`). The channel keys stay in the log record's fields. Pure.
 */

/** A resurfacing found by a discovery step: the removed channel and its successor. */
export interface ResurfacedSummary {
  predecessor: string;
  predecessorHandle: string;
  predecessorTitle?: string;
  successor: string;
  successorHandle: string;
  successorTitle?: string;
  /** 0–1, as stored in the event (3 decimals). */
  score: number;
  /** The successor's public page. */
  url: string;
}

/** A watched channel seen under a new handle by a discovery step's probe: a rename (and a restoration, when removed). */
export interface FollowedSummary {
  channelKey: string;
  from: string;
  to: string;
  title?: string;
  restored: boolean;
  /** The channel's public page under its new handle. */
  url: string;
}

/** `@handle ("Title")`, or `@handle` alone when the title is unknown or empty. */
export function channelName(handle: string, title?: string | null): string {
  const t = title?.replace(/\s+/g, ' ').trim();
  return t ? `@${handle} ("${t}")` : `@${handle}`;
}

/** The public page of a Telegram handle on `baseUrl` (https://t.me, or the simulator / a mirror). */
export function channelUrl(baseUrl: string, handle: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${handle}`;
}

export function resurfacedLine(r: ResurfacedSummary): string {
  if (!Number.isFinite(r.score)) throw new Error(`resurfacedLine: score must be a number (got ${String(r.score)}) for ${r.successor}`);
  return `resurfaced: ${channelName(r.predecessorHandle, r.predecessorTitle)} came back as ${channelName(
    r.successorHandle,
    r.successorTitle,
  )}, score ${r.score.toFixed(2)}, ${r.url}`;
}

export function followedLine(f: FollowedSummary): string {
  const what = f.restored ? 'restored under a new handle' : 'renamed';
  return `${what}: ${channelName(f.from, f.title)} is now @${f.to}, ${f.url}`;
}
