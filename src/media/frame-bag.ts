import { MihIndex } from './mih-index';
import { hamming, type PdqResult } from './pdq-hash';
import type { FrameWindow } from './video-print';

/** vPDQ-style frame bag: one PDQ per sampled frame, near-identical consecutive frames dropped (pure). */
export function frameBag<T extends PdqResult>(frames: readonly T[], dedupDistance: number): T[] {
  const out: T[] = [];
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

/** A frame bag and, aligned with its frames, each frame's strip windows (video-print.ts; absent on older bags). */
export interface WindowedBag {
  frames: readonly string[];
  windows?: ReadonlyArray<readonly FrameWindow[]>;
}

/**
 * Both-way frame coverage where a query frame matches a stored frame by their PDQ or by a strip window of the same
 * name (a band drawn over one end of the query's frames leaves the window at the other end intact), pure.
 */
export function videoMatchWindowed(query: WindowedBag, stored: WindowedBag, radius: number): VideoMatchScore {
  if (query.frames.length === 0 || stored.frames.length === 0) return { storedPct: 0, queryPct: 0 };
  const idx = new MihIndex();
  stored.frames.forEach((h, i) => idx.add(String(i), h));
  const win = new MihIndex();
  stored.windows?.forEach((ws, i) => ws.forEach((w) => win.add(`${i}:${w.name}`, w.hash)));
  const storedHit = new Set<string>();
  let queryHits = 0;
  query.frames.forEach((q, k) => {
    const hit = new Set(idx.query(q, radius).map((m) => m.id));
    if (win.size)
      for (const w of query.windows?.[k] ?? [])
        for (const m of win.query(w.hash, radius)) {
          const [i, name] = m.id.split(':') as [string, string];
          if (name === w.name) hit.add(i);
        }
    if (hit.size) queryHits++;
    for (const i of hit) storedHit.add(i);
  });
  return { storedPct: (100 * storedHit.size) / stored.frames.length, queryPct: (100 * queryHits) / query.frames.length };
}
