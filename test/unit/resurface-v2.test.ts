import { settingsSchema } from '../../src/config/schema';
import {
  canonicalHandle,
  dateVariants,
  handleVariants,
  isSettableHandle,
  rankedHandleVariants,
  titleHandles,
  translitVariants,
  VARIANT_PRIORS,
} from '../../src/resurface/handle-variants';
import { DEFAULT_WEIGHTS, avatarSignal, score, sigmoid } from '../../src/resurface/score';
import type { Signals } from '../../src/store/repos/successor-candidates';
import { computeSignals, sharedTextSignal } from '../../src/resurface/signals';
import { normalizedShortText, shortTextHash } from '../../src/core/signals/short-text';
import { handleSimilarity } from '../../src/resurface/similarity';
import { handlesInText, mergePointers, namedInDescription, newProfileTexts, profilePointers } from '../../src/resurface/profile-pointers';
import { orderCandidates } from '../../src/resurface/candidate-order';
import { pointersOf } from '../../src/resurface/pointers';
import type { PointedHandle } from '../../src/store/repos/handle-pointers';
import type { PostDoc } from '../../src/store/repos/posts';

describe('canonical handles (affixes stripped before folding)', () => {
  it('_official, _backup and _channel are affixes, not letters to fold', () => {
    expect(canonicalHandle('sim_radio_official')).toBe(canonicalHandle('sim_radio'));
    expect(canonicalHandle('sim_radio_official')).not.toContain('offlclal');
    expect(canonicalHandle('official_sim_radio')).toBe(canonicalHandle('sim_radio'));
    expect(canonicalHandle('sim_radio_channel2')).toBe(canonicalHandle('sim_radio'));
    expect(handleSimilarity('sim_radio', 'sim_radio_official')).toBe(1);
  });
  it('date suffixes and versions are stripped', () => {
    for (const h of ['sim_radio_2911', 'sim_radio_29_11', 'sim_radio_v2', 'sim_radio_v3', 'sim_radio_2026'])
      expect(canonicalHandle(h)).toBe(canonicalHandle('sim_radio'));
  });
  it('transliteration spellings of one name fold together', () => {
    expect(canonicalHandle('abu_alnoor_media')).toBe(canonicalHandle('abou_elnoor_media'));
    expect(canonicalHandle('sim_mohammed_notes')).toBe(canonicalHandle('sim_muhammad_notes'));
    expect(canonicalHandle('sim_khalid_phrases')).toBe(canonicalHandle('sim_halid_frases'));
    expect(handleSimilarity('sim_news_alpha', 'sim_weather_desk')).toBeLessThan(0.5);
  });
});

