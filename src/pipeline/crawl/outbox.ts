import type { Store } from '../../store/store';
import { appendEvents, type EventDoc } from '../../store/repos/channels';

/** Writes pending outbox events, then clears them (safe to repeat: event ids are deterministic). */
export async function flushOutbox(store: Store, channelKey: string, pending: EventDoc[] | undefined): Promise<void> {
  if (!pending?.length) return;
  await appendEvents(store, pending);
  await store.channels.updateOne({ _id: channelKey }, { $unset: { pendingEvents: '' } });
}
