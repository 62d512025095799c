import type { TelegramSource } from '../../../crawlers/telegram/source';
import { collectionOf, type HasDb } from '../db-handle';

/** Successors added to the watch list by `resurface.autoWatch` (schedulers merge them with the file's sources). */
export const AUTO_SOURCES = 'auto_sources';

export interface AutoSourceDoc {
  _id: string; // source id
  source: TelegramSource;
  predecessor: string;
  addedAt: Date;
}

function autoSources(store: HasDb) {
  return collectionOf<AutoSourceDoc>(store, AUTO_SOURCES);
}

/** Every auto-watched source (few: one per resurfaced channel). */
export function listAutoSources(store: HasDb): Promise<AutoSourceDoc[]> {
  return autoSources(store).find({}).toArray();
}

/** The auto-watched sources' ids and tags. */
export function autoSourceTags(store: HasDb): Promise<Array<{ _id: string; source?: { tags?: string[] } }>> {
  return autoSources(store)
    .find({}, { projection: { _id: 1, 'source.tags': 1 } })
    .toArray();
}

/** Adds the source unless its id is there already (the first addition wins). */
export async function addAutoSource(store: HasDb, doc: AutoSourceDoc): Promise<void> {
  const { _id, ...rest } = doc;
  await autoSources(store).updateOne({ _id }, { $setOnInsert: rest }, { upsert: true });
}
