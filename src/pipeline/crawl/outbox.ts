import type { Store } from '../../store/store';
import type { EventDoc } from '../../store/repos/channels';
import { appendEvents } from '../../store/writes';

/** Writes pending outbox events, then clears them (safe to repeat: event ids are deterministic). */
export async function flushOutbox(store: Store, channelKey: string, pending: EventDoc[] | undefined): Promise<void> {
  if (!pending?.length) return;
  await appendEvents(store, pending);
  await store.channels.updateOne({ _id: channelKey }, { $unset: { pendingEvents: '' } });
}
