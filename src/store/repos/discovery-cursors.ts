import { collectionOf, type HasDb } from '../db-handle';

/** Where the next discovery job of a channel goes on in its candidate list (`src/resurface/successor-search.ts`). */
export const DISCOVERY_CURSORS = 'discovery_cursors';

/** `dcur:<channelKey>`. */
export interface DiscoveryCursorDoc {
  _id: string;
  offset: number;
  updatedAt: Date;
}

export function discoveryCursorId(channelKey: string): string {
  return `dcur:${channelKey}`;
}

function discoveryCursors(store: HasDb) {
  return collectionOf<DiscoveryCursorDoc>(store, DISCOVERY_CURSORS);
}

/** The stored offset of a channel's search (0 when none). */
export async function discoveryOffset(store: HasDb, channelKey: string): Promise<number> {
  return (await discoveryCursors(store).findOne({ _id: discoveryCursorId(channelKey) }))?.offset ?? 0;
}

export async function saveDiscoveryOffset(store: HasDb, channelKey: string, offset: number, at: Date): Promise<void> {
  await discoveryCursors(store).replaceOne({ _id: discoveryCursorId(channelKey) }, { offset, updatedAt: at }, { upsert: true });
}

/** Every search starts again from its first candidate (tests and tools). */
export async function clearDiscoveryCursors(store: HasDb): Promise<void> {
  await discoveryCursors(store).deleteMany({});
}
