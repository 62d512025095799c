import { applyForm, comebackForm, FORM_PRIOR, formPriors, MAX_FORMS } from '../../src/resurface/comeback-forms';

describe("a network's comeback form", () => {
  it('writes the old handle as * in the successor, else its stem as @', () => {
    expect(comebackForm('sim_river_watch', 'sim_river_watch_mirror9')).toBe('*_mirror9');
    expect(comebackForm('Alpha_News', 'new_alpha_news')).toBe('new_*');
    expect(comebackForm('alpha_news', 'alpha_news2')).toBe('*2');
    expect(comebackForm('alpha_news_tv', 'alpha_news_backup')).toBe('@_backup');
  });
  it('has no form for a homoglyph, a dropped separator or a handle with nothing of the old one', () => {
    expect(comebackForm('alpha_news', 'alpha_new5')).toBeUndefined();
    expect(comebackForm('alpha_news', 'alphanews')).toBeUndefined();
    expect(comebackForm('alpha_news', 'quiet_cove')).toBeUndefined();
    expect(comebackForm('alpha_news', 'alpha_news')).toBeUndefined();
  });
  it('gives the same comeback for another channel', () => {
    expect(applyForm('*_mirror9', 'sim_lake_watch')).toBe('sim_lake_watch_mirror9');
    expect(applyForm('new_*', 'Beta_Sport')).toBe('new_beta_sport');
    expect(applyForm('@_backup', 'beta_sport_tv')).toBe('beta_sport_backup');
  });
  it('a handle no variant gives at the top prior; a variant only once the network took its form twice', () => {
    const variants = new Map([
      ['sim_lake_watch_v2', 0.12],
      ['sim_lake_watch_backup', 0.2],
    ]);
    const forms = new Map([
      ['*_mirror9', 1],
      ['*_v2', 2],
      ['*_backup', 1],
    ]);
    expect([...formPriors(forms, 'sim_lake_watch', variants)]).toEqual([
      ['sim_lake_watch_mirror9', FORM_PRIOR],
      ['sim_lake_watch_v2', FORM_PRIOR],
    ]);
    const many = new Map(Array.from({ length: 40 }, (_, i) => [`*_m${i}`, 1] as [string, number]));
    expect(formPriors(many, 'sim_lake_watch', variants).size).toBe(MAX_FORMS);
  });
  it('none when the result is no valid handle or the handle itself', () => {
    expect(applyForm('*_mirror9_and_a_very_long_tail', 'sim_lake_watch_channel')).toBeUndefined();
    // a form that would give a username Telegram refuses (doubled or final underscore) gives nothing
    expect(applyForm('*__x', 'sim_lake')).toBeUndefined();
    expect(applyForm('*_', 'sim_lake')).toBeUndefined();
    expect(applyForm('@', 'beta_sport')).toBeUndefined();
    expect(applyForm('plain', 'beta_sport')).toBeUndefined();
  });
});
