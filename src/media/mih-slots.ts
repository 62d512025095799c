/**
 * The slot store and tables of multi-index hashing (Norouzi et al.) for 256-bit PDQ hashes, without ids: 16
 * tables, one per 16-bit chunk. Pigeonhole: if two hashes are within distance r <= 31, at least one of their 16
 * chunks differs in at most floor(r / 16) <= 1 bit. Probing each chunk's value and its 16 one-bit neighbours
 * therefore finds every hash within r (100% recall); candidates are verified with the full distance. r >= 32
 * falls back to a scan. Subclasses give slots their ids (MihIndex: a string per hash; ViewIndex: a picture and
 * its views).
 *
 * Layout (for speed at millions of hashes): hashes are a flat Uint32Array, 8 words per slot; each table is in
 * compressed sparse rows (65537 offsets, then its entries bucket after bucket), built in one counting sort. What
 * an entry holds is the layout:
 * - `inline`: the slot and a copy of its 8 words (36 bytes an entry, 576 a hash). A candidate is verified from
 *   the bucket itself, read in order, never from a random place in memory: at a million hashes a random read
 *   (cache and TLB miss) costs far more than the distance, so this is what keeps a lookup well under 1 ms.
 * - `check`: the slot and one "check word" (8 bytes an entry, 128 a hash), the 32 bits of the hash half a hash
 *   away from the table's chunk. For the memory of tens of millions of hashes (the views of a million pictures).
 *   Candidates are verified from the slot store; in `exact-chunks` probing the check word first drops those that
 *   are plainly too far (see `checkLimit`), so only a few percent are read from a random place.
 *
 * Slots are append-only between builds: hashes added since the last build are scanned directly (at most
 * DYNAMIC_MAX of them) and a removal only marks its slot dead. The tables are rebuilt (and dead slots compacted
 * away, subclasses told of every move) lazily, at the next query once enough has changed.
 */

