import { MihIndex, type Match } from './mih-index';

/**
 * The index of stored views: MIH indexes side by side (a JavaScript Map holds at most 2^24 ids, and a million
 * pictures carry some 25 million views). An id always lives in the same shard (a hash of the id); a query asks
 * every shard, so the work is that of one index of the same total size.
 */
export class ViewIndex {
  private readonly shards: MihIndex[];

  constructor(shards = 4) {
    this.shards = Array.from({ length: shards }, () => new MihIndex());
  }

  private shardOf(id: string): MihIndex {
    let h = 0;
    for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) | 0;
    return this.shards[(h >>> 0) % this.shards.length] as MihIndex;
  }

  get size(): number {
    return this.shards.reduce((n, s) => n + s.size, 0);
  }

  has(id: string): boolean {
    return this.shardOf(id).has(id);
  }

  add(id: string, hex: string): void {
    this.shardOf(id).add(id, hex);
  }

  remove(id: string): boolean {
    return this.shardOf(id).remove(id);
  }

  query(hex: string, radius = 31, probe: 'full' | 'exact-chunks' = 'full'): Match[] {
    if (this.shards.length === 1) return (this.shards[0] as MihIndex).query(hex, radius, probe);
    const out: Match[] = [];
    for (const s of this.shards) for (const m of s.query(hex, radius, probe)) out.push(m);
    return out.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id));
  }
}
