import { timeBuckets } from '../../src/core/time-buckets';
import { spreadSeries } from '../../src/research/trends';
import { clusterFigures, filterSightings, rankClusters, rowOf, sightingEntryOf, spreadCounts, type SightingInput } from '../../src/core/sighting-rollup-math';

const s = (id: string, c: string, ch: string, iso: string, after = false, src = `s-${ch}`): SightingInput => {
  const at = new Date(iso);
  return { _id: id, clusterId: c, channelKey: ch, sourceId: src, at, afterOriginRemoved: after, buckets: timeBuckets(at) };
};
const rows = [
  s('1', 'mc:a', 'tg:1', '2026-11-02T10:00:00Z'),
  s('2', 'mc:a', 'tg:2', '2026-11-03T10:00:00Z'),
  s('3', 'mc:a', 'tg:3', '2026-11-09T10:00:00Z', true),
  s('4', 'mc:b', 'tg:1', '2026-11-02T11:00:00Z'),
  s('5', 'mc:b', 'tg:2', '2026-11-02T12:00:00Z'),
  s('6', 'mc:b', 'tg:2', '2026-11-02T13:00:00Z', true),
  s('7', 'mc:c', 'tg:9', '2026-11-04T13:00:00Z'),
].map((x) => rowOf(x.buckets.day, sightingEntryOf(x)));

describe('sighting rollup math', () => {
  it('ranks clusters by channels, then sightings, then id', () => {
    expect(rankClusters(rows, 10)).toEqual(['mc:a', 'mc:b', 'mc:c']);
    expect(rankClusters(filterSightings(rows, { to: new Date('2026-11-03T00:00:00Z') }), 10)).toEqual(['mc:b', 'mc:a']);
    expect(rankClusters(rows, 1)).toEqual(['mc:a']);
  });

  it('ranks like a full sort on many clusters with ties (the one-pass top-k)', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const many = Array.from({ length: 5000 }, (_, i) => rowOf('2026-11-02', [`mc:${rnd(900)}`, `tg:${rnd(6)}`, 's', 1_790_000_000_000 + i, 0]));
    const reference = (rs: typeof many, limit: number): string[] => {
      const ch = new Map<string, Set<string>>();
      const n = new Map<string, number>();
      for (const r of rs) {
        ch.set(r.clusterId, (ch.get(r.clusterId) ?? new Set()).add(r.channelKey));
        n.set(r.clusterId, (n.get(r.clusterId) ?? 0) + 1);
      }
      return [...ch.keys()]
        .sort((a, b) => (ch.get(b)?.size ?? 0) - (ch.get(a)?.size ?? 0) || (n.get(b) ?? 0) - (n.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0))
        .slice(0, limit);
    };
    for (const limit of [0, 1, 7, 50, 2000]) expect(rankClusters(many, limit)).toEqual(reference(many, limit));
  });

  it('filters by time, source and channel', () => {
    expect(filterSightings(rows, { from: new Date('2026-11-04T00:00:00Z') }).map((r) => r.clusterId)).toEqual(['mc:a', 'mc:c']);
    expect(filterSightings(rows, { channelKeys: ['tg:2'], sourceIds: ['s-tg:2'] })).toHaveLength(3);
    expect(filterSightings(rows, { sourceIds: [] })).toHaveLength(0);
  });

  it('computes cluster figures like clusterStats', () => {
    expect(clusterFigures(rows, ['mc:a', 'mc:x']).get('mc:a')).toEqual({
      clusterId: 'mc:a',
      channels: 3,
      sightings: 3,
      afterTakedown: 1,
      firstSeen: new Date('2026-11-02T10:00:00Z'),
      lastSeen: new Date('2026-11-09T10:00:00Z'),
    });
    expect(clusterFigures(rows, ['mc:x']).size).toBe(0);
  });

  it('feeds spreadSeries per day and ISO week', () => {
    expect(spreadSeries(spreadCounts(rows, ['mc:a'], 'week')).get('mc:a')).toEqual([
      { period: '2026-W45', sightings: 2, newChannels: 2, channels: 2, afterTakedown: 0 },
      { period: '2026-W46', sightings: 1, newChannels: 1, channels: 3, afterTakedown: 1 },
    ]);
    expect(spreadSeries(spreadCounts(rows, ['mc:b'], 'day')).get('mc:b')).toEqual([
      { period: '2026-11-02', sightings: 3, newChannels: 2, channels: 2, afterTakedown: 1 },
    ]);
  });
});
