import type { Settings } from '../config/schema';
import { estimateJaccard, lshBands, minhashSignature, tokens } from '../core/text/minhash';
import type { TextSigDoc } from '../media/types';
import { addToCappedSet, addToCappedSets } from '../store/capped-set';
import { CHANNEL_SHORT_TEXT_CAP, shortTextHash } from '../core/signals/short-text';
import type { Store } from '../store/store';
import type { PostDoc } from '../store/types';

/** Text clusters kept per LSH band bucket; a bucket that is full keeps its first clusters (boilerplate bands). */
export const TEXT_BAND_CAP = 32;
/** Text clusters remembered per channel (its first ones), for successor scoring. */
export const CHANNEL_TEXT_CLUSTER_CAP = 2000;

const REP_PREFIX = 'tc:';

/** A text cluster's id names its first post, whose signature represents the cluster: `tc:<postKey>`. */
export function clusterRepKey(clusterId: string): string | undefined {
  return clusterId.startsWith(REP_PREFIX) ? clusterId.slice(REP_PREFIX.length) : undefined;
}

interface Rep {
  clusterId: string;
  sig: number[];
  at: Date;
}

/**
 * The text clusters whose representative is a near-duplicate of `sig` (estimated Jaccard ≥ threshold), earliest
 * first. Reads are `_id` look-ups of bounded size: one bucket per band (≤ TEXT_BAND_CAP clusters each) and one
 * representative per candidate cluster.
 */
export async function matchingTextClusters(store: Store, sig: number[], bands: string[], threshold: number): Promise<Rep[]> {
  return (await readTextBuckets(store, sig, bands, threshold)).matches;
}

/** matchingTextClusters, and the clusters each band's bucket held (so that a writer skips buckets already holding its cluster). */
async function readTextBuckets(store: Store, sig: number[], bands: string[], threshold: number): Promise<{ matches: Rep[]; held: Map<string, string[]> }> {
  const buckets = await Promise.all(bands.map((b) => store.textBands.findOne({ _id: `tb:${b}` })));
  const held = new Map(bands.map((b, i) => [b, buckets[i]?.c ?? []]));
  const ids = [...new Set(buckets.flatMap((b) => b?.c ?? []))];
  const reps = await Promise.all(
    ids.map(async (clusterId): Promise<Rep | undefined> => {
      const key = clusterRepKey(clusterId);
      const d = key ? await store.textSigs.findOne({ _id: key }, { projection: { sig: 1, at: 1 } }) : null;
      return d ? { clusterId, sig: d.sig, at: d.at } : undefined;
    }),
  );
  const matches = reps
    .filter((r): r is Rep => !!r && estimateJaccard(sig, r.sig) >= threshold)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.clusterId.localeCompare(b.clusterId));
  return { matches, held };
}

/**
 * Near-duplicate texts form a text cluster: MinHash signature + LSH bands per post; a post joins the earliest
 * cluster whose representative shares a band and reaches the Jaccard threshold, or starts its own. Idempotent by
 * post key; no read grows with the number of stored signatures.
 */
export async function clusterTexts(store: Store, posts: PostDoc[], opts: Settings['text'], now: Date): Promise<void> {
  // short posts get no signature: their exact normalised hashes, one capped-set write per channel
  const short = new Map<string, Set<string>>();
  for (const p of posts) {
    const h = shortTextHash(p.text, opts.minWords);
    if (h) short.set(p.channelKey, (short.get(p.channelKey) ?? new Set<string>()).add(h));
  }
  for (const [channelKey, hashes] of short) await addToCappedSet(store, store.channelSummaries, channelKey, 'shortTexts', [...hashes], CHANNEL_SHORT_TEXT_CAP);
  for (const p of posts) {
    if (tokens(p.text).length < opts.minWords) continue;
    // the signature is written last, so its presence means the bucket and summary writes are done
    if (await store.textSigs.findOne({ _id: p._id }, { projection: { _id: 1 } })) continue;
    const sig = minhashSignature(p.text);
    const bands = lshBands(sig);
    if (!bands.length) continue;
    const { matches, held } = await readTextBuckets(store, sig, bands, opts.clusterJaccard);
    const clusterId = matches[0]?.clusterId ?? `${REP_PREFIX}${p._id}`;
    // buckets that already hold the cluster (or are full) are left alone; the others in one batch
    const adds = bands
      .filter((b) => {
        const c = held.get(b) ?? [];
        return !c.includes(clusterId) && c.length < TEXT_BAND_CAP;
      })
      .map((b) => ({ id: `tb:${b}`, values: [clusterId] }));
    await addToCappedSets(store, store.textBands, adds, 'c', TEXT_BAND_CAP);
    await addToCappedSet(store, store.channelSummaries, p.channelKey, 'textClusters', [clusterId], CHANNEL_TEXT_CLUSTER_CAP);
    const doc: TextSigDoc = { _id: p._id, channelKey: p.channelKey, sig, bands, clusterId, at: p.publishedAt ?? now, indexedAt: now };
    await store.textSigs.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
  }
}
