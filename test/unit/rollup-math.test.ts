import { timeBuckets } from '../../src/core/time-buckets';
import { byCode } from '../../src/core/compare';
import {
  aggregateDay,
  channelDayDocId,
  countPosts,
  dayCoverage,
  daysBetween,
  decodeKey,
  encodeKey,
  entriesWithin,
  entryOf,
  groupByChannelDay,
  mergeDay,
  parseDay,
  sameEntry,
  summarize,
  summaryKey,
  summaryMayMatch,
  type DaySummaries,
  type Period,
  type PostsBy,
  type PostsRow,
  type RollupFilter,
  type RollupInput,
} from '../../src/core/rollup-math';

interface P extends RollupInput {
  buckets: ReturnType<typeof timeBuckets>;
}

const post = (ch: string, id: string, iso: string, lang: string, tags: string[], sourceId = `s-${ch}`): P => {
  const at = new Date(iso);
  return { channelKey: ch, postId: id, sourceId, tags, lang, at, buckets: timeBuckets(at) };
};

/** What the `$group` on posts answers (the reference the rollups must equal). */
function reference(posts: P[], period: Period, by: PostsBy, f: RollupFilter & { from?: Date; to?: Date }): PostsRow[] {
  const m = new Map<string, PostsRow>();
  for (const p of posts) {
    if (f.from && p.at < f.from) continue;
    if (f.to && p.at >= f.to) continue;
    if (f.channelKeys && !f.channelKeys.includes(p.channelKey)) continue;
    if (f.sourceIds && !f.sourceIds.includes(p.sourceId)) continue;
    if (f.langs && !f.langs.includes(p.lang)) continue;
    if (f.tags && !p.tags.some((t) => f.tags?.includes(t))) continue;
    const keys =
      by === 'channel'
        ? [p.channelKey]
        : by === 'lang'
          ? [p.lang]
          : by === 'total'
            ? ['all']
            : [...new Set(p.tags)].filter((t) => !f.tags || f.tags.includes(t));
    for (const key of keys) {
      const per = p.buckets[period];
      const id = `${per}\u0000${key}`;
      const cur = m.get(id) ?? { period: per, key, posts: 0 };
      cur.posts += 1;
      m.set(id, cur);
    }
  }
  return [...m.values()].sort((a, b) => byCode(a.period, b.period) || byCode(a.key, b.key));
}

function rollup(posts: P[], from?: Date, to?: Date): DaySummaries[] {
  const byDay = new Map<string, DaySummaries>();
  for (const g of groupByChannelDay(posts).values()) {
    const entries = [...g.entries.values()];
    const cov = dayCoverage(g.day, from, to);
    if (cov === 'out') continue;
    const s = summarize(g.channelKey, cov === 'full' ? entries : entriesWithin(entries, from, to));
    const d = byDay.get(g.day) ?? { day: g.day, channels: [] };
    d.channels.push(s);
    byDay.set(g.day, d);
  }
  return [...byDay.values()];
}

