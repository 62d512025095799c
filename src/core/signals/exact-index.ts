import type { SignalIndex, SignalMatch } from './signal-type';

/** An index of hashes compared for equality only (short texts): every id whose hash is the query's, at distance 0. */
export class ExactIndex implements SignalIndex<string> {
  private readonly byHash = new Map<string, Set<string>>();
  private readonly hashOf = new Map<string, string>();

  get size(): number {
    return this.hashOf.size;
  }

  has(id: string): boolean {
    return this.hashOf.has(id);
  }

  /** Adds (or replaces) the hash of an id. */
  add(id: string, hash: string): void {
    this.remove(id);
    this.hashOf.set(id, hash);
    this.byHash.set(hash, (this.byHash.get(hash) ?? new Set<string>()).add(id));
  }

  remove(id: string): boolean {
    const old = this.hashOf.get(id);
    if (old === undefined) return false;
    this.hashOf.delete(id);
    const ids = this.byHash.get(old);
    ids?.delete(id);
    if (ids && !ids.size) this.byHash.delete(old);
    return true;
  }

  query(hash: string): SignalMatch[] {
    return [...(this.byHash.get(hash) ?? [])].sort().map((id) => ({ id, distance: 0 }));
  }
}
