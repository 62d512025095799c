import { channelKeyFor, sourceLabel } from '../../../crawlers/registry';
import type { FetchedCrawl, LandedCrawl } from './context';
import { flushOutbox } from './outbox';

/**
 * The channel the check lands on: by the page's platform id, else the handle index (the `channelKeyByHandle` hook),
 * else the source. The channel read before the fetch is reused when the check lands on the same channel (the common
 * case). The `resolveConflict` hook may land it elsewhere (a page claiming another source's channel). Last, what the
 * channel's outbox still holds from a check that crashed is written.
 */
export async function landChannel(crawl: FetchedCrawl): Promise<LandedCrawl> {
  const { store, source, known, hooks } = crawl;
  const snap = crawl.outcome.channel;
  const knownKey = snap.platformId || !hooks.channelKeyByHandle ? undefined : await hooks.channelKeyByHandle(store, sourceLabel(source));
  const channelKey = channelKeyFor(source, snap, knownKey);
  const prev = known?._id === channelKey ? known : await store.channels.findOne({ _id: channelKey });
  const landed: LandedCrawl = Object.assign(crawl, { snap, channelKey, prev });
  const elsewhere = await hooks.resolveConflict?.(landed);
  if (elsewhere) Object.assign(landed, elsewhere);
  await flushOutbox(store, landed.channelKey, landed.prev?.pendingEvents);
  return landed;
}
