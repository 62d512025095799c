import { createHash } from 'node:crypto';
import type { Source } from '../config/schema';
import type { Store } from '../store/store';

/** Mirrors the watch list into the `sources` collection (upsert by id; missing ones are marked, never deleted). */
export async function syncSourcesToStore(store: Store, sources: readonly Source[], now: Date = new Date()): Promise<void> {
  const ids = new Set(sources.map((s) => s.id));
  for (const s of sources) {
    const config = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
    const configHash = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
    await store.sources.updateOne(
      { _id: s.id },
      { $set: { platform: s.platform, config, configHash, tags: s.tags, updatedAt: now, removedFromConfigAt: null } },
      { upsert: true },
    );
  }
  const existing = await store.sources.find({}, { projection: { _id: 1, removedFromConfigAt: 1 } }).toArray();
  for (const doc of existing) {
    if (!ids.has(doc._id) && !doc.removedFromConfigAt) {
      await store.sources.updateOne({ _id: doc._id }, { $set: { removedFromConfigAt: now } });
    }
  }
}
