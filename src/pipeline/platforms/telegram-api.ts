import type { Source, SourceOf } from '../../config/schema';
import type { CrawlHooks, StatedCrawl } from '../crawl/context';
import type { Store } from '../../store/store';
import { findChannelKeyByHandle, recordHandles } from '../../store/repos/channels';

function api(source: Source): SourceOf<'telegram-api'> {
  if (source.platform !== 'telegram-api') throw new Error(`telegram-api crawl hooks called for a ${source.platform} source`);
  return source;
}

/**
 * A chat read through the API shares the web preview's handle index: a failed check of `@handle` lands on the channel
 * the index knows for it (`tg:<id>`, its failure count and its `crawl_failing` state), and a check that read a chat
 * by its handle records that handle (the web preview then finds the same channel). A comments source reads the
 * discussion group, which has no handle of the channel's: it leaves the index alone.
 */
async function channelKeyByHandle(store: Store, label: string): Promise<string | undefined> {
  return /^[A-Za-z0-9_]{3,64}$/.test(label) ? findChannelKeyByHandle(store, label) : undefined;
}

async function afterState({ store, prev, state, channelKey, at, snap, source }: StatedCrawl): Promise<void> {
  if (api(source).read !== 'messages' || !snap.platformId) return;
  if (prev && prev.handles.length === state.handles.length && prev.handle === state.handle) return;
  await recordHandles(store, channelKey, state.handles, at);
  await store.channels.deleteOne({ _id: `tg:@${snap.handle.toLowerCase()}` }); // a handle-keyed placeholder goes
}

/** The telegram-api platform's part of a crawl: the shared handle index (src/pipeline/platforms/telegram.ts has the rest). */
export const telegramApiHooks: CrawlHooks = { channelKeyByHandle, afterState };