describe('rollup math', () => {
  it('encodes field names reversibly, without . or $', () => {
    for (const s of ['tg:123', 'web:a.b$c', '100%.$', 'eng', '']) {
      const e = encodeKey(s);
      expect(e).not.toMatch(/[.$]/);
      expect(decodeKey(e)).toBe(s);
    }
    expect(encodeKey('tg:123')).toBe('tg:123');
  });

  it('summarizes a channel-day deterministically, grouped by source and tags, per language', () => {
    const ps = [
      post('tg:1', '1', '2026-11-02T10:00:00Z', 'arb', ['b', 'a', 'a']),
      post('tg:1', '2', '2026-11-02T11:00:00Z', 'eng', ['a', 'b']),
      post('tg:1', '3', '2026-11-02T12:00:00Z', 'eng', ['c']),
    ];
    const s = summarize('tg:1', ps.map(entryOf));
    expect(s).toEqual({
      k: 'tg:1',
      g: [
        { s: 's-tg:1', t: ['a', 'b'], l: { arb: 1, eng: 1 } },
        { s: 's-tg:1', t: ['c'], l: { eng: 1 } },
      ],
    });
    expect(summaryKey(summarize('tg:1', [...ps].reverse().map(entryOf)))).toBe(summaryKey(s));
    expect(sameEntry(entryOf(ps[0] as P), entryOf({ ...(ps[0] as P), tags: ['a', 'b'] }))).toBe(true);
    expect(sameEntry(entryOf(ps[0] as P), entryOf({ ...(ps[0] as P), lang: 'eng' }))).toBe(false);
  });

  it('keeps a day as one JSON string, replacing only the written channels', () => {
    const a = summarize('tg:2', [entryOf(post('tg:2', '1', '2026-11-02T10:00:00Z', 'arb', []))]);
    const b = summarize('tg:1', [entryOf(post('tg:1', '1', '2026-11-02T10:00:00Z', 'eng', ['x']))]);
    const b2 = summarize('tg:1', [entryOf(post('tg:1', '1', '2026-11-02T10:00:00Z', 'rus', ['x']))]);
    const day = mergeDay(mergeDay(undefined, [a]), [b]);
    expect(parseDay(day)).toEqual([b, a]);
    expect(parseDay(mergeDay(day, [b2]))).toEqual([b2, a]);
    expect(parseDay(undefined)).toEqual([]);
  });

  it('groups posts by channel-day, the last copy of a post winning', () => {
    const g = groupByChannelDay([
      post('tg:1', '1', '2026-11-02T10:00:00Z', 'arb', []),
      post('tg:1', '1', '2026-11-02T10:00:00Z', 'eng', []),
      post('tg:2', '1', '2026-11-03T10:00:00Z', 'arb', []),
    ]);
    expect([...g.keys()]).toEqual([channelDayDocId('2026-11-02', 'tg:1'), channelDayDocId('2026-11-03', 'tg:2')]);
    expect(g.get('pdc:2026-11-02:tg:1')?.entries.get('1')?.[0]).toBe('eng');
  });

  it('places days against a range: full, partial, out', () => {
    const from = new Date('2026-11-02T00:00:00Z');
    const to = new Date('2026-11-04T12:00:00Z');
    expect(dayCoverage('2026-11-01', from, to)).toBe('out');
    expect(dayCoverage('2026-11-02', from, to)).toBe('full');
    expect(dayCoverage('2026-11-04', from, to)).toBe('partial');
    expect(dayCoverage('2026-11-05', from, to)).toBe('out');
    expect(dayCoverage('2026-11-05')).toBe('full');
    expect(daysBetween(from, to)).toEqual(['2026-11-02', '2026-11-03', '2026-11-04']);
    expect(daysBetween(from, new Date('2026-11-03T00:00:00Z'))).toEqual(['2026-11-02']);
    expect(daysBetween(new Date('2026-12-31T23:00:00Z'), new Date('2027-01-01T01:00:00Z'))).toEqual(['2026-12-31', '2027-01-01']);
  });

  it('skips channel-days the filter cannot match', () => {
    const s = summarize('tg:1', [entryOf(post('tg:1', '1', '2026-11-02T10:00:00Z', 'arb', ['a']))]);
    expect(summaryMayMatch(s, {})).toBe(true);
    expect(summaryMayMatch(s, { channelKeys: ['tg:2'] })).toBe(false);
    expect(summaryMayMatch(s, { tags: ['b'] })).toBe(false);
    expect(summaryMayMatch(s, { sourceIds: ['s-tg:1'], tags: ['a', 'b'] })).toBe(true);
  });

  it('counts exactly like the $group on posts, for every period, split and filter (random history)', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const tagsPool = ['net-a', 'net-b', 'net.c', 'x$'];
    const posts: P[] = [];
    for (let i = 0; i < 600; i++) {
      const ch = `tg:${rnd(5)}`;
      const at = new Date(Date.parse('2026-12-20T00:00:00Z') + rnd(20 * 24) * 3600_000 + rnd(3600) * 1000);
      const tags = [...new Array(rnd(3))].map(() => tagsPool[rnd(4)] as string);
      posts.push(post(ch, String(i), at.toISOString(), ['arb', 'eng', 'und'][rnd(3)] as string, tags, rnd(4) === 0 ? 's-other' : `s-${ch}`));
    }
    const filters: Array<RollupFilter & { from?: Date; to?: Date }> = [
      {},
      { channelKeys: ['tg:1', 'tg:3'] },
      { tags: ['net-b', 'net.c'] },
      { langs: ['eng'] },
      { sourceIds: ['s-other'] },
      { from: new Date('2026-12-24T00:00:00Z'), to: new Date('2027-01-02T00:00:00Z') },
      { from: new Date('2026-12-24T13:30:00Z'), to: new Date('2027-01-02T07:15:00Z'), tags: ['net-a'], langs: ['arb', 'und'] },
      { to: new Date('2026-12-28T05:00:00Z') },
      { from: new Date('2027-01-05T23:59:59Z') },
    ];
    for (const f of filters)
      for (const period of ['day', 'week'] as const)
        for (const by of ['channel', 'tag', 'lang', 'total'] as const) {
          const { from, to, ...rf } = f;
          const days = rollup(posts, from, to);
          expect(countPosts(days, period, by, rf)).toEqual(reference(posts, period, by, f));
          // the all-channel totals answer the same when neither a channel nor a source is in the question
          if (by !== 'channel' && !rf.channelKeys && !rf.sourceIds)
            expect(
              countPosts(
                days.map((d) => ({ day: d.day, channels: [aggregateDay(d.channels)] })),
                period,
                by,
                rf,
              ),
            ).toEqual(reference(posts, period, by, f));
        }
  });
});
