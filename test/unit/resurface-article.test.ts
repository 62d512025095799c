import { addedArticle, articleVariants, rankedHandleVariants, translitVariants } from '../../src/resurface/handle-variants';

describe('the Arabic article in handle variants (issue 23)', () => {
  it('drops a glued or separate article first', () => {
    expect(articleVariants('alnoor_media')[0]).toBe('noor_media');
    expect(articleVariants('al_noor_media')[0]).toBe('noor_media');
    expect(articleVariants('sim_alnoor_daily')[0]).toBe('sim_noor_daily');
    expect(articleVariants('el_noor_media')[0]).toBe('noor_media');
    expect(articleVariants('ulnoor_media')[0]).toBe('noor_media');
  });
  it('glues and splits it, and switches al/el on a separate article', () => {
    expect(articleVariants('alnoor_media')).toContain('al_noor_media');
    expect(articleVariants('al_noor_media')).toEqual(expect.arrayContaining(['alnoor_media', 'el_noor_media']));
  });
  it('assimilated forms: alsharq ↔ asharq ↔ ash_sharq, annur → nur, ash_sham → sham', () => {
    expect(articleVariants('alsharq')).toEqual(expect.arrayContaining(['sharq', 'asharq', 'ash_sharq']));
    expect(articleVariants('asharqnews')).toEqual(expect.arrayContaining(['sharqnews', 'alsharqnews', 'al_sharqnews']));
    expect(articleVariants('annur_tv')).toEqual(expect.arrayContaining(['nur_tv', 'alnur_tv']));
    expect(articleVariants('ash_sham_news')).toEqual(expect.arrayContaining(['sham_news', 'ashsham_news', 'al_sham_news']));
  });
  it('adds the article to the first word of a handle without one', () => {
    expect(articleVariants('araby')).toEqual([]);
    expect(addedArticle('araby')).toEqual(['alaraby', 'al_araby']);
    expect(addedArticle('noor_media')).toEqual(['alnoor_media', 'al_noor_media']);
    expect(addedArticle('alnoor_media')).toEqual([]);
  });
  it('leaves short stems alone (alpha is no article + pha)', () => {
    expect(articleVariants('sim_alpha_news')).toEqual([]);
  });
  it('final -ah/-a and -iya/-ia are transliteration variants', () => {
    expect(translitVariants('almasirah')).toContain('almasira');
    expect(translitVariants('almasira')).toContain('almasirah');
    expect(translitVariants('alarabiya')).toEqual(expect.arrayContaining(['alarabia', 'alarabiyah']));
    expect(translitVariants('alarabia')).toContain('alarabiya');
  });
  it('the dropped article is among the first variants probed', () => {
    const r = rankedHandleVariants('sim_alnoor_daily', 60, { removedAt: new Date('2026-11-29T10:00:00Z') });
    const i = r.findIndex((x) => x.handle === 'sim_noor_daily');
    expect(r[i]?.family).toBe('article');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(i).toBeLessThan(15);
  });
});
