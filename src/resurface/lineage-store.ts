import { addToCappedSet, retryUpsert } from '../store/capped-set';
import type { Store } from '../store/store';

/** Successors remembered per predecessor (a hydra has few heads; the cap only bounds the document). */
const SUCCESSOR_CAP = 200;

/**
 * Resurfacing lineage as keyed documents, so that the successor search never queries `channel_events`:
 * `succ:<successor>` holds its one predecessor and its lineage (root first), `pred:<predecessor>` its successors.
 */
export async function recordLineage(store: Store, predecessor: string, successor: string, lineage: string[]): Promise<void> {
  await retryUpsert(() => store.lineage.updateOne({ _id: `succ:${successor}` }, { $setOnInsert: { predecessor, lineage } }, { upsert: true }));
  await addToCappedSet(store, store.lineage, `pred:${predecessor}`, 'successors', [successor], SUCCESSOR_CAP);
}

/** The predecessor that claimed this successor, if any. */
export async function predecessorOf(store: Store, successor: string): Promise<string | undefined> {
  return (await store.lineage.findOne({ _id: `succ:${successor}` }))?.predecessor;
}

/** The channel's own lineage before it (A → A2 → A3: for A3, [A, A2]). */
export async function lineageBefore(store: Store, channelKey: string): Promise<string[]> {
  const doc = await store.lineage.findOne({ _id: `succ:${channelKey}` });
  const full = doc?.lineage ?? [];
  return full[full.length - 1] === channelKey ? full.slice(0, -1) : full.filter((k) => k !== channelKey);
}

/** Every successor down the lineage, breadth first (bounded by the caps and a depth limit). */
export async function descendantsOf(store: Store, channelKey: string, maxDepth = 20): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>([channelKey]);
  let frontier = [channelKey];
  for (let depth = 0; depth < maxDepth && frontier.length; depth++) {
    const docs = await Promise.all(frontier.map((k) => store.lineage.findOne({ _id: `pred:${k}` })));
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
