import type { Settings, Source, TelegramSource } from '../../config/schema';
import { conflictChannelKey, isChannelIdConflict } from '../../core/channel-id-conflict';
import type { DiscoveryJobData } from '../../queue/discovery-job';
import { effectiveHandle } from '../../resurface/follow-channel';
import { newProfileTexts, profilePointers } from '../../resurface/profile-pointers';
import { appendEvents, findChannelKeyByHandle, recordHandles, type ChannelDoc } from '../../store/repos/channels';
import type { CrawlRun, LandedCrawl, StatedCrawl, StoredCrawl } from '../crawl/context';
import type { BeforeFetch, CrawlHooks, CursorLanding } from '../crawl/context';
import { buildEventDoc } from '../docs';

/** The hooks run for Telegram sources only: the source is one. */
function tg(source: Source): TelegramSource {
  if (source.platform !== 'telegram') throw new Error(`telegram crawl hooks called for a ${source.platform} source`);
  return source;
}

/** A channel a check may treat as unchanged when its page is: active, nothing pending, no failures, avatar fingerprinted. */
function isSettled(ch: ChannelDoc, source: TelegramSource, settings: Settings): boolean {
  return (
    ch.status === 'active' &&
    !ch.pendingEvents?.length &&
    !ch.consecutiveFailures &&
    (!!ch.avatarPdq || !ch.avatarUrl || !settings.media.enabled) &&
    ch.handle.toLowerCase() === source.handle.toLowerCase()
  );
}

/**
 * A watched channel whose rename (or restoration under a new handle) was followed is crawled under its new handle.
 * A settled cursor names that handle already (no read); else the followed-handle document says.
 */
async function crawledAs({ store, configured, cursorDoc }: CrawlRun): Promise<Source> {
  const source = tg(configured);
  const settled = cursorDoc?.settled;
  if (settled && settled.configHandle === source.handle.toLowerCase())
    return settled.handle === settled.configHandle ? source : { ...source, handle: settled.handle };
  return { ...source, handle: await effectiveHandle(store, source.id, source.handle) };
}

/**
 * A settled cursor stands for its channel (active, nothing pending): no channel read before the fetch. Else the
 * channel the cursor names (its last check landed there: one look-up by _id less), or the handle index's, is read; a
 * removed channel is re-checked on a slower schedule (restorations are still seen), its successor search runs at
 * every tick meanwhile (and paces itself between ticks: src/queue/discovery-merge.ts).
 */
async function beforeFetch(run: CrawlRun): Promise<BeforeFetch> {
  const { store, settings, now, cursorDoc: c } = run;
  const source = tg(run.source);
  const handle = source.handle.toLowerCase();
  if (c?.settled && c.channelKey && c.handle === handle) return { known: null, settledKey: c.channelKey, settled: true };
  const key = c?.channelKey && c.handle === handle ? c.channelKey : await findChannelKeyByHandle(store, source.handle);
  const known = key ? await store.channels.findOne({ _id: key }) : null;
  const recheckMs = settings.resurface.removedRecheckMinutes * 60_000;
  if (key && known?.status === 'removed' && known.handle.toLowerCase() === handle && now().getTime() - known.lastCheckedAt.getTime() < recheckMs) {
    const events = await run.handoff.discovery({ source, channelKey: key, requestedAt: now().toISOString() });
    return { skip: { channelKey: key, channelStatus: 'removed', events } };
  }
  return { known, settledKey: undefined, settled: !!known && isSettled(known, source, settings) };
}

/**
 * A page that claims a channel id bound to another watched, active handle: its channel and posts are kept apart
 * (core/channel-id-conflict.ts), and the claim is recorded on the claimed channel the first time.
 */
async function resolveConflict({
  store,
  snap,
  prev: claimed,
  known,
  now,
  ...run
}: LandedCrawl): Promise<{ channelKey: string; prev: ChannelDoc | null } | undefined> {
  const source = tg(run.source);
  if (!snap.platformId || !claimed || !isChannelIdConflict(claimed, { sourceId: source.id, handle: source.handle })) return undefined;
  const channelKey = conflictChannelKey(snap.platformId, source.handle);
  const prev = known?._id === channelKey ? known : await store.channels.findOne({ _id: channelKey });
  if (!prev) {
    const data = {
      platformId: snap.platformId,
      boundTo: claimed.handle,
      claimedBy: source.handle,
      pageHandle: snap.handle,
      sourceId: source.id,
      keptAs: channelKey,
    };
    const ev = buildEventDoc(
      { type: 'channel_id_conflict', at: now(), data },
      { channelKey: claimed._id, sourceId: source.id, platform: source.platform, handle: claimed.handle },
    );
    await appendEvents(store, [ev]);
  }
  return { channelKey, prev };
}

/** Handles a new or changed description or a new pin notice names (recorded with those the posts point at). */
function profileTexts({ channelKey, snap, outcome, prev, ...run }: StoredCrawl): ReturnType<NonNullable<CrawlHooks['profilePointers']>> {
  const source = tg(run.source);
  const profile = newProfileTexts(
    {
      channelKey,
      handle: snap.handle,
      tags: source.tags,
      ...(snap.description !== undefined ? { description: snap.description } : {}),
      posts: outcome.posts,
    },
    prev?.description,
  );
  return profile ? [profilePointers(profile, source.options.baseUrl)] : [];
}

/** The handle index follows the channel's handles; a handle first seen missing, now found with its numeric id, drops its placeholder. */
async function afterState({ store, prev, state, channelKey, at, snap }: StatedCrawl): Promise<void> {
  if (prev && prev.handles.length === state.handles.length && prev.handle === state.handle) return;
  await recordHandles(store, channelKey, state.handles, at);
  // the handle-keyed placeholder goes (its events stay)
  if (snap.platformId) await store.channels.deleteOne({ _id: `tg:@${snap.handle.toLowerCase()}` });
}

/** The channel a page with a numeric id landed on; settled (nothing pending, active, fingerprinted): the next check reads the cursor only. */
function cursorLanding({ snap, channelKey, doc, settings, ...run }: StatedCrawl): CursorLanding {
  if (!snap.platformId) return {};
  const source = tg(run.source);
  const handle = source.handle.toLowerCase();
  const settled = isSettled({ ...doc, _id: channelKey, pendingEvents: [] }, source, settings);
  return { landed: { channelKey, handle }, ...(settled ? { settled: { configHandle: tg(run.configured).handle.toLowerCase(), handle } } : {}) };
}

/** A removed channel, or a handle that went missing on a channel seen live (its new handle is looked for, to follow a rename). */
function successorSearch({ snap, state, channelKey, at, source }: StatedCrawl): DiscoveryJobData | undefined {
  const vanished = snap.status === 'not_found' && !!state.platformId && !!state.lastSeenActiveAt;
  return snap.status === 'removed' || vanished ? { source: tg(source), channelKey, requestedAt: at.toISOString() } : undefined;
}

/** Telegram's part of a crawl: followed renames, the handle index, settled cursors, channel-id conflicts, successor searches. */
export const telegramHooks: CrawlHooks = {
  crawledAs,
  beforeFetch,
  channelKeyByHandle: findChannelKeyByHandle,
  resolveConflict,
  profilePointers: profileTexts,
  afterState,
  cursorLanding,
  successorSearch,
};