describe('handle variants v2', () => {
  const removedAt = new Date('2026-11-29T10:00:00Z');
  it('date suffixes of the removal day, the next day, versions and the year', () => {
    expect(dateVariants('sim_radio', removedAt)).toEqual(
      expect.arrayContaining(['sim_radio_2911', 'sim_radio_29_11', 'sim_radio_3011', 'sim_radio_v2', 'sim_radio_v3', 'sim_radio_2026']),
    );
    expect(dateVariants('sim_radio')).toEqual(['sim_radio_v2', 'sim_radio_v3', 'sim_radiov2']);
    expect(handleVariants('sim_radio_official', 80, { removedAt })).toEqual(expect.arrayContaining(['sim_radio_2911', 'sim_radio_v2']));
  });
  it('transliteration variants: the article, letter groups and name spellings', () => {
    const v = translitVariants('abu_alnoor_khabar');
    expect(v).toEqual(expect.arrayContaining(['abou_alnoor_khabar', 'abu_elnoor_khabar', 'abu_ulnoor_khabar', 'abu_alnoor_habar', 'abu_alnur_khabar']));
    expect(translitVariants('sim_mohammed_phrases')).toEqual(expect.arrayContaining(['sim_muhammad_phrases', 'sim_mohammed_frases']));
    // an h inside sh/th is not a kh
    expect(translitVariants('sim_shams')).not.toContain('sim_skhams');
  });
  it('the title as a handle, an Arabic one transliterated', () => {
    expect(titleHandles('Alpha Valley News')).toEqual(['alpha_valley_news', 'alphavalleynews']);
    expect(titleHandles('مطبخ غاما')).toEqual(['mtbkh_ghama', 'mtbkhghama']);
    expect(titleHandles(undefined)).toEqual([]);
  });
  it('ordered by prior, bounded, unique, valid; families interleave by prior', () => {
    const r = rankedHandleVariants('sim_alpha_news', 40, { removedAt });
    expect(r).toHaveLength(40);
    expect(new Set(r.map((x) => x.handle)).size).toBe(40);
    for (let i = 1; i < r.length; i++) expect((r[i] as { prior: number }).prior).toBeLessThanOrEqual((r[i - 1] as { prior: number }).prior);
    expect(r[0]).toEqual({ handle: 'sim_alpha_news2', family: 'numeric', prior: VARIANT_PRIORS.numeric });
    expect(r.slice(0, 6).map((x) => x.family)).toEqual(expect.arrayContaining(['numeric', 'affix']));
    for (const x of r) expect(x.handle).toMatch(/^[A-Za-z][A-Za-z0-9_]{3,31}$/);
    // deterministic
    expect(rankedHandleVariants('sim_alpha_news', 40, { removedAt })).toEqual(r);
  });
  it("only usernames Telegram lets a channel take (tdlib's rules): no doubled or final underscore, 5–32 characters, no reserved prefix", () => {
    expect(isSettableHandle('alpha_news')).toBe(true);
    expect(isSettableHandle('alpha__news')).toBe(false);
    expect(isSettableHandle('alpha_news_')).toBe(false);
    expect(isSettableHandle('_alpha')).toBe(false);
    expect(isSettableHandle('2alpha')).toBe(false);
    expect(isSettableHandle('alph')).toBe(false);
    expect(isSettableHandle('a'.repeat(32))).toBe(true);
    expect(isSettableHandle('a'.repeat(33))).toBe(false);
    expect(isSettableHandle('telegram_alpha')).toBe(false);
    expect(isSettableHandle('Support_news')).toBe(false);
    for (const h of ['sim_alpha_news', 'alphanews', 'al_noor_media', 'abu_cedar_w', 'alpha_news_1']) {
      const vs = handleVariants(h, 80, { removedAt });
      expect(vs.every(isSettableHandle)).toBe(true);
      expect(vs.some((v) => v.includes('__'))).toBe(false);
    }
  });
  it('a separator goes inside a long word that may be two written together, not inside the short words of a handle', () => {
    expect(handleVariants('alphanews', 80, { removedAt })).toEqual(expect.arrayContaining(['alpha_news', 'alp_hanews']));
    const split = handleVariants('sim_cedar_wavea', 80, { removedAt });
    expect(split).toEqual(expect.arrayContaining(['simcedarwavea', 'simcedar_wavea', 'sim_cedarwavea']));
    expect(split).not.toContain('sim_ce_dar_wavea');
    expect(split).not.toContain('sim_cedar_wa_vea');
    expect(handleVariants('sim_cedarnews', 80, { removedAt })).toContain('sim_cedar_news');
  });
  it("analysts' rules, suffixes and prefixes, at their prior", () => {
    const r = rankedHandleVariants('sim_alpha_news', 20, {
      rules: [{ pattern: 'news', replace: 'info', prior: 0.9 }],
      suffixes: ['_reserve'],
      prefixes: ['mirror_'],
    });
    expect(r[0]).toEqual({ handle: 'sim_alpha_info', family: 'rule', prior: 0.9 });
    expect(r.map((x) => x.handle)).toEqual(expect.arrayContaining(['sim_alpha_news_reserve', 'mirror_sim_alpha_news']));
  });
  it('the settings validate rules and name what is wrong', () => {
    const bad = settingsSchema.safeParse({ resurface: { variantRules: [{ pattern: '(', replace: 'x' }] } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/resurface.*variantRules.*0.*pattern|not a valid regular expression/);
    expect(bad.error?.issues[0]?.message).toBe('not a valid regular expression');
    const badSuffix = settingsSchema.safeParse({ resurface: { variantSuffixes: ['a b'] } });
    expect(badSuffix.success).toBe(false);
    const ok = settingsSchema.parse({ resurface: { variantRules: [{ pattern: '^sim_', replace: 'sym_' }], variantSuffixes: ['_reserve'] } });
    expect(ok.resurface.variantRules).toEqual([{ pattern: '^sim_', replace: 'sym_' }]);
  });
});

describe('short texts', () => {
  it('hash short posts by their normalised form; long and empty ones are left to the clusters', () => {
    expect(shortTextHash('Tide table, Tuesday!', 8)).toBe(shortTextHash('tide   TABLE tuesday', 8));
    expect(shortTextHash('Tide table, Tuesday!', 8)).not.toBe(shortTextHash('Tide table, Wednesday', 8));
    expect(shortTextHash('hello', 8)).toBeUndefined();
    expect(shortTextHash('one two three four five six seven eight', 8)).toBeUndefined();
    expect(normalizedShortText('Café  au LAIT!')).toBe('cafe au lait');
  });
});

describe('signals and the logistic score', () => {
  const pred = {
    handle: 'sim_harbour_log',
    title: 'Harbour Log',
    description: 'Tides',
    avatarPdq: '0'.repeat(64),
    removedAt: new Date('2026-11-29T10:00:00Z'),
  };
  const noText = { long: 0, longShared: 0, short: 0, shortShared: 0 };
  const settings = { minQuality: 50, timingWindowMs: 48 * 3600_000 };
  it('a flat avatar (quality below media.minQuality) gives no avatar signal, however close', () => {
    const flat = computeSignals(
      pred,
      { handle: 'sim_other', avatar: { hash: '0'.repeat(63) + '1', quality: 0 } },
      { sharedMedia: 0, text: noText, network: 0 },
      settings,
    );
    expect(flat.avatar).toBe(0);
    const good = computeSignals(
      pred,
      { handle: 'sim_other', avatar: { hash: '0'.repeat(63) + '1', quality: 80 } },
      { sharedMedia: 0, text: noText, network: 0 },
      settings,
    );
    expect(good.avatar).toBeGreaterThan(0.9);
    expect(
      computeSignals(
        { ...pred, avatarQuality: 10 },
        { handle: 'x_other', avatar: { hash: '0'.repeat(64), quality: 90 } },
        { sharedMedia: 0, text: noText, network: 0 },
        settings,
      ).avatar,
    ).toBe(0);
    expect(avatarSignal(2, { candidate: 0, min: 50 })).toBe(0);
    expect(avatarSignal(2, { candidate: 70, predecessor: 70, min: 50 })).toBeCloseTo(1 - 2 / 64);
  });
  it('short repeated posts count as shared text', () => {
    expect(sharedTextSignal({ long: 0, longShared: 0, short: 3, shortShared: 3 })).toBe(1);
    expect(sharedTextSignal({ long: 2, longShared: 1, short: 2, shortShared: 1 })).toBe(0.5);
    expect(sharedTextSignal(noText)).toBe(0);
    const s = computeSignals(
      pred,
      { handle: 'sim_quiet_pier', firstPostAt: new Date('2026-11-29T11:00:00Z') },
      { sharedMedia: 0.5, text: { long: 0, longShared: 0, short: 2, shortShared: 2 }, network: 0 },
      settings,
    );
    expect(s).toMatchObject({ sharedText: 1, sharedMedia: 0.5, timing: 1, avatar: 0, handle: expect.any(Number) });
  });
  it('the fitted defaults: a new avatar, short repeated posts and one shared picture reach the threshold; a linking news channel does not', () => {
    const cfg = settingsSchema.parse({}).resurface;
    expect(cfg.bias).toBeDefined();
    const zero: Signals = { handle: 0, title: 0, avatar: 0, description: 0, sharedMedia: 0, sharedText: 0, network: 0, timing: 0 };
    const successor = { ...zero, handle: 0.9, title: 1, description: 1, sharedMedia: 0.5, sharedText: 1, timing: 1 };
    expect(score(successor, cfg.weights, cfg.bias)).toBeGreaterThanOrEqual(cfg.threshold);
    const newsDecoy = { ...zero, handle: 0.2, title: 0.1, sharedText: 0.2, network: 0.5, timing: 0 };
    expect(score(newsDecoy, cfg.weights, cfg.bias)).toBeLessThan(cfg.threshold);
    expect(score(zero, cfg.weights, cfg.bias)).toBeCloseTo(sigmoid(cfg.bias as number));
  });
  it('settings that set weights without a bias keep the weighted average and its threshold', () => {
    const w = { handle: 0.15, title: 0.1, avatar: 0.15, description: 0.05, sharedMedia: 0.25, sharedText: 0.15, network: 0.1, timing: 0.05 };
    const cfg = settingsSchema.parse({ resurface: { weights: w } }).resurface;
    expect(cfg.bias).toBeUndefined();
    expect(cfg.threshold).toBe(0.55);
    const s: Signals = { handle: 1, title: 1, avatar: 0, description: 0, sharedMedia: 0, sharedText: 0, network: 0, timing: 0 };
    expect(score(s, cfg.weights, cfg.bias)).toBeCloseTo(score(s, DEFAULT_WEIGHTS));
    expect(score(s, cfg.weights, cfg.bias)).toBeCloseTo(0.25);
    expect(settingsSchema.safeParse({ resurface: { weights: { ...w, handle: -1 } } }).success).toBe(false);
  });
});

describe('handles named in a description or a pinned message', () => {
  it('mentions and t.me links, lowercase, without Telegram paths, emails or the channel itself', () => {
    expect(
      handlesInText('Backup: @Alpha_Backup, news at t.me/alpha_news and https://telegram.me/s/alpha_more/12; mail info@example.org; t.me/joinchat/AAAA'),
    ).toEqual({ mentions: ['alpha_backup'], links: ['alpha_news', 'alpha_more'] });
    const m = profilePointers({
      channelKey: 'tg:1',
      handle: 'alpha',
      tags: ['net-a'],
      description: 'Our reserve @alpha_reserve, @alpha',
      pinnedTexts: ['If we are removed, follow https://t.me/alpha_next'],
    });
    expect([...m.keys()].sort()).toEqual(['alpha_next', 'alpha_reserve']);
    expect(m.get('alpha_next')).toEqual({ origins: new Set(['link']), from: new Set(['tg:1']), tags: new Set(['net-a']) });
    expect(m.get('alpha_reserve')?.origins).toEqual(new Set(['mention']));
    expect(profilePointers({ channelKey: 'tg:2' }).size).toBe(0);
  });
  it('merge with the posts pointers', () => {
    const a = profilePointers({ channelKey: 'tg:1', description: '@alpha_reserve' });
    const b = profilePointers({ channelKey: 'tg:2', pinnedTexts: ['t.me/alpha_reserve'] });
    expect(mergePointers(a, b).get('alpha_reserve')).toEqual({ origins: new Set(['mention', 'link']), from: new Set(['tg:1', 'tg:2']), tags: new Set() });
  });
});

describe('profile pointers of a check (pure)', () => {
  const pin = (pinnedText?: string) => ({ service: { type: 'pinned' as const, ...(pinnedText ? { pinnedText } : {}) } });
  const check = { channelKey: 'tg:1', handle: 'alpha', tags: ['net-a'] };
  it('takes the description only when it is new or changed, and the quotes of pin notices', () => {
    expect(newProfileTexts({ ...check, description: 'Backup: @alpha_reserve', posts: [] }, undefined)).toEqual({
      ...check,
      description: 'Backup: @alpha_reserve',
    });
    expect(newProfileTexts({ ...check, description: 'Backup: @alpha_reserve', posts: [] }, 'Backup: @alpha_reserve')).toBeUndefined();
    expect(newProfileTexts({ ...check, description: 'Backup: @alpha_two', posts: [] }, 'Backup: @alpha_reserve')?.description).toBe('Backup: @alpha_two');
    // a page without a description (a removed channel's) changes nothing
    expect(newProfileTexts({ ...check, posts: [{}, pin()] }, 'Backup: @alpha_reserve')).toBeUndefined();
    const t = newProfileTexts({ ...check, description: 'same', posts: [{}, pin('go to t.me/alpha_next'), { service: { type: 'photo_changed' } }] }, 'same');
    expect(t).toEqual({ ...check, pinnedTexts: ['go to t.me/alpha_next'] });
  });
  it("merge with the posts' pointers into one day's map", () => {
    const post = { channelKey: 'tg:1', mentions: ['Alpha_Reserve'], links: [], tags: ['net-a'] } as unknown as PostDoc;
    const profile = newProfileTexts({ ...check, description: 'also t.me/alpha_reserve', posts: [pin('@alpha_next')] }, undefined);
    const m = mergePointers(pointersOf([post], 'https://t.me'), profilePointers(profile as NonNullable<typeof profile>));
    expect(m.get('alpha_reserve')).toEqual({ origins: new Set(['mention', 'link']), from: new Set(['tg:1']), tags: new Set(['net-a']) });
    expect(m.get('alpha_next')?.origins).toEqual(new Set(['mention']));
  });
  it("names the handles of a channel's own description, its own handles left out", () => {
    const ch = {
      _id: 'tg:1',
      handle: 'alpha_news',
      handles: ['alpha', 'alpha_news'],
      description: 'If we are banned: @Alpha_Reserve or t.me/quiet_cove. Old: @alpha',
    };
    expect([...namedInDescription(ch)].sort()).toEqual(['alpha_reserve', 'quiet_cove']);
    expect(namedInDescription({ _id: 'tg:2', handle: 'beta' }).size).toBe(0);
  });
});

describe('candidate order with handles named in the description (pure)', () => {
  const p = (from: string[], tags: string[]): PointedHandle => ({ from: new Set(from), tags: new Set(tags), origins: new Set(['mention']) });
  it('puts them first with their origin, each once, never a known handle', () => {
    const pointed = new Map<string, PointedHandle>([
      ['storm_center', p(['tg:7'], ['net-a'])],
      ['quiet_cove', p(['tg:1'], ['net-a'])], // the predecessor's own description, recorded the day it changed
    ]);
    const out = orderCandidates(['alpha2', 'alpha_backup'], pointed, 'tg:1', new Set(['net-a']), new Set(['alpha']), ['quiet_cove', 'alpha_backup', 'alpha']);
    expect(out.map((c) => `${c.handle}:${c.priority}`)).toEqual(['quiet_cove:named', 'alpha_backup:named', 'storm_center:network', 'alpha2:variant']);
    expect(out[0]?.origins).toEqual(['predecessor_description', 'mention']);
    expect(out[1]?.origins).toEqual(['predecessor_description', 'variant']);
    // without the description the same handle is only a pointer from the channel itself: last
    const without = orderCandidates(['alpha2'], pointed, 'tg:1', new Set(['net-a']), new Set(['alpha']));
    expect(without.map((c) => `${c.handle}:${c.priority}`)).toEqual(['storm_center:network', 'alpha2:variant', 'quiet_cove:pointed']);
  });
});
