/**
 * The index of stored views (issue 12): every stored picture's extra views (base or trimmed, caption-stripped,
 * crop windows) in one MIH table set of `check` layout, without a string per view. A million pictures carry some
 * 25 million views: a slot costs 32 bytes of hash, 128 of tables and 5 of owner and kind, and a picture's id is
 * kept once. Query results name a view by `viewId` (`<mediaId>|<how>|<k>`), built only for the hits.
 */
import type { SignalIndex } from '../core/signals/signal-type';
import { byDistanceThenId, type Match } from './mih-index';
import { MihSlots, type MihLayout, type MihProbe } from './mih-slots';
import type { StoredView } from './types';

const HOW: ReadonlyArray<StoredView['how']> = ['base', 'trimmed', 'caption-stripped', 'window'];
const HOW_CODE = new Map(HOW.map((h, i) => [h, i]));
/** Views a picture may have (k < 256, kept in a byte). */
export const MAX_VIEWS_PER_PICTURE = 256;

export class ViewIndex extends MihSlots implements SignalIndex<ReadonlyArray<Pick<StoredView, 'hash' | 'how'>>, string> {
  /** Per owner number: the picture's media id, or undefined once removed. */
  private owners: Array<string | undefined> = [];
  /** A picture's views are in consecutive slots (added together; compaction keeps the order). */
  private readonly ownerOf = new Map<string, { owner: number; first: number; count: number }>();
  /** Per slot: owner number, view kind (index in HOW) and the view's position k among its picture's views. */
  private ownerAt = new Uint32Array(1024);
  private howAt = new Uint8Array(1024);
  private kAt = new Uint8Array(1024);
  private views = 0;

  constructor(layout: MihLayout = 'check') {
    super(layout);
  }

  /** Stored views. */
  get size(): number {
    return this.views;
  }

  /** Pictures with views. */
  get pictures(): number {
    return this.ownerOf.size;
  }

  has(mediaId: string): boolean {
    return this.ownerOf.has(mediaId);
  }

  /** The signal index's `add`: addPicture. */
  add(mediaId: string, views: ReadonlyArray<Pick<StoredView, 'hash' | 'how'>>): void {
    this.addPicture(mediaId, views);
  }

  /** Adds (or replaces) the views of a picture; k is each view's position in `views`. */
  addPicture(mediaId: string, views: ReadonlyArray<Pick<StoredView, 'hash' | 'how'>>): void {
    if (views.length > MAX_VIEWS_PER_PICTURE) throw new Error(`${mediaId}: ${views.length} views, at most ${MAX_VIEWS_PER_PICTURE}`);
    for (const v of views) if (!HOW_CODE.has(v.how)) throw new Error(`${mediaId}: unknown view kind "${String(v.how)}"`);
    this.removePicture(mediaId);
    const owner = this.owners.length;
    this.owners.push(mediaId);
    // the picture's views take consecutive slots from here (nothing else adds slots meanwhile)
    const first = this.slots;
    try {
      views.forEach((v, k) => {
        const slot = this.addSlot(v.hash);
        this.grow(slot + 1);
        this.ownerAt[slot] = owner;
        this.howAt[slot] = HOW_CODE.get(v.how) as number;
        this.kAt[slot] = k;
      });
    } catch (err) {
      for (let s = first; s < this.slots; s++) this.killSlot(s); // a bad hash: none of the picture's views are kept
      this.owners[owner] = undefined;
      throw err;
    }
    this.ownerOf.set(mediaId, { owner, first, count: views.length });
    this.views += views.length;
    this.compactIfMostlyDead();
  }

  removePicture(mediaId: string): boolean {
    const known = this.ownerOf.get(mediaId);
    if (!known) return false;
    for (let s = known.first; s < known.first + known.count; s++) this.killSlot(s);
    this.owners[known.owner] = undefined;
    this.ownerOf.delete(mediaId);
    this.views -= known.count;
    return true;
  }

  private grow(n: number): void {
    if (n <= this.ownerAt.length) return;
    const size = Math.max(n, this.ownerAt.length * 2);
    const o = new Uint32Array(size);
    o.set(this.ownerAt);
    this.ownerAt = o;
    const h = new Uint8Array(size);
    h.set(this.howAt);
    this.howAt = h;
    const k = new Uint8Array(size);
    k.set(this.kAt);
    this.kAt = k;
  }

  protected moved(from: number, to: number): void {
    this.ownerAt[to] = this.ownerAt[from] as number;
    this.howAt[to] = this.howAt[from] as number;
    this.kAt[to] = this.kAt[from] as number;
    if (this.kAt[to] === 0) (this.ownerOf.get(this.owners[this.ownerAt[to] as number] as string) as { first: number }).first = to;
  }

  protected compacted(): void {
    // owner numbers are never reused; the owners array keeps a hole per removed picture (a string slot each)
  }

  private idOf(slot: number): string {
    return `${this.owners[this.ownerAt[slot] as number] as string}|${HOW[this.howAt[slot] as number] as string}|${this.kAt[slot] as number}`;
  }

  /** Every stored view within `radius` of the query, nearest first, named by viewId (see MihSlots.search). */
  query(hex: string, radius = 31, probe: MihProbe = 'full'): Match[] {
    const out: Match[] = [];
    this.search(hex, radius, probe, (slot, distance) => out.push({ id: this.idOf(slot), distance }));
    return out.sort(byDistanceThenId);
  }

  bruteForce(hex: string, radius = 31): Match[] {
    const out: Match[] = [];
    this.bruteSearch(hex, radius, (slot, distance) => out.push({ id: this.idOf(slot), distance }));
    return out.sort(byDistanceThenId);
  }
}
