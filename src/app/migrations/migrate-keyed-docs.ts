import { CHANNEL_TEXT_CLUSTER_CAP, TEXT_BAND_CAP } from '../../core/signals/minhash-text';
import { CHANNEL_MEDIA_CLUSTER_CAP, CLUSTER_CHANNEL_CAP } from '../../media/intake';
import { recordLineage } from '../../store/repos/lineage';
import { addToCappedSet, retryUpsert } from '../../store/capped-set';
import { recordHandles } from '../../store/repos/channels';
import type { Store } from '../../store/store';

const MARKER = 'migrated:keyed-docs-v1';

/**
 * One-time backfill of the keyed summary documents for a database written before they existed: handle → channel,
 * lineage, text band buckets, and the channel/cluster summaries. A full read of each source collection, done once
 * at start (marked in `meta`), never on the hot path. Idempotent: two processes starting at once converge.
 */
export async function migrateKeyedDocs(store: Store, log: (line: string) => void = () => undefined): Promise<boolean> {
  if (await store.meta.findOne({ _id: MARKER })) return false;
  const started = Date.now();
  let n = 0;
  for await (const ch of store.channels.find({ platform: 'telegram' }, { projection: { _id: 1, handles: 1, lastCheckedAt: 1 } })) {
    if (!ch._id.startsWith('tg:@')) await recordHandles(store, ch._id, ch.handles ?? [], ch.lastCheckedAt ?? new Date());
    n++;
  }
  for await (const ev of store.events.find({ type: 'resurfaced' }, { projection: { channelKey: 1, data: 1 } })) {
    const pred = ev.data?.predecessor;
    const lineage = Array.isArray(ev.data?.lineage) ? (ev.data.lineage as string[]) : [];
    if (typeof pred === 'string') await recordLineage(store, pred, ev.channelKey, lineage.length ? lineage : [pred, ev.channelKey]);
    n++;
  }
  for await (const t of store.textSigs.find({}, { projection: { channelKey: 1, bands: 1, clusterId: 1 } })) {
    await Promise.all((t.bands ?? []).map((b) => addToCappedSet(store, store.textBands, `tb:${b}`, 'c', [t.clusterId], TEXT_BAND_CAP)));
    await addToCappedSet(store, store.channelSummaries, t.channelKey, 'textClusters', [t.clusterId], CHANNEL_TEXT_CLUSTER_CAP);
    n++;
  }
  for await (const s of store.sightings.find({}, { projection: { channelKey: 1, clusterId: 1 } })) {
    await addToCappedSet(store, store.channelSummaries, s.channelKey, 'mediaClusters', [s.clusterId], CHANNEL_MEDIA_CLUSTER_CAP);
    await addToCappedSet(store, store.clusters, s.clusterId, 'channels', [s.channelKey], CLUSTER_CHANNEL_CAP);
    n++;
  }
  await retryUpsert(() => store.meta.updateOne({ _id: MARKER }, { $set: { at: new Date() } }, { upsert: true }));
  if (n) log(`store: keyed summary documents backfilled from ${n} stored documents in ${Date.now() - started} ms (once)`);
  return true;
}
