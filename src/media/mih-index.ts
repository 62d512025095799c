/**
 * Multi-index hashing over 256-bit PDQ hashes with a string id per hash (see MihSlots for the tables and their
 * layouts). The default `inline` layout keeps a lookup at a million hashes well under 1 ms.
 */
import type { SignalIndex } from '../core/signals/signal-type';
import { MihSlots, type MihLayout, type MihProbe } from './mih-slots';

export interface Match {
  id: string;
  distance: number;
}

export function byDistanceThenId(a: Match, b: Match): number {
  return a.distance - b.distance || a.id.localeCompare(b.id);
}

export class MihIndex extends MihSlots implements SignalIndex<string> {
  /** Per slot: its id, or undefined once removed. */
  private ids: Array<string | undefined> = [];
  private readonly slotOf = new Map<string, number>();

  constructor(layout: MihLayout = 'inline') {
    super(layout);
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Adds (or replaces) the hash of an id. */
  add(id: string, hex: string): void {
    const slot = this.addSlot(hex); // throws before anything changes
    const old = this.slotOf.get(id);
    if (old !== undefined) {
      this.killSlot(old);
      this.ids[old] = undefined;
    }
    this.ids[slot] = id;
    this.slotOf.set(id, slot);
    this.compactIfMostlyDead();
  }

  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.killSlot(slot);
    return true;
  }

  protected moved(from: number, to: number): void {
    const id = this.ids[from] as string;
    this.ids[to] = id;
    this.slotOf.set(id, to);
  }

  protected compacted(n: number): void {
    this.ids.length = n;
  }

  /** Every indexed hash within `radius` of the query, nearest first (see MihSlots.search for `probe`). */
  query(hex: string, radius = 31, probe: MihProbe = 'full'): Match[] {
    const out: Match[] = [];
    this.search(hex, radius, probe, (slot, distance) => out.push({ id: this.ids[slot] as string, distance }));
    return out.sort(byDistanceThenId);
  }

  /** Linear scan (the reference for recall tests and benchmarks). */
  bruteForce(hex: string, radius = 31): Match[] {
    const out: Match[] = [];
    this.bruteSearch(hex, radius, (slot, distance) => out.push({ id: this.ids[slot] as string, distance }));
    return out.sort(byDistanceThenId);
  }
}
