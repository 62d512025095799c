/**
 * In-memory multi-index hashing (Norouzi et al.) for 256-bit PDQ hashes: 16 tables, one per 16-bit chunk.
 * Pigeonhole: if two hashes are within distance r <= 31, at least one of their 16 chunks differs in at most
 * floor(r / 16) <= 1 bit. Probing each chunk's value and its 16 one-bit neighbours therefore finds every hash
 * within r (100% recall); candidates are verified with the full distance. r >= 32 falls back to a scan.
 *
 * Layout (for speed at millions of hashes): hashes are a flat Uint32Array, 8 words per slot; the tables are
 * compressed sparse rows (per table 65537 offsets into one Uint32Array of slots, bucket after bucket), built in
 * one counting sort. Slots are append-only between builds: hashes added since the last build are scanned
 * directly (at most DYNAMIC_MAX of them) and a removal only marks its slot dead. The tables are rebuilt (and dead
 * slots compacted away) lazily, at the next query once enough has changed.
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

const HEX_VALUE = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[65 + i] = 10 + i;
    t[97 + i] = 10 + i;
  }
  return t;
})();

/**
 * 64 hex chars → 8 words of 32 bits at out[o..o+8): word k holds chunk 2k in its low and chunk 2k + 1 in its
 * high 16 bits (chunk c = bits 16c..16c+15, printed as hex characters 60 − 4c .. 63 − 4c).
 */
