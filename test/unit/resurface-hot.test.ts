import { orderCandidates } from '../../src/resurface/candidate-order';
import { rankedHandleVariants } from '../../src/resurface/handle-variants';
import { lookOrder, splitHot } from '../../src/resurface/successor-search';
import type { PointedHandle } from '../../src/store/repos/handle-pointers';

describe('the likely candidates first (issue 23)', () => {
  const pointed = new Map<string, PointedHandle>([
    ['sim_quiet_meadow', { from: new Set(['tg:2']), tags: new Set(['net']), origins: new Set(['mention']) }],
    ['sim_far_away', { from: new Set(['tg:9']), tags: new Set(['other']), origins: new Set(['link']) }],
  ]);
  const variants = rankedHandleVariants('sim_cedar_news', 40).map((v) => v.handle);
  const ordered = orderCandidates(variants, pointed, 'tg:1', new Set(['net']), new Set(['sim_cedar_news']), ['sim_cedar_reserve']);

  it('named, network and the first `hot` variants are probed at every step; the rest keeps its order', () => {
    const { head, tail } = splitHot(ordered, 5);
    expect(head.map((c) => c.handle)).toEqual(['sim_cedar_reserve', 'sim_quiet_meadow', ...variants.slice(0, 5)]);
    expect(tail.map((c) => c.handle)).toEqual([...variants.slice(5), 'sim_far_away']);
  });
  it('hot 0: only the named and network handles', () => {
    expect(splitHot(ordered, 0).head.map((c) => c.handle)).toEqual(['sim_cedar_reserve', 'sim_quiet_meadow']);
  });
  it('the first variants are the common families: counters and affixes', () => {
    expect(variants.slice(0, 8)).toEqual(
      expect.arrayContaining(['sim_cedar_news2', 'sim_cedar_news_2', 'sim_cedar_news_backup', 'sim_cedar_news_official', 'sim_cedar_news3']),
    );
  });
  it('one separator dropped at a time is a separator variant', () => {
    expect(
      rankedHandleVariants('sim_cedar_news', 200)
        .filter((v) => v.family === 'separator')
        .map((v) => v.handle),
    ).toEqual(expect.arrayContaining(['simcedarnews', 'simcedar_news', 'sim_cedarnews']));
  });
  it('looks again at the likely ones oldest first, after those never probed', () => {
    const t = (m: number) => new Date(Date.UTC(2026, 11, 7, 15, m));
    expect(lookOrder(['a', 'b', 'c', 'd', 'e'], [t(5), undefined, t(1), t(5), undefined])).toEqual(['b', 'e', 'c', 'a', 'd']);
  });
});
