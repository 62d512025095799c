import { canonicalHandle, handleVariants } from '../../src/resurface/handle-variants';
import { DEFAULT_WEIGHTS, avatarSignal, score, sharedMediaSignal, timingSignal } from '../../src/resurface/score';
import type { Signals } from '../../src/store/repos/successor-candidates';
import { handleSimilarity, levenshtein, textSimilarity, transliterate } from '../../src/resurface/similarity';
import { matchingRules } from '../../src/alerts/outbox';
import { renderAlert } from '../../src/alerts/render';

describe('handle variants', () => {
  const v = handleVariants('sim_alpha_news', 60);
  it('cover numeric suffixes, separators, homoglyphs and affixes, bounded and valid', () => {
    expect(v).toEqual(
      expect.arrayContaining([
        'sim_alpha_news2',
        'sim_alpha_news_2',
        'simalphanews',
        'sim_a1pha_news',
        'sim_alpha_news_backup',
        'sim_alpha_news_official',
        'new_sim_alpha_news',
      ]),
    );
    expect(v).not.toContain('sim_alpha_news');
    expect(new Set(v).size).toBe(v.length);
    expect(handleVariants('sim_alpha_news', 10)).toHaveLength(10);
    for (const h of v) expect(h).toMatch(/^[A-Za-z][A-Za-z0-9_]{3,31}$/);
  });
  it('increments an existing counter and catches rn/m', () => {
    expect(handleVariants('news_alpha7')).toEqual(expect.arrayContaining(['news_alpha8', 'news_alpha9']));
    expect(handleVariants('market_daily')).toContain('rnarket_daily');
  });
  it('canonical handles fold the styles together', () => {
    for (const h of [
      'sim_news_alpha2',
      'sim_news_alpha3',
      'sim_news_alpha1',
      'sim_news_alpha_45',
      'sim_news_alpha_backup2',
      'simnewsalpha',
      'sim_news_a1pha',
      'sim_news_alpha_backup',
      'new_sim_news_alpha',
    ])
      expect(canonicalHandle(h)).toBe(canonicalHandle('sim_news_alpha'));
    expect(handleSimilarity('sim_market_daily', 'sim_rnarket_daily')).toBe(1);
    expect(handleSimilarity('sim_news_alpha', 'sim_weather_desk')).toBeLessThan(0.5);
  });
});

describe('similarity', () => {
  it('levenshtein and transliteration', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(transliterate('مطبخ')).toBe('mtbkh');
    expect(textSimilarity('Alpha Valley News', 'Alpha Valley News')).toBe(1);
    expect(textSimilarity('مطبخ غاما', 'مَطبَخ غاما')).toBe(1);
    expect(textSimilarity('Kitchen Corner', 'Popular Pictures')).toBeLessThan(0.2);
  });
});

describe('scoring', () => {
  const zero: Signals = { handle: 0, title: 0, avatar: 0, description: 0, sharedMedia: 0, sharedText: 0, network: 0, timing: 0 };
  it('a true successor scores high; decoys stay below the default threshold', () => {
    const successor = { ...zero, handle: 1, title: 1, avatar: 0.97, description: 0.8, sharedMedia: 1, sharedText: 1, timing: 1 };
    expect(score(successor, DEFAULT_WEIGHTS)).toBeGreaterThan(0.8);
    const genericName = { ...zero, handle: 1, title: 0.3, description: 0.1, timing: 1 };
    expect(score(genericName, DEFAULT_WEIGHTS)).toBeLessThan(0.55);
    const onePopularPicture = { ...zero, handle: 0.2, sharedMedia: sharedMediaSignal([5]), network: 0.5, timing: 1 };
    expect(score(onePopularPicture, DEFAULT_WEIGHTS)).toBeLessThan(0.55);
    const renamedNetworkChannel = { ...zero, title: 1, avatar: 1, description: 1, sharedMedia: 1, sharedText: 1, network: 0.5, timing: 1 };
    expect(score(renamedNetworkChannel, DEFAULT_WEIGHTS)).toBeGreaterThan(0.55);
  });
  it('signals', () => {
    expect(sharedMediaSignal([2, 2])).toBe(1);
    expect(sharedMediaSignal([2])).toBe(0.5);
    expect(sharedMediaSignal([10])).toBeCloseTo(0.1);
    expect(avatarSignal(undefined)).toBe(0);
    expect(avatarSignal(0)).toBe(1);
    expect(avatarSignal(40)).toBe(0);
    const removed = new Date('2026-11-20T00:00:00Z');
    expect(timingSignal(removed, new Date('2026-11-20T03:00:00Z'), 48 * 3600_000)).toBe(1);
    expect(timingSignal(removed, new Date('2026-10-01T00:00:00Z'), 48 * 3600_000)).toBe(0);
    expect(timingSignal(removed, new Date('2026-11-24T00:00:00Z'), 48 * 3600_000)).toBeCloseTo(0.5);
    expect(score(zero, DEFAULT_WEIGHTS)).toBe(0);
  });
});

describe('alert rules and emails', () => {
  const draft = {
    kind: 'resurfaced' as const,
    key: 'resurfaced:tg:1:tg:2',
    sourceId: 'alpha',
    tags: ['net-a'],
    at: new Date('2026-11-24T10:00:00Z'),
    facts: {
      predecessor: 'tg:1',
      predecessorHandle: 'old_<b>',
      successor: 'tg:2',
      successorHandle: 'new_one',
      removedAt: new Date('2026-11-24T08:00:00Z'),
      successorFirstPostAt: new Date('2026-11-24T09:30:00Z'),
      delayMs: 90 * 60000,
      score: 0.9,
      signals: { handle: 1, avatar: 0.9 },
      lineage: ['tg:1', 'tg:2'],
    },
  };
  it('rules pick recipients by kind, tag and source', () => {
    const rules = [
      { name: 'a', to: ['a@example.org'], kinds: ['resurfaced' as const], tags: ['net-a'], sources: [], digest: false },
      { name: 'b', to: ['b@example.org'], kinds: ['removed' as const], tags: [], sources: [], digest: false },
      { name: 'c', to: ['c@example.org'], kinds: ['resurfaced' as const], tags: ['net-b'], sources: [], digest: false },
      { name: 'd', to: ['d@example.org'], kinds: ['resurfaced' as const], tags: [], sources: ['alpha'], digest: true },
    ];
    expect(matchingRules(draft, rules).map((r) => r.name)).toEqual(['a', 'd']);
  });
  it('the email names both channels, the times, the delay and the evidence, escapes HTML and embeds no media', () => {
    const m = renderAlert(draft, 'http://dash.example');
    expect(m.subject).toBe('[hydrawatch] RESURFACED: @old_<b> is back as @new_one (score 0.9)');
    expect(m.text).toMatch(/Removed at: 2026-11-24T08:00:00Z/);
    expect(m.text).toMatch(/Successor first post: 2026-11-24T09:30:00Z/);
    expect(m.text).toMatch(/Delay: 90 min/);
    expect(m.text).toMatch(/signal: avatar: 0\.90/);
    expect(m.text).toMatch(/Lineage: tg:1 → tg:2/);
    expect(m.html).toContain('old_&lt;b&gt;');
    expect(m.html).not.toMatch(/<img/);
    expect(m.text).toContain('Details: http://dash.example/dashboard/#resurfacing=tg%3A2%3Aresurfaced%3Atg%3A1');
  });
});