const POP16 = (() => {
  const t = new Uint8Array(65536);
  for (let i = 1; i < 65536; i++) t[i] = (t[i >> 1] as number) + (i & 1);
  return t;
})();

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
export function parseHex(hex: string, out: Uint32Array, o: number): void {
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

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export type MihLayout = 'inline' | 'check';
export type MihProbe = 'full' | 'exact-chunks';

const BUCKETS = 65536;
/** Hashes added since the last build that a query scans directly before it rebuilds the tables. */
const DYNAMIC_MAX = 2048;

/**
 * In `check` layout and `exact-chunks` probing, a candidate whose check word differs from the query's in more
 * than this many bits is dropped unread. Its table's chunk is identical, so a hash at distance r has its r
 * differing bits among the other 240; spread at random, the 32 bits of the check word hold r·32/240 of them on
 * average (4.1 at r = 31, standard deviation 1.8). The limit is that mean plus 3.5 standard deviations (10 at
 * r = 31): a true neighbour at the full radius is dropped from one table about once in 10^3 (and is usually
 * found from another table too: it needs only one identical chunk), while an unrelated hash passes about one
 * time in forty (P(Binomial(32, ½) ≤ 10) = 0.025).
 */
export function checkLimit(radius: number): number {
  const p = Math.min(1, radius / 240);
  const mean = 32 * p;
  const sd = Math.sqrt(32 * p * (1 - p) * (208 / 239));
  return Math.min(32, Math.floor(mean + 3.5 * sd));
}

export abstract class MihSlots {
  /** 8 words per slot. */
  protected words = new Uint32Array(8 * 1024);
  /** Slots in use (live or dead). */
  protected slots = 0;
  /** 1 for a live slot. */
  private live = new Uint8Array(1024);
  /** Dead slots not yet compacted away. */
  protected dead = 0;
  /** Slots below `built` are in the tables. */
  private built = 0;
  /** Table c, bucket v: entries offsets[c·65537 + v] .. offsets[c·65537 + v + 1] of tables[c]. */
  private offsets = new Uint32Array(0);
  private tables: Uint32Array[] = [];
  private readonly stride: number;
  private readonly q = new Uint32Array(8);
  private readonly qc = new Int32Array(16);

  constructor(readonly layout: MihLayout = 'inline') {
    this.stride = layout === 'inline' ? 9 : 2;
  }

  /** Live slots. */
  protected get liveSlots(): number {
    return this.slots - this.dead;
  }

  /** A new live slot holding the hash (throws, changing nothing, on a bad hash). */
  protected addSlot(hex: string): number {
    const slot = this.slots;
    if ((slot + 1) * 8 > this.words.length) {
      const grown = new Uint32Array(Math.max(this.words.length * 2, (slot + 1) * 8));
      grown.set(this.words);
      this.words = grown;
    }
    parseHex(hex, this.words, slot * 8);
    if (slot >= this.live.length) {
      const grown = new Uint8Array(this.live.length * 2);
      grown.set(this.live);
      this.live = grown;
    }
    this.live[slot] = 1;
    this.slots++;
    return slot;
  }

  protected killSlot(slot: number): void {
    if (this.live[slot] !== 1) return;
    this.live[slot] = 0;
    this.dead++;
  }

  protected isLive(slot: number): boolean {
    return this.live[slot] === 1;
  }

  /** Compaction moved a live slot from `from` to `to` (to <= from; called in increasing order). */
  protected abstract moved(from: number, to: number): void;

  /** Compaction finished: `n` slots remain. */
  protected abstract compacted(n: number): void;

  /** Compacts the dead slots away when they outnumber the live ones (bounded memory without queries). */
  protected compactIfMostlyDead(): void {
    if (this.dead > 1024 && this.dead > this.liveSlots) this.rebuild();
  }

  /** Compacts away dead slots and rebuilds the 16 tables over every slot (counting sort per table). */
  private rebuild(): void {
    if (this.dead > 0) {
      const n = this.liveSlots;
      const words = new Uint32Array(Math.max(8 * 1024, n * 8 + (n * 8) / 4));
      const live = new Uint8Array(Math.max(1024, n + n / 4));
      let t = 0;
      for (let s = 0; s < this.slots; s++) {
        if (this.live[s] !== 1) continue;
        words.set(this.words.subarray(s * 8, s * 8 + 8), t * 8);
        live[t] = 1;
        if (s !== t) this.moved(s, t);
        t++;
      }
      this.words = words;
      this.live = live;
      this.slots = n;
      this.dead = 0;
      this.compacted(n);
    }
    const n = this.slots;
    const words = this.words;
    const stride = this.stride;
    const offsets = new Uint32Array(16 * (BUCKETS + 1));
    const tables: Uint32Array[] = [];
    for (let c = 0; c < 16; c++) {
      const base = c * (BUCKETS + 1);
      const k = c >> 1;
      const ck = (k + 4) & 7;
      const shift = (c & 1) * 16;
      for (let s = 0; s < n; s++) {
        const v = ((words[s * 8 + k] as number) >>> shift) & 0xffff;
        offsets[base + v + 1] = (offsets[base + v + 1] as number) + 1;
      }
      for (let v = 0; v < BUCKETS; v++) offsets[base + v + 1] = (offsets[base + v + 1] as number) + (offsets[base + v] as number);
      const table = new Uint32Array(n * stride);
      const cursor = offsets.slice(base, base + BUCKETS);
      for (let s = 0; s < n; s++) {
        const o = s * 8;
        const v = ((words[o + k] as number) >>> shift) & 0xffff;
        const at = (cursor[v] as number) * stride;
        cursor[v] = (cursor[v] as number) + 1;
        table[at] = s;
        if (stride === 9) table.set(words.subarray(o, o + 8), at + 1);
        else table[at + 1] = words[o + ck] as number;
      }
      tables.push(table);
    }
    this.offsets = offsets;
    this.tables = tables;
    this.built = n;
  }

  /**
   * Calls `visit(slot, distance)` for every live slot within `radius` of the query, each once, in no particular
   * order. `probe: 'exact-chunks'` looks up each chunk's own value only (16 probes instead of 272 at radius
   * 16–31): exact up to radius 15, and beyond it finds a hash when one of the 16 chunks is identical — for a hash
   * at distance 31 with its differing bits spread at random, about 92% of the time (99% at 20); in `check`
   * layout the check word may also drop a candidate (see `checkLimit`). Used for the many extra views of
   * re-upload matching.
   */
  protected search(hex: string, radius: number, probe: MihProbe, visit: (slot: number, distance: number) => void): void {
    const q = this.q;
    parseHex(hex, q, 0);
    if (radius < 0) return;
    if (radius >= 32) {
      this.scan(0, radius, visit);
      return;
    }
    if (this.slots - this.built > DYNAMIC_MAX || (this.dead > 0 && this.dead * 4 > this.slots)) this.rebuild();
    const flips = radius >= 16 && probe === 'full' ? 1 : 0;
    const qc = this.qc;
    for (let k = 0; k < 8; k++) {
      qc[2 * k] = (q[k] as number) & 0xffff;
      qc[2 * k + 1] = (q[k] as number) >>> 16;
    }
    const inline = this.stride === 9;
    const limit = inline ? 32 : probe === 'exact-chunks' ? Math.min(radius, checkLimit(radius)) : radius;
    const words = this.words;
    const live = this.live;
    const offsets = this.offsets;
    const stride = this.stride;
    for (let c = 0; c < 16; c++) {
      const v = qc[c] as number;
      const base = c * (BUCKETS + 1);
      const table = this.tables[c] as Uint32Array;
      const kc = c >> 1; // words wholly or partly before chunk c
      const qCheck = q[(kc + 4) & 7] as number;
      for (let f = -1; f < (flips ? 16 : 0); f++) {
        const key = f < 0 ? v : v ^ (1 << f);
        const end = (offsets[base + key + 1] as number) * stride;
        for (let e = (offsets[base + key] as number) * stride; e < end; e += stride) {
          const s = table[e] as number;
          let src: Uint32Array;
          let o: number;
          if (inline) {
            src = table;
            o = e + 1;
          } else {
            if (popcount32(qCheck ^ (table[e + 1] as number)) > limit) continue;
            src = words;
            o = s * 8;
          }
          // the chunks before c: a hash that is within `flips` bits there was already reported from that chunk,
          // so no "seen" set is needed (each is reported once, from its first chunk within `flips` bits)
          let d = 0;
          let skip = false;
          for (let k = 0; k < kc; k++) {
            const x = (q[k] as number) ^ (src[o + k] as number);
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
            const x = (q[kc] as number) ^ (src[o + kc] as number);
            const lo = POP16[x & 0xffff] as number;
            if (lo <= flips) continue;
            d += lo + (POP16[x >>> 16] as number);
          } else {
            d += popcount32((q[kc] as number) ^ (src[o + kc] as number));
          }
          if (d > radius) continue;
          let k = kc + 1;
          for (; k < 8; k++) {
            d += popcount32((q[k] as number) ^ (src[o + k] as number));
            if (d > radius) break;
          }
          if (k < 8) continue;
          if (live[s] === 1) visit(s, d);
        }
      }
    }
    // hashes added since the last build: scanned
    this.scan(this.built, radius, visit);
  }

  /** Linear scan of the slots from `from` on (the query is in this.q). */
  private scan(from: number, radius: number, visit: (slot: number, distance: number) => void): void {
    const q = this.q;
    const words = this.words;
    const live = this.live;
    for (let s = from; s < this.slots; s++) {
      if (live[s] !== 1) continue;
      const o = s * 8;
      let d = 0;
      let k = 0;
      for (; k < 8; k++) {
        d += popcount32((q[k] as number) ^ (words[o + k] as number));
        if (d > radius) break;
      }
      if (k === 8) visit(s, d);
    }
  }

  /** Every live slot within `radius`, by linear scan (the reference for recall tests and benchmarks). */
  protected bruteSearch(hex: string, radius: number, visit: (slot: number, distance: number) => void): void {
    parseHex(hex, this.q, 0);
    this.scan(0, radius, visit);
  }
}