function parseHex(hex: string, out: Uint32Array, o: number): void {
  if (hex.length !== 64) throw new Error(`not a 256-bit PDQ hash in hex: "${hex.slice(0, 80)}"`);
  for (let k = 0; k < 8; k++) {
    let v = 0;
    const p = 56 - 8 * k;
    for (let i = 0; i < 8; i++) {
      const code = hex.charCodeAt(p + i);
      const x = code < 128 ? (HEX_VALUE[code] as number) : -1;
      if (x < 0) throw new Error(`not a 256-bit PDQ hash in hex: "${hex.slice(0, 80)}"`);
      v = (v << 4) | x;
    }
    out[o + k] = v >>> 0;
  }
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

const BUCKETS = 65536;
/** Hashes added since the last build that a query scans directly before it rebuilds the tables. */
const DYNAMIC_MAX = 2048;

function byDistanceThenId(a: Match, b: Match): number {
  return a.distance - b.distance || a.id.localeCompare(b.id);
}

export class MihIndex {
  /** 8 words per slot. */
  private words = new Uint32Array(8 * 1024);
  /** Per slot: its id, or undefined once removed. */
  private ids: Array<string | undefined> = [];
  private readonly slotOf = new Map<string, number>();
  /** Removed slots not yet compacted away. */
  private dead = 0;
  /** Slots below `built` are in the tables. */
  private built = 0;
  /** Table c, bucket v: entries[offsets[c·65537 + v] .. offsets[c·65537 + v + 1]). */
  private offsets = new Uint32Array(0);
  private entries = new Uint32Array(0);
  private readonly q = new Uint32Array(8);
  private readonly qc = new Int32Array(16);

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Adds (or replaces) the hash of an id. */
  add(id: string, hex: string): void {
    const slot = this.ids.length;
    if ((slot + 1) * 8 > this.words.length) {
      const grown = new Uint32Array(Math.max(this.words.length * 2, (slot + 1) * 8));
      grown.set(this.words);
      this.words = grown;
    }
    parseHex(hex, this.words, slot * 8); // throws before anything changes
    if (this.slotOf.has(id)) this.remove(id);
    this.ids.push(id);
    this.slotOf.set(id, slot);
    // keep memory bounded when hashes are replaced or removed without queries in between
    if (this.dead > 1024 && this.dead > this.slotOf.size) this.rebuild();
  }

  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.dead++;
    return true;
  }

  /** Compacts away removed slots and rebuilds the 16 tables over every slot (counting sort per table). */
  private rebuild(): void {
    if (this.dead > 0) {
      const n = this.slotOf.size;
      const words = new Uint32Array(Math.max(8 * 1024, n * 8 + (n * 8) / 4));
      const ids: Array<string | undefined> = new Array<string | undefined>(n);
      let t = 0;
      for (let s = 0; s < this.ids.length; s++) {
        const id = this.ids[s];
        if (id === undefined) continue;
        words.set(this.words.subarray(s * 8, s * 8 + 8), t * 8);
        ids[t] = id;
        this.slotOf.set(id, t);
        t++;
      }
      this.words = words;
      this.ids = ids;
      this.dead = 0;
    }
    const n = this.ids.length;
    const words = this.words;
    const offsets = new Uint32Array(16 * (BUCKETS + 1));
    const entries = new Uint32Array(16 * n);
    for (let c = 0; c < 16; c++) {
      const base = c * (BUCKETS + 1);
      const k = c >> 1;
      const shift = (c & 1) * 16;
      for (let s = 0; s < n; s++) {
        const v = ((words[s * 8 + k] as number) >>> shift) & 0xffff;
        offsets[base + v + 1] = (offsets[base + v + 1] as number) + 1;
      }
      // prefix sums (absolute positions in `entries`)
      offsets[base] = c * n;
      for (let v = 0; v < BUCKETS; v++) offsets[base + v + 1] = (offsets[base + v + 1] as number) + (offsets[base + v] as number);
      // fill, bucket by bucket in slot order, using a moving cursor per bucket
      const cursor = offsets.slice(base, base + BUCKETS);
      for (let s = 0; s < n; s++) {
        const v = ((words[s * 8 + k] as number) >>> shift) & 0xffff;
        const at = cursor[v] as number;
        entries[at] = s;
        cursor[v] = at + 1;
      }
    }
    this.offsets = offsets;
    this.entries = entries;
    this.built = n;
  }

  /**
   * Every indexed hash within `radius` of the query, nearest first. `probe: 'exact-chunks'` looks up each chunk's
   * own value only (16 probes instead of 272 at radius 16–31): exact up to radius 15, and beyond it finds a hash
   * when one of the 16 chunks is identical — for a hash at distance 31 with its differing bits spread at random,
   * about 92% of the time (99% at 20). Used for the many extra views of re-upload matching.
   */
  query(hex: string, radius = 31, probe: 'full' | 'exact-chunks' = 'full'): Match[] {
    if (radius >= 32) return this.bruteForce(hex, radius);
    const q = this.q;
    parseHex(hex, q, 0);
    const out: Match[] = [];
    if (radius < 0) return out;
    if (this.ids.length - this.built > DYNAMIC_MAX || (this.dead > 0 && this.dead * 4 > this.ids.length)) this.rebuild();
    const flips = radius >= 16 && probe === 'full' ? 1 : 0;
    const qc = this.qc;
    for (let k = 0; k < 8; k++) {
      qc[2 * k] = (q[k] as number) & 0xffff;
      qc[2 * k + 1] = (q[k] as number) >>> 16;
    }
    const words = this.words;
    const ids = this.ids;
    const offsets = this.offsets;
    const entries = this.entries;
    const q0 = q[0] as number;
    const q1 = q[1] as number;
    const q2 = q[2] as number;
    const q3 = q[3] as number;
    const q4 = q[4] as number;
    const q5 = q[5] as number;
    const q6 = q[6] as number;
    const q7 = q[7] as number;
    for (let c = 0; c < 16; c++) {
      const v = qc[c] as number;
      const base = c * (BUCKETS + 1);
      // the chunks before c: a hash that is within `flips` bits there was already reported from that chunk,
      // so no "seen" set is needed (each is reported once, from its first chunk within `flips` bits)
      const kc = c >> 1; // words wholly or partly before chunk c
      for (let f = -1; f < (flips ? 16 : 0); f++) {
        const key = f < 0 ? v : v ^ (1 << f);
        const end = offsets[base + key + 1] as number;
        for (let e = offsets[base + key] as number; e < end; e++) {
          const s = entries[e] as number;
          const o = s * 8;
          let d = 0;
          let skip = false;
          // words before chunk c's word: both halves are earlier chunks
          for (let k = 0; k < kc; k++) {
            const x = (q[k] as number) ^ (words[o + k] as number);
            const lo = POP16[x & 0xffff] as number;
            const hi = POP16[x >>> 16] as number;
            if (lo <= flips || hi <= flips) {
              skip = true;
              break;
            }
            d += lo + hi;
            if (d > radius) {
              skip = true;
              break;
            }
          }
          if (skip) continue;
          if ((c & 1) === 1) {
            // chunk c − 1 shares chunk c's word
            const x = (q[kc] as number) ^ (words[o + kc] as number);
            const lo = POP16[x & 0xffff] as number;
            if (lo <= flips) continue;
            d += lo + (POP16[x >>> 16] as number);
          } else {
            d += popcount32((q[kc] as number) ^ (words[o + kc] as number));
          }
          if (d > radius) continue;
          // the rest, no order condition
          let k = kc + 1;
          for (; k < 8; k++) {
            d += popcount32((q[k] as number) ^ (words[o + k] as number));
            if (d > radius) break;
          }
          if (k < 8) continue;
          const id = ids[s];
          if (id !== undefined) out.push({ id, distance: d });
        }
      }
    }
    // hashes added since the last build: scanned
    for (let s = this.built; s < ids.length; s++) {
      const id = ids[s];
      if (id === undefined) continue;
      const d = distanceAt(words, s * 8, q0, q1, q2, q3, q4, q5, q6, q7, radius);
      if (d <= radius) out.push({ id, distance: d });
    }
    return out.sort(byDistanceThenId);
  }

  /** Linear scan (the reference for recall tests and benchmarks). */
  bruteForce(hex: string, radius = 31): Match[] {
    const q = this.q;
    parseHex(hex, q, 0);
    const out: Match[] = [];
    const words = this.words;
    const ids = this.ids;
    for (let s = 0; s < ids.length; s++) {
      const id = ids[s];
      if (id === undefined) continue;
      const o = s * 8;
      let d = 0;
      for (let k = 0; k < 8; k++) d += popcount32((q[k] as number) ^ (words[o + k] as number));
      if (d <= radius) out.push({ id, distance: d });
    }
    return out.sort(byDistanceThenId);
  }
}

/** Distance of the slot at words[o..o+8) to the query words, stopping early once it exceeds `limit`. */
function distanceAt(
  words: Uint32Array,
  o: number,
  q0: number,
  q1: number,
  q2: number,
  q3: number,
  q4: number,
  q5: number,
  q6: number,
  q7: number,
  limit: number,
): number {
  let d = popcount32(q0 ^ (words[o] as number)) + popcount32(q1 ^ (words[o + 1] as number));
  if (d > limit) return d;
  d += popcount32(q2 ^ (words[o + 2] as number)) + popcount32(q3 ^ (words[o + 3] as number));
  if (d > limit) return d;
  d += popcount32(q4 ^ (words[o + 4] as number)) + popcount32(q5 ^ (words[o + 5] as number));
  if (d > limit) return d;
  return d + popcount32(q6 ^ (words[o + 6] as number)) + popcount32(q7 ^ (words[o + 7] as number));
}
