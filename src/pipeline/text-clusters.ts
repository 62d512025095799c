import type { Settings } from '../config/schema';
import { estimateJaccard, lshBands, minhashSignature, tokens } from '../core/text/minhash';
import type { TextSigDoc } from '../media/types';
import type { Store } from '../store/store';
import type { PostDoc } from '../store/types';

/**
 * Near-duplicate texts form a text cluster: MinHash signature + LSH bands per post; a post joins the cluster of the
 * earliest stored post that shares a band and whose estimated Jaccard reaches the threshold. Idempotent by post key.
 */
export async function clusterTexts(store: Store, posts: PostDoc[], opts: Settings['text'], now: Date): Promise<void> {
  const fresh: PostDoc[] = [];
  for (const p of posts) {
    if (tokens(p.text).length < opts.minWords) continue;
    if (await store.textSigs.findOne({ _id: p._id }, { projection: { _id: 1 } })) continue;
    fresh.push(p);
  }
  if (!fresh.length) return;
  // Candidate generation by band keys over the stored signatures (small per deployment; FerretDB scans anyway).
  const stored = await store.textSigs.find({}, { projection: { _id: 1, sig: 1, bands: 1, clusterId: 1, at: 1 } }).toArray();
  const byBand = new Map<string, TextSigDoc[]>();
  const add = (d: TextSigDoc): void => {
    for (const b of d.bands) {
      const list = byBand.get(b);
      if (list) list.push(d);
      else byBand.set(b, [d]);
    }
  };
  for (const d of stored as TextSigDoc[]) add(d);
  for (const p of fresh) {
    const sig = minhashSignature(p.text);
    const bands = lshBands(sig);
    const at = p.publishedAt ?? now;
    const candidates = new Map<string, TextSigDoc>();
    for (const b of bands) for (const d of byBand.get(b) ?? []) candidates.set(d._id, d);
    const matches = [...candidates.values()]
      .filter((d) => estimateJaccard(sig, d.sig) >= opts.clusterJaccard)
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a._id.localeCompare(b._id));
    const doc: TextSigDoc = { _id: p._id, channelKey: p.channelKey, sig, bands, clusterId: matches[0]?.clusterId ?? `tc:${p._id}`, at, indexedAt: now };
    await store.textSigs.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
    add(doc);
  }
}
