import { diffChannel, nextChannelState, type ChannelEventDraft, type StoredChannelState } from '../../core/channel-transitions';
import { serviceEventDrafts } from '../../core/service-events';
import { hashImageUrl } from '../../media/hash-url';
import { rateLimitedFetcher } from '../../queue/rate-limited-fetcher';
import type { PostTakedownDoc } from '../../store/repos/post-checks';
import type { ChannelDoc, EventDoc } from '../../store/repos/channels';
import { crashPoint } from '../../util/crash-point';
import { buildEventDoc } from '../docs';
import type { StatedCrawl, StoredCrawl } from './context';
import { flushOutbox } from './outbox';

/** The channel document this check leaves (pure): its state, what the page no longer says kept, the outbox. */
function channelDoc(
  { source, snap, prev, at }: StoredCrawl,
  state: StoredChannelState,
  drafts: ChannelEventDraft[],
  events: EventDoc[],
): Omit<ChannelDoc, '_id'> {
  const removal = drafts.find((d) => d.type === 'removed');
  return {
    ...state,
    platform: source.platform,
    sourceIds: [...new Set([...(prev?.sourceIds ?? []), source.id])],
    lastCheckedAt: at,
    ...((snap.description ?? prev?.description) ? { description: snap.description ?? prev?.description } : {}),
    ...((snap.subscribers ?? prev?.subscribers) !== undefined ? { subscribers: snap.subscribers ?? prev?.subscribers } : {}),
    ...(snap.statusDetail ? { statusDetail: snap.statusDetail } : {}),
    ...(removal
      ? { timeToTakedownMs: removal.data.timeToTakedownMs as number }
      : prev?.timeToTakedownMs !== undefined
        ? { timeToTakedownMs: prev.timeToTakedownMs }
        : {}),
    ...(events.length ? { pendingEvents: events } : {}),
  };
}

/** What a superseded check reports of the channel: the state it read, not the one it would have written. */
function stillAsStored(prev: ChannelDoc): Pick<ChannelDoc, 'status' | 'handle' | 'handles'> {
  return { status: prev.status, handle: prev.handle, handles: prev.handles };
}

/** The avatar's PDQ: hashed when an active channel's avatar is new or not hashed yet, else the stored one. */
async function avatarPdq({ deps, source, snap, prev, settings }: StoredCrawl): Promise<string | undefined> {
  if (snap.status === 'active' && snap.avatarUrl && settings.media.enabled) {
    if (snap.avatarUrl !== prev?.avatarUrl || !prev?.avatarPdq) {
      const avatar = await hashImageUrl(rateLimitedFetcher(deps.fetcher, deps.limiter, source.rateLimit), snap.avatarUrl, settings, 'media.avatar');
      return avatar ? avatar.hash : undefined;
    }
    return prev.avatarPdq;
  }
  return prev?.avatarPdq ? prev.avatarPdq : undefined;
}

/**
 * The channel's state and its new events (transitions, service messages) in one document write (the outbox), the
 * platform's `afterState` hook, then the events appended and the outbox cleared.
 */
export async function writeState(crawl: StoredCrawl, takedowns: PostTakedownDoc[]): Promise<StatedCrawl> {
  const { store, source, snap, prev, at, channelKey } = crawl;
  const drafts = [...diffChannel(prev ?? undefined, snap, at), ...serviceEventDrafts(crawl.outcome.posts, at)];
  const eventCtx = { channelKey, sourceId: source.id, platform: source.platform, handle: snap.handle };
  const events = drafts.map((d) => buildEventDoc(d, eventCtx));
  const state = nextChannelState(prev ?? undefined, snap, at);
  const doc = channelDoc(crawl, state, drafts, events);
  const pdq = await avatarPdq(crawl);
  if (pdq !== undefined) doc.avatarPdq = pdq;
  // A check that finds its channel gone speaks only for the handle it fetched. When discovery followed the channel to
  // a new handle meanwhile (its rename, found while this check fetched the old handle), the channel as read or as
  // stored by the time of this write is under another handle: this check's view is stale and is dropped (no state, no
  // event), instead of marking the followed channel not_found and having it followed a second time.
  const gone = prev && snap.status !== 'active';
  const moved = gone && snap.handle.toLowerCase() !== prev.handle.toLowerCase();
  const written = moved
    ? undefined
    : await store.channels.replaceOne(gone ? { _id: channelKey, handle: prev.handle } : { _id: channelKey }, doc, { upsert: !gone });
  if (prev && (moved || (gone && written?.matchedCount === 0)))
    return Object.assign(crawl, { takedowns, events: [], doc: { ...doc, ...stillAsStored(prev) }, state: prev, superseded: true });
  const stated: StatedCrawl = Object.assign(crawl, { takedowns, events, doc, state });
  await crawl.hooks.afterState?.(stated);
  crashPoint('crawl:after-state');
  await flushOutbox(store, channelKey, events);
  return stated;
}
