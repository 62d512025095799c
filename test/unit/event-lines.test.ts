import { channelName, channelUrl, followedLine, resurfacedLine, type ResurfacedSummary } from '../../src/ops/event-lines';
import { formatPrettyLine } from '../../src/ops/pretty-log';

const found: ResurfacedSummary = {
  predecessor: 'tg:1800000001',
  predecessorHandle: 'sim_alpha_news',
  predecessorTitle: 'Alpha Weather Desk',
  successor: 'tg:1800000009',
  successorHandle: 'sim_alpha_news2',
  successorTitle: 'Alpha Weather Desk',
  score: 0.9254,
  url: 'https://t.me/sim_alpha_news2',
};

describe('console lines for channel events (handles and titles, not keys)', () => {
  it('names a resurfacing by handles and titles, with the score and a link', () => {
    expect(resurfacedLine(found)).toBe(
      'resurfaced: @sim_alpha_news ("Alpha Weather Desk") came back as @sim_alpha_news2 ("Alpha Weather Desk"), score 0.93, https://t.me/sim_alpha_news2',
    );
    expect(resurfacedLine(found)).not.toContain('tg:');
  });

  it('leaves out a missing or blank title, and folds line breaks in a title', () => {
    const { predecessorTitle: _p, ...noTitle } = found;
    expect(resurfacedLine({ ...noTitle, successorTitle: '  ' })).toBe(
      'resurfaced: @sim_alpha_news came back as @sim_alpha_news2, score 0.93, https://t.me/sim_alpha_news2',
    );
    expect(channelName('sim_gamma_food', 'مطبخ\nغاما')).toBe('@sim_gamma_food ("مطبخ غاما")');
    expect(channelName('sim_gamma_food', null)).toBe('@sim_gamma_food');
  });

  it('refuses a score that is not a number, naming the successor', () => {
    expect(() => resurfacedLine({ ...found, score: Number.NaN })).toThrow('resurfacedLine: score must be a number (got NaN) for tg:1800000009');
  });

  it('names a followed rename and a restoration under a new handle', () => {
    const f = { channelKey: 'tg:1800000002', from: 'sim_beta_sport', to: 'sim_beta_sport_fc', title: 'Beta Football Corner', restored: false };
    expect(followedLine({ ...f, url: channelUrl('http://127.0.0.1:8730/', 'sim_beta_sport_fc') })).toBe(
      'renamed: @sim_beta_sport ("Beta Football Corner") is now @sim_beta_sport_fc, http://127.0.0.1:8730/sim_beta_sport_fc',
    );
    expect(followedLine({ ...f, restored: true, url: channelUrl('https://t.me', 'sim_beta_sport_fc') })).toBe(
      'restored under a new handle: @sim_beta_sport ("Beta Football Corner") is now @sim_beta_sport_fc, https://t.me/sim_beta_sport_fc',
    );
  });

  it('reaches the console as it is, after the time', () => {
    expect(
      formatPrettyLine({ time: '2026-11-29T10:11:12.000Z', level: 'info', msg: resurfacedLine(found), channelKey: 'tg:1800000001' }, { showDetail: false }),
    ).toBe(`10:11:12 ${resurfacedLine(found)}`);
  });
});
