import { settingsSchema } from '../../src/config/schema';
import { targetId, type ReportCase, type ReportPlatform, type ReportTarget } from '../../src/core/report-case';
import { mergeInto, newCase, type CaseInput } from '../../src/reports/merge';
import { buildPack, renderHtml, renderJson, renderPack, renderText, type ReportPack } from '../../src/reports/packs';
import { escapeHtml } from '../../src/reports/packs/render';
import { recipientsFor, ReportingConfigError, requireRecipients } from '../../src/reports/recipients';
import { matchingReportRules } from '../../src/reports/rules';
import { parseReportUrl, UnknownPlatformUrlError } from '../../src/reports/targets';

const at = new Date('2026-12-01T10:00:00Z');
const takedown = new Date('2026-11-28T08:30:00Z');

function target(platform: ReportPlatform, url: string, extra: Partial<ReportTarget> = {}): ReportTarget {
  return { id: targetId(platform, 'channel', url), url, kind: 'channel', watched: false, ...extra };
}

function caseOn(platform: ReportPlatform, over: Partial<ReportCase> = {}): ReportCase {
  const input: CaseInput = {
    platform,
    kind: 'resurfaced',
    openedBy: 'rule:comebacks',
    key: 'resurfaced:tg:1:tg:2',
    sourceIds: ['src-a'],
    tags: ['net-a'],
    targets: [target(platform, 'https://t.me/foo_back', { channelKey: 'tg:2', firstSeenAt: at, postCount: 12, viewsFirstSeen: 340 })],
    evidence: {
      predecessor: { channelKey: 'tg:1', handle: 'foo_official', takedownAt: takedown },
      score: 0.91,
      signals: { handle: 0.8, avatar: 1 },
      pdqDistances: [6],
      matchedVia: 'resurfacing',
    },
    at,
  };
  return { ...newCase(input, input.targets[0]?.id ?? 'x'), ...over };
}

const notifier = { name: 'Desk A', email: 'desk@example.org' };
const pack = (c: ReportCase, variant: 'platform' | 'dsa' = 'platform', to = ['abuse@example.org']): ReportPack =>
  buildPack({ case: c, variant, notifier, to, cc: [] });

