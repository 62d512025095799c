import type { Collection } from 'mongodb';
import { addToCappedSet, retryUpsert, type DocLocks } from '../capped-set';
import { collectionOf, type HasDb } from '../db-handle';

/** Resurfacing lineage (the successor search records and reads it). */
export const LINEAGE = 'lineage';

/** `succ:<successor>` (its predecessor and lineage) or `pred:<predecessor>` (its successors). */
export interface LineageDoc {
  _id: string;
  predecessor?: string;
  lineage?: string[];
  successors?: string[];
}

export function lineageCollection(store: HasDb): Collection<LineageDoc> {
  return collectionOf<LineageDoc>(store, LINEAGE);
}

/** Successors remembered per predecessor (a hydra has few heads; the cap only bounds the document). */
const SUCCESSOR_CAP = 200;

/**
 * Resurfacing lineage as keyed documents, so that the successor search never queries `channel_events`:
 * `succ:<successor>` holds its one predecessor and its lineage (root first), `pred:<predecessor>` its successors.
 */
export async function recordLineage(store: HasDb & DocLocks, predecessor: string, successor: string, lineage: string[]): Promise<void> {
  await retryUpsert(() => lineageCollection(store).updateOne({ _id: `succ:${successor}` }, { $setOnInsert: { predecessor, lineage } }, { upsert: true }));
  await addToCappedSet(store, lineageCollection(store), `pred:${predecessor}`, 'successors', [successor], SUCCESSOR_CAP);
}

/** The predecessor that claimed this successor, if any. */
export async function predecessorOf(store: HasDb, successor: string): Promise<string | undefined> {
  return (await lineageCollection(store).findOne({ _id: `succ:${successor}` }))?.predecessor;
}

/** The channel's own lineage before it (A → A2 → A3: for A3, [A, A2]). */
export async function lineageBefore(store: HasDb, channelKey: string): Promise<string[]> {
  const doc = await lineageCollection(store).findOne({ _id: `succ:${channelKey}` });
  const full = doc?.lineage ?? [];
  return full[full.length - 1] === channelKey ? full.slice(0, -1) : full.filter((k) => k !== channelKey);
}

/** Every successor down the lineage, breadth first (bounded by the caps and a depth limit). */
export async function descendantsOf(store: HasDb, channelKey: string, maxDepth = 20): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>([channelKey]);
  let frontier = [channelKey];
  for (let depth = 0; depth < maxDepth && frontier.length; depth++) {
    const docs = await Promise.all(frontier.map((k) => lineageCollection(store).findOne({ _id: `pred:${k}` })));
    frontier = [];
    for (const d of docs) {
      for (const s of d?.successors ?? []) {
        if (seen.has(s)) continue;
        seen.add(s);
        out.push(s);
        frontier.push(s);
      }
    }
  }
  return out;
}
