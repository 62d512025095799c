/**
 * The store side of the text signals (src/core/signals/minhash-text.ts, short-text.ts): the MinHash text index's
 * backing (`text_bands` buckets, `text_signatures`), and the text stage's writes. The clustering itself is pure and
 * lives with the MinHash text signal.
 */
import type { Settings } from '../config/schema';
import { CHANNEL_TEXT_CLUSTER_CAP, ownTextClusterId, TEXT_BAND_CAP, type TextClusterBacking, type TextClusterIndex } from '../core/signals/minhash-text';
import { CHANNEL_SHORT_TEXT_CAP } from '../core/signals/short-text';
import { lshBands } from '../core/text/minhash';
import { addToCappedSet, addToCappedSets } from '../store/capped-set';
import type { Store } from '../store/store';
import type { PostDoc } from '../store/repos/posts';
import { SIGNAL_TYPES } from './signals/registry';
import type { TextSigDoc } from './types';

/** The MinHash text index's backing in the store: every read by `_id` (`tb:<band>`, the representative's post key). */
export function storeTextBacking(store: Store): TextClusterBacking {
  return {
    bucketClusters: (bands) => Promise.all(bands.map(async (b) => (await store.textBands.findOne({ _id: `tb:${b}` }))?.c ?? [])),
    signature: async (postKey) => {
      const d = await store.textSigs.findOne({ _id: postKey }, { projection: { sig: 1, at: 1 } });
      return d ? { sig: d.sig, at: d.at } : undefined;
    },
    addToBuckets: (bands, clusterId) =>
      addToCappedSets(
        store,
        store.textBands,
        bands.map((b) => ({ id: `tb:${b}`, values: [clusterId] })),
        'c',
        TEXT_BAND_CAP,
      ),
  };
}

/**
 * The MinHash text index over the store, at the settings' Jaccard threshold (`text.clusterJaccard`). A query reads
 * by `_id` only, bounded: one bucket per band (≤ TEXT_BAND_CAP clusters each) and one representative per candidate.
 */
export function textIndex(store: Store, threshold: number): TextClusterIndex {
  return SIGNAL_TYPES['minhash-text'].createIndex(storeTextBacking(store), threshold);
}

/** Short posts get no signature: their exact normalised hashes, one capped-set write per channel. */
async function recordShortTexts(store: Store, posts: readonly PostDoc[], minWords: number): Promise<void> {
  const short = new Map<string, Set<string>>();
  for (const p of posts) {
    const h = SIGNAL_TYPES['short-text'].fromContent({ text: p.text, minWords });
    if (h) short.set(p.channelKey, (short.get(p.channelKey) ?? new Set<string>()).add(h));
  }
  for (const [channelKey, hashes] of short) await addToCappedSet(store, store.channelSummaries, channelKey, 'shortTexts', [...hashes], CHANNEL_SHORT_TEXT_CAP);
}

/**
 * Near-duplicate texts form a text cluster: MinHash signature + LSH bands per post; a post joins the earliest
 * cluster whose representative shares a band and reaches the Jaccard threshold, or starts its own. Idempotent by
 * post key; no read grows with the number of stored signatures.
 */
export async function clusterTexts(store: Store, posts: PostDoc[], opts: Settings['text'], now: Date): Promise<void> {
  await recordShortTexts(store, posts, opts.minWords);
  const index = textIndex(store, opts.clusterJaccard);
  for (const p of posts) {
    const sig = SIGNAL_TYPES['minhash-text'].fromContent({ text: p.text, minWords: opts.minWords });
    if (!sig) continue;
    // the signature is written last, so its presence means the bucket and summary writes are done
    if (await store.textSigs.findOne({ _id: p._id }, { projection: { _id: 1 } })) continue;
    const bands = lshBands(sig);
    if (!bands.length) continue;
    const { matches, held } = await index.lookup(sig, bands);
    const clusterId = matches[0]?.clusterId ?? ownTextClusterId(p._id);
    // buckets that already hold the cluster (or are full) are left alone; the others in one batch
    await index.add(clusterId, bands, held);
    await addToCappedSet(store, store.channelSummaries, p.channelKey, 'textClusters', [clusterId], CHANNEL_TEXT_CLUSTER_CAP);
    const doc: TextSigDoc = { _id: p._id, channelKey: p.channelKey, sig, bands, clusterId, at: p.publishedAt ?? now, indexedAt: now };
    await store.textSigs.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
  }
}