describe('report packs', () => {
  it('Telegram: a mail to the configured address, the in-app steps and reason, URLs and evidence, never media', () => {
    const p = pack(caseOn('telegram'));
    expect(p.channel).toBe('mail');
    expect(p.mail?.to).toEqual(['abuse@example.org']);
    expect(p.urls).toEqual(['https://t.me/foo_back']);
    const text = renderText(p);
    expect(text).toContain('https://t.me/foo_back');
    expect(text).toContain('@foo_official (tg:1)');
    expect(text).toContain('2026-11-28 08:30 UTC');
    expect(text).toContain('Resurfacing score: 0.91');
    expect(text).toContain('PDQ distance(s): 6');
    expect(text).toContain('340 views when first seen');
    expect(text).toContain('12 posts');
    expect(text).toMatch(/Report/);
    expect(p.steps.join(' ')).toMatch(/⋮ \(More\) → Report/);
    expect(text).toContain('No media is attached');
    // the mail the platform receives: no recipients block, no steps meant for analysts
    const mail = renderText(p, 'platform');
    expect(mail).toContain('https://t.me/foo_back');
    expect(mail).not.toContain('Also possible in the app');
    expect(mail).not.toContain('To: abuse@example.org');
    expect(renderHtml(p, 'platform')).not.toContain('⋮');
  });

  it('YouTube: the report form fields (URL, reason category, explanation) per URL', () => {
    const p = pack(caseOn('youtube', { targets: [target('youtube', 'https://www.youtube.com/watch?v=abc123')] }), 'platform', []);
    expect(p.channel).toBe('form');
    expect(p.form?.map((f) => f.field)).toEqual(['URL', 'Reason category', 'Explanation']);
    expect(p.form?.[0]?.value).toBe('https://www.youtube.com/watch?v=abc123');
    expect(p.form?.[1]?.value).toBe('Promotes terrorism');
    expect(renderText(p)).toContain('Report form fields:');
  });

  it('Internet Archive: a mail listing the item URLs', () => {
    const urls = ['https://archive.org/details/item-1', 'https://archive.org/details/item-2'];
    const p = pack(caseOn('archive', { targets: urls.map((u) => target('archive', u)) }));
    expect(p.channel).toBe('mail');
    expect(renderText(p)).toMatch(/1\. https:\/\/archive\.org\/details\/item-1\n {2}2\. https:\/\/archive\.org\/details\/item-2/);
  });

  it.each(['x', 'facebook', 'instagram'] as const)('%s: in-app steps and the URL list, no mail', (platform) => {
    const p = pack(caseOn(platform, { targets: [target(platform, `https://${platform}.com/someone`)] }), 'platform', []);
    expect(p.channel).toBe('in-app');
    expect(p.mail).toBeUndefined();
    expect(p.steps.length).toBeGreaterThan(2);
    expect(renderText(p)).toContain(`https://${platform}.com/someone`);
  });

  it.each(['rss', 'html', 'browser'] as const)('%s: a mail to the address configured for the source', (platform) => {
    const p = pack(caseOn(platform, { targets: [target(platform, 'https://news.example.net/a/1')] }), 'platform', ['host-abuse@example.net']);
    expect(p.mail?.to).toEqual(['host-abuse@example.net']);
    expect(p.steps[0]).toContain(`reporting.platforms.${platform}`);
  });

  it.each(['telegram', 'youtube', 'archive', 'x', 'facebook', 'instagram', 'rss', 'html', 'browser'] as const)(
    '%s: the DSA Article 16 variant has the exact URLs, an explanation, the notifier and the good-faith statement',
    (platform) => {
      const p = pack(caseOn(platform, { targets: [target(platform, 'https://example.org/exact/url/1')] }), 'dsa');
      const text = renderText(p);
      expect(p.variant).toBe('dsa');
      expect(text).toContain('Article 16');
      expect(text).toContain('Exact location of the content (URLs):\n  1. https://example.org/exact/url/1');
      expect(text).toContain('Why the content is illegal:');
      expect(text).toContain('Notifier: Desk A <desk@example.org>');
      expect(text).toContain('bona fide belief');
      expect(renderHtml(p)).toContain('bona fide belief');
    },
  );

  it('renders text, JSON and a printable HTML page; HTML escapes everything and embeds no media', () => {
    const evil = '<script>alert(1)</script>"\'&<img src=x onerror=y>';
    const c = caseOn('telegram', {
      evidence: { note: evil, predecessor: { channelKey: 'tg:1', handle: evil } },
      targets: [target('telegram', `https://t.me/x?q=${evil}`)],
    });
    const p = buildPack({ case: c, variant: 'dsa', notifier: { name: evil, email: 'a@b.org' }, to: ['a@b.org'], cc: [] });
    const html = renderHtml(p);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<img|onerror=y>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;img');
    expect(JSON.parse(renderJson(p))).toMatchObject({ caseId: c._id, platform: 'telegram', variant: 'dsa' });
    expect(renderPack(p, 'text')).toBe(renderText(p));
    expect(escapeHtml('a&b<c>')).toBe('a&amp;b&lt;c&gt;');
    expect(html).not.toMatch(/<(img|video|audio|object|embed|iframe)\b/);
  });

  it('names the setting to fill in when no address is set', () => {
    const p = pack(caseOn('telegram'), 'platform', []);
    expect(renderText(p)).toContain('(not set: reporting.platforms.telegram.to)');
  });
});

