import { addedArticle, articleStem, articleVariants, rankedHandleVariants, translitVariants } from '../../src/resurface/handle-variants';
import { handleSimilarity } from '../../src/resurface/similarity';

const removedAt = new Date('2026-11-29T10:00:00Z');
const articleFamily = (h: string): string[] =>
  rankedHandleVariants(h, 60, { removedAt })
    .filter((v) => v.family === 'article')
    .map((v) => v.handle);

describe('the article family spends no probe on a word that only starts like the article', () => {
  it('al/el/ul before l, p, v or x, and English words: no article dropped, glued, split or switched', () => {
    for (const h of ['allied_news', 'alphanews', 'elements_tv', 'ultras_club', 'alpine_news', 'elvis_fans', 'already_news', 'almost_daily'])
      expect([h, articleVariants(h)]).toEqual([h, []]);
    // the sun-letter article assimilated (as_sets, at_tack, ar_row, an_nual) or a + sh/th (a_shore, a_thlete)
    for (const h of ['assets_news', 'attack_news', 'arrow_media', 'annual_report', 'ashore_news', 'athletes_club'])
      expect([h, articleVariants(h)]).toEqual([h, []]);
  });
  it('nor is the article added in front of such a word (alalpha_news, alelements_tv)', () => {
    for (const h of ['alpha_news', 'allied_news', 'elements_tv', 'ultras_club', 'ultra_news', 'alert_news', 'assets_news'])
      expect([h, addedArticle(h)]).toEqual([h, []]);
  });
  it('none of these handles is probed', () => {
    expect(articleFamily('allied_news')).toEqual([]);
    expect(articleFamily('alpha_news')).toEqual([]);
    expect(articleFamily('elements_tv')).toEqual([]);
    expect(articleFamily('ultras_club')).toEqual([]);
    const all = [
      ...rankedHandleVariants('allied_news', 60, { removedAt }),
      ...rankedHandleVariants('alphanews', 60, { removedAt }),
      ...rankedHandleVariants('elements_tv', 60, { removedAt }),
      ...rankedHandleVariants('ultras_club', 60, { removedAt }),
    ].map((v) => v.handle);
    for (const h of ['lied_news', 'al_lied_news', 'phanews', 'al_phanews', 'ements_tv', 'el_ements_tv', 'alements_tv', 'tras_club', 'ul_tras_club'])
      expect(all).not.toContain(h);
  });
  it('a handle whose only false article is in a later word is a handle without one', () => {
    expect(articleVariants('sim_allied')).toEqual([]);
    expect(addedArticle('sim_allied')).toEqual(['alsim_allied', 'al_sim_allied']);
  });
});

describe('transliterations switch al/el/ul only on a word that may carry the article', () => {
  it('no elpha, ellied, alements, altras', () => {
    const switched = (h: string): string[] => translitVariants(h).filter((v) => /^(al|el|ul)/.test(v) && v.slice(2) === h.slice(2));
    for (const h of ['alpha_news', 'allied_news', 'alphanews', 'elements_tv', 'ultras_club', 'alert_news', 'alexander'])
      expect([h, switched(h)]).toEqual([h, []]);
  });
  it('a real name keeps its switches (a stem of three letters is enough here: ulhaq)', () => {
    expect(translitVariants('alnoor_media')).toEqual(expect.arrayContaining(['elnoor_media', 'ulnoor_media']));
    expect(translitVariants('elnoor')).toEqual(expect.arrayContaining(['alnoor', 'ulnoor']));
    expect(translitVariants('ulhaq_tv')).toEqual(expect.arrayContaining(['alhaq_tv', 'elhaq_tv']));
    expect(translitVariants('sim_alheron_wave')).toEqual(expect.arrayContaining(['sim_elheron_wave', 'sim_ulheron_wave']));
  });
});

describe('the article family keeps every form of a real Arabic name', () => {
  it('dropped, split, glued and assimilated', () => {
    expect(articleVariants('alnoor')).toEqual(['noor', 'al_noor', 'anoor', 'an_noor']);
    expect(articleVariants('alnoor_media')).toEqual(['noor_media', 'al_noor_media', 'anoor_media', 'an_noor_media']);
    expect(articleVariants('al_noor_media')).toEqual(['noor_media', 'alnoor_media', 'el_noor_media', 'ul_noor_media']);
    expect(articleVariants('alsharq')).toEqual(['sharq', 'al_sharq', 'asharq', 'ash_sharq']);
    expect(articleVariants('asharq')).toEqual(['sharq', 'ash_sharq', 'alsharq', 'al_sharq']);
    expect(articleVariants('annur')).toEqual(['nur', 'an_nur', 'alnur', 'al_nur']);
    expect(articleVariants('ashshams_news')).toEqual(['shams_news', 'ash_shams_news', 'alshams_news', 'al_shams_news']);
    expect(articleVariants('sim_alheron_wave')).toEqual(['sim_heron_wave', 'sim_al_heron_wave']);
  });
  it('el/ul switched to al where the word is a real name', () => {
    expect(articleVariants('elnoor_media')).toEqual(['noor_media', 'el_noor_media', 'alnoor_media', 'al_noor_media']);
    expect(articleVariants('ulhuda_tv')).toEqual(['huda_tv', 'ul_huda_tv', 'alhuda_tv', 'al_huda_tv']);
    expect(articleVariants('noor_ul_huda')).toEqual(expect.arrayContaining(['noor_huda', 'noor_ulhuda', 'noor_al_huda', 'noor_el_huda']));
  });
  it('the dropped article is still probed early', () => {
    const r = rankedHandleVariants('alnoor_media', 60, { removedAt });
    expect(r.findIndex((v) => v.handle === 'noor_media')).toBeLessThan(15);
    expect(articleFamily('sim_alheron_wave')).toEqual(['sim_heron_wave', 'sim_al_heron_wave']);
  });
});

describe('the English word starts do not catch Arabic names that share their first letters', () => {
  it('elittihad, elimam, elseyassa, alkalima, assuriya carry the article; elite, eliminate, elsewhere, alkaline, assurance do not', () => {
    expect(['elittihad', 'elittijah', 'elimam', 'eliman', 'elsewedy', 'elseyassa', 'alkalima', 'alkalam', 'assuriya', 'assurah'].map(articleStem)).toEqual([
      'ittihad',
      'ittijah',
      'imam',
      'iman',
      'sewedy',
      'seyassa',
      'kalima',
      'kalam',
      'suriya',
      'surah',
    ]);
    for (const w of ['elite', 'elites', 'elitism', 'eliminate', 'elsewhere', 'alkaline', 'alkaloid', 'assure', 'assured', 'assurance'])
      expect([w, articleStem(w)]).toEqual([w, undefined]);
  });
  it('their article variants are generated again, and the similarity ignores their article', () => {
    expect(articleVariants('elittihad')).toEqual(['ittihad', 'el_ittihad', 'alittihad', 'al_ittihad']);
    expect(articleVariants('assuriya_news')).toEqual(['suriya_news', 'as_suriya_news', 'alsuriya_news', 'al_suriya_news']);
    expect(translitVariants('elimam_tv')).toEqual(expect.arrayContaining(['alimam_tv', 'ulimam_tv']));
    expect(handleSimilarity('elittihad', 'ittihad')).toBe(1);
  });
});
