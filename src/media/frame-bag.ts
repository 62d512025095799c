import { MihIndex } from './mih-index';
import { hamming, type PdqResult } from './pdq-hash';

/** vPDQ-style frame bag: one PDQ per sampled frame, near-identical consecutive frames dropped (pure). */
export function frameBag(frames: readonly PdqResult[], dedupDistance: number): PdqResult[] {
  const out: PdqResult[] = [];
  for (const f of frames) {
    const prev = out[out.length - 1];
    if (prev && hamming(prev.hash, f.hash) <= dedupDistance) continue;
    out.push(f);
  }
  return out;
}

export interface VideoMatchScore {
  /** Share (0–100) of the stored video's frames that match some query frame. */
  storedPct: number;
  /** Share (0–100) of the query's frames that match some stored frame. */
  queryPct: number;
}

/** Both-way frame coverage between two frame bags at a PDQ radius (pure; small bags, so a direct comparison). */
export function videoMatch(query: readonly string[], stored: readonly string[], radius: number): VideoMatchScore {
  if (query.length === 0 || stored.length === 0) return { storedPct: 0, queryPct: 0 };
  const idx = new MihIndex();
  stored.forEach((h, i) => idx.add(String(i), h));
  const storedHit = new Set<string>();
  let queryHits = 0;
  for (const q of query) {
    const m = idx.query(q, radius);
    if (m.length) queryHits++;
    for (const x of m) storedHit.add(x.id);
  }
  return { storedPct: (100 * storedHit.size) / stored.length, queryPct: (100 * queryHits) / query.length };
}

export function isVideoMatch(s: VideoMatchScore, storedPct: number, queryPct: number): boolean {
  return s.storedPct >= storedPct && s.queryPct >= queryPct;
}
