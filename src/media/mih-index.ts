/**
 * In-memory multi-index hashing (Norouzi et al.) for 256-bit PDQ hashes: 16 tables, one per 16-bit chunk.
 * Pigeonhole: if two hashes are within distance r <= 31, at least one of their 16 chunks differs in at most
 * floor(r / 16) <= 1 bit. Probing each chunk's value and its 16 one-bit neighbours therefore finds every hash
 * within r (100% recall); candidates are verified with the full distance. r >= 32 falls back to a scan.
 */

const POP16 = (() => {
  const t = new Uint8Array(65536);
  for (let i = 1; i < 65536; i++) t[i] = (t[i >> 1] as number) + (i & 1);
  return t;
})();

/** 64 hex chars (reference order: word 15 first) → 16 words, words[w] = bits 16w..16w+15. */
export function hexToWords(hex: string): Uint16Array {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`not a 256-bit PDQ hash in hex: "${hex.slice(0, 80)}"`);
  const w = new Uint16Array(16);
  for (let i = 0; i < 16; i++) w[15 - i] = parseInt(hex.slice(i * 4, i * 4 + 4), 16);
  return w;
}

export function wordsDistance(a: Uint16Array, aOff: number, b: Uint16Array, bOff: number): number {
  let d = 0;
  for (let i = 0; i < 16; i++) d += POP16[(a[aOff + i] as number) ^ (b[bOff + i] as number)] as number;
  return d;
}

export interface Match {
  id: string;
  distance: number;
}

export class MihIndex {
  private words = new Uint16Array(16 * 1024);
  private ids: Array<string | undefined> = [];
  private readonly slotOf = new Map<string, number>();
  /** 16 direct-addressed tables (65536 buckets each): chunk value → slots. */
  private readonly tables: Array<Array<number[] | undefined>> = Array.from({ length: 16 }, () => new Array<number[] | undefined>(65536));
  private free: number[] = [];

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Adds (or replaces) the hash of an id. */
  add(id: string, hex: string): void {
    const w = hexToWords(hex);
    if (this.slotOf.has(id)) this.remove(id);
    const slot = this.free.pop() ?? this.ids.length;
    if ((slot + 1) * 16 > this.words.length) {
      const grown = new Uint16Array(Math.max(this.words.length * 2, (slot + 1) * 16));
      grown.set(this.words);
      this.words = grown;
    }
    this.words.set(w, slot * 16);
    this.ids[slot] = id;
    this.slotOf.set(id, slot);
    for (let c = 0; c < 16; c++) {
      const t = this.tables[c] as Array<number[] | undefined>;
      const key = w[c] as number;
      const bucket = t[key];
      if (bucket) bucket.push(slot);
      else t[key] = [slot];
    }
  }

  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    for (let c = 0; c < 16; c++) {
      const t = this.tables[c] as Array<number[] | undefined>;
      const key = this.words[slot * 16 + c] as number;
      const bucket = t[key];
      if (!bucket) continue;
      const i = bucket.indexOf(slot);
      if (i >= 0) bucket.splice(i, 1);
      if (bucket.length === 0) t[key] = undefined;
    }
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.free.push(slot);
    return true;
  }

  /** Every indexed hash within `radius` of the query, nearest first. */
  query(hex: string, radius = 31): Match[] {
    if (radius >= 32) return this.bruteForce(hex, radius);
    const q = hexToWords(hex);
    const out: Match[] = [];
    const flips = Math.floor(radius / 16); // 0 or 1
    const words = this.words;
    const ids = this.ids;
    for (let c = 0; c < 16; c++) {
      const t = this.tables[c] as Array<number[] | undefined>;
      const v = q[c] as number;
      for (let f = -1; f < (flips ? 16 : 0); f++) {
        const bucket = t[f < 0 ? v : v ^ (1 << f)];
        if (!bucket) continue;
        for (let k = 0; k < bucket.length; k++) {
          const s = bucket[k] as number;
          // One cache line per candidate (its 16 words). A hash within the radius is reached through every chunk
          // that is within `flips` bits of the query; it is reported only from the first such chunk, so no
          // "seen" set is needed.
          const o = s * 16;
          let d = 0;
          let i = 0;
          for (; i < 16; i++) {
            const x = POP16[(q[i] as number) ^ (words[o + i] as number)] as number;
            if (i < c && x <= flips) break; // reachable from an earlier chunk: reported there
            d += x;
            if (d > radius) break; // most candidates are ~128 bits away: stop early
          }
          if (i === 16 && ids[s] !== undefined) out.push({ id: ids[s] as string, distance: d });
        }
      }
    }
    return out.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
  }

  /** Linear scan (the reference for recall tests and benchmarks). */
  bruteForce(hex: string, radius = 31): Match[] {
    const q = hexToWords(hex);
    const out: Match[] = [];
    for (let s = 0; s < this.ids.length; s++) {
      const id = this.ids[s];
      if (id === undefined) continue;
      const d = wordsDistance(q, 0, this.words, s * 16);
      if (d <= radius) out.push({ id, distance: d });
    }
    return out.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
  }
}