describe('reporting rules, recipients, URLs', () => {
  const settings = settingsSchema.parse({
    reporting: {
      rules: [
        { name: 'comebacks', kinds: ['resurfaced'], tags: ['net-a'] },
        { name: 'hashes', kinds: ['hashlist_match'], sources: ['s2'] },
      ],
      platforms: {
        telegram: { to: ['abuse@telegram.example'], cc: ['desk@example.org'] },
        rss: { to: ['default@example.net'], sources: { 'feed-1': { to: ['feed1@example.net'] } } },
      },
    },
  });

  it('matches rules like alert rules: kind, and tags/sources when given', () => {
    const r = settings.reporting.rules;
    expect(matchingReportRules({ kind: 'resurfaced', sourceId: 's1', tags: ['net-a'] }, r).map((x) => x.name)).toEqual(['comebacks']);
    expect(matchingReportRules({ kind: 'resurfaced', sourceId: 's1', tags: ['other'] }, r)).toEqual([]);
    expect(matchingReportRules({ kind: 'hashlist_match', sourceId: 's2', tags: [] }, r).map((x) => x.name)).toEqual(['hashes']);
    expect(matchingReportRules({ kind: 'hashlist_match', sourceId: 's3', tags: [] }, r)).toEqual([]);
    expect(matchingReportRules({ kind: 'removed', sourceId: 's2', tags: ['net-a'] }, r)).toEqual([]);
  });

  it('takes addresses from the settings only (per source for web hosts), and names the missing setting', () => {
    expect(recipientsFor(settings, { platform: 'telegram', sourceIds: ['s1'] })).toEqual({ to: ['abuse@telegram.example'], cc: ['desk@example.org'] });
    expect(recipientsFor(settings, { platform: 'rss', sourceIds: ['feed-1'] }).to).toEqual(['feed1@example.net']);
    expect(recipientsFor(settings, { platform: 'rss', sourceIds: ['feed-2'] }).to).toEqual(['default@example.net']);
    expect(() => requireRecipients(settings, { platform: 'youtube', sourceIds: [] })).toThrow('reporting.platforms.youtube.to is not set');
    expect(() => requireRecipients(settings, { platform: 'html', sourceIds: ['site'] })).toThrow(/reporting.platforms.html.sources.site.to/);
    expect(() => requireRecipients(settings, { platform: 'x', sourceIds: [] })).toThrow(ReportingConfigError);
    expect(settings.reporting.reReportDays).toBe(7);
    expect(settings.reporting.maxReportsPerHour).toBe(20);
    expect(() => settingsSchema.parse({ reporting: { platforms: { x: { to: ['a@b.org'] } } } })).toThrow();
  });

  it('knows the platforms of URLs, and refuses one no platform knows', () => {
    expect(parseReportUrl('https://t.me/s/foo_back/42')).toMatchObject({
      platform: 'telegram',
      kind: 'post',
      handle: 'foo_back',
      postId: '42',
      url: 'https://t.me/foo_back/42',
    });
    expect(parseReportUrl('https://t.me/foo_back')).toMatchObject({ platform: 'telegram', kind: 'channel' });
    expect(parseReportUrl('https://www.youtube.com/watch?v=abc')).toMatchObject({ platform: 'youtube', kind: 'post' });
    expect(parseReportUrl('https://archive.org/details/item')).toMatchObject({ platform: 'archive', kind: 'post' });
    expect(parseReportUrl('https://twitter.com/u/status/123')).toMatchObject({ platform: 'x', kind: 'post' });
    expect(parseReportUrl('https://www.instagram.com/p/xyz/')).toMatchObject({ platform: 'instagram', kind: 'post' });
    expect(parseReportUrl('https://news.example.net/a/1', [{ id: 'feed-1', platform: 'rss', url: 'https://news.example.net/feed.xml' }])).toMatchObject({
      platform: 'rss',
      sourceId: 'feed-1',
    });
    expect(() => parseReportUrl('https://unknown.example/x')).toThrow(UnknownPlatformUrlError);
    expect(() => parseReportUrl('https://unknown.example/x')).toThrow(/no platform knows the URL/);
    expect(() => parseReportUrl('javascript:alert(1)')).toThrow(UnknownPlatformUrlError);
  });
});

describe('merging cases', () => {
  it('merges a second case for the same target: history step merged, union of targets and evidence; the same key twice is a no-op', () => {
    const c = caseOn('telegram');
    const second: CaseInput = {
      platform: 'telegram',
      kind: 'hashlist_match',
      openedBy: 'token:ana',
      key: 'hashlist:ev1',
      sourceIds: ['src-b'],
      tags: ['net-b'],
      targets: [c.targets[0] as ReportTarget, target('telegram', 'https://t.me/foo_back/7')],
      evidence: { hashList: { list: 'tcap', entity: 'Group X' }, pdqDistances: [10], note: 'seen twice' },
      at: new Date(at.getTime() + 60_000),
    };
    const m = mergeInto(c, second);
    expect(m?.targets.map((t) => t.url)).toEqual(['https://t.me/foo_back', 'https://t.me/foo_back/7']);
    expect(m?.history.at(-1)).toMatchObject({ state: 'merged', by: 'token:ana' });
    expect(m?.evidence).toMatchObject({ score: 0.91, pdqDistances: [6, 10], hashList: { list: 'tcap', entity: 'Group X' }, note: 'seen twice' });
    expect(m?.sourceIds).toEqual(['src-a', 'src-b']);
    expect(m?.state).toBe('draft');
    expect(m && mergeInto(m, second)).toBeUndefined();
  });
});
