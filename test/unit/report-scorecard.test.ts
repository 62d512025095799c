import type { ReportCase, ReportTarget } from '../../src/core/report-case';
import { scorecard } from '../../src/reports/scorecard';
import { scorecardPeriod } from '../../src/reports/scorecard-read';
import { scorecardCsv, transparencyHtml, transparencyMarkdown } from '../../src/reports/transparency';

const H = 3_600_000;
const t0 = Date.parse('2026-12-01T00:00:00Z');
const now = new Date(t0 + 100 * H);

function target(id: string, extra: Partial<ReportTarget> = {}): ReportTarget {
  return { id, url: `https://t.me/${id}`, kind: 'channel', watched: false, firstSeenAt: new Date(t0 - 2 * H), ...extra };
}

function kase(id: string, platform: ReportCase['platform'], state: ReportCase['state'], extra: Partial<ReportCase> = {}): ReportCase {
  return {
    _id: id,
    platform,
    kind: 'resurfaced',
    state,
    openedBy: 'rule:r',
    sourceIds: ['s'],
    tags: [],
    targets: [target(id)],
    evidence: {},
    history: [],
    createdAt: new Date(t0),
    updatedAt: new Date(t0),
    day: '2026-12-01',
    ...extra,
  };
}

const reported = (h: number): Partial<ReportCase> => ({ reportedAt: new Date(t0 + h * H) });

describe('scorecard', () => {
  const cases = [
    kase('a', 'telegram', 'offline', {
      ...reported(0),
      offlineAt: new Date(t0 + 2 * H),
      targets: [target('a', { viewsFirstSeen: 100, viewsNow: 400, offline: { at: new Date(t0 + 2 * H), how: 'removed_banner' } })],
    }),
    kase('b', 'telegram', 'offline', {
      ...reported(0),
      offlineAt: new Date(t0 + 10 * H),
      targets: [target('b', { offline: { at: new Date(t0 + 10 * H), how: 'removed_banner' } })],
    }),
    kase('c', 'telegram', 'still_online', { ...reported(1), targets: [target('c', { viewsFirstSeen: 10, viewsNow: 30 })], ticket: 'T-9' }),
    kase('d', 'telegram', 'draft'),
    kase('e', 'telegram', 'withdrawn'),
    kase('v', 'youtube', 'sent', reported(50)),
  ];
  const s = scorecard(cases, { from: '2026-12-01', to: '2026-12-07' }, now);

  it('counts cases, reports and removals per platform, and the share taken offline', () => {
    expect(s.platforms.map((p) => p.platform)).toEqual(['telegram', 'youtube']);
    const tg = s.platforms[0];
    expect(tg).toMatchObject({ opened: 5, reported: 3, offline: 2, offlinePct: 66.7, stillOnline: 1, withdrawn: 1 });
    expect(s.platforms[1]).toMatchObject({ opened: 1, reported: 1, offline: 0, offlinePct: 0 });
  });

  it('gives time from report and from first sighting to offline, as p50 and p90 hours', () => {
    const tg = s.platforms[0];
    expect(tg?.reportToOffline).toEqual({ count: 2, p50Hours: 2, p90Hours: 10 });
    expect(tg?.firstSeenToOffline).toEqual({ count: 2, p50Hours: 4, p90Hours: 12 });
    expect(s.platforms[1]?.reportToOffline).toEqual({ count: 0 });
  });

  it('adds up the views gained where the platform shows views, and lists what is still online', () => {
    const tg = s.platforms[0];
    expect(tg?.viewsGained).toEqual({ targets: 2, total: 320, p50: 20 });
    expect(tg?.stillOnlineTargets).toEqual([
      { caseId: 'c', url: 'https://t.me/c', reportedAt: new Date(t0 + H).toISOString(), hoursSinceReport: 99, ticket: 'T-9' },
    ]);
    expect(s.platforms[1]?.stillOnlineTargets.map((x) => x.hoursSinceReport)).toEqual([50]);
  });

  it('renders CSV with one row per platform and formula-looking text defused', () => {
    const csv = scorecardCsv(s).trim().split('\n');
    expect(csv[0]).toMatch(/^platform,opened,reported,offline,offline_pct/);
    expect(csv[1]).toMatch(/^telegram,5,3,2,66.7,1,1,2,10,4,12,320,20,1$/);
    const hostile = scorecard([kase('x', 'telegram', 'sent', { ...reported(0), targets: [target('=cmd()')] })], { from: '2026-12-01', to: '2026-12-01' }, now);
    expect(scorecardCsv(hostile)).not.toContain(',=cmd');
  });

  it('renders a printable report (Markdown and HTML) that escapes what the channels wrote', () => {
    const hostile = scorecard(
      [kase('x', 'telegram', 'sent', { ...reported(0), targets: [target('x', { url: 'https://t.me/<script>alert(1)</script>' })], ticket: '|pipe|' })],
      { from: '2026-12-01', to: '2026-12-01' },
      now,
    );
    const html = transparencyHtml(hostile);
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
    const md = transparencyMarkdown(hostile);
    expect(md).toContain('# Transparency report: 2026-12-01 to 2026-12-01');
    expect(md).toContain('\\|pipe\\|');
    expect(md).toContain('## Still online on telegram');
  });
});

describe('scorecardPeriod', () => {
  it('defaults to the last 30 days and refuses bad days, naming them', () => {
    expect(scorecardPeriod(undefined, undefined, new Date('2026-12-07T12:00:00Z'))).toEqual({ from: '2026-11-08', to: '2026-12-07' });
    expect(() => scorecardPeriod('2026-13-01', undefined, now)).toThrow(/from: expected a day \(YYYY-MM-DD\) or an ISO time, got "2026-13-01"/);
    expect(() => scorecardPeriod('2026-02-30', undefined, now)).toThrow(/from: expected a day/);
    expect(scorecardPeriod('2026-12-01T23:30:00-02:00', '2026-12-05', now)).toEqual({ from: '2026-12-02', to: '2026-12-05' });
    expect(scorecardPeriod('2026-12-05', '2026-12-01', now)).toEqual({ from: '2026-12-05', to: '2026-12-01' }); // an empty period
  });
});
