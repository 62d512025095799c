import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { hashToken } from '../../src/api/auth';
import { buildApi, type Api } from '../../src/api/server';
import { settingsSchema } from '../../src/config/schema';
import { ensureIndexes, openStore, type Store } from '../../src/store/store';
import { mongoUrl, uniqueName } from '../support/services';
import { postViews } from '../../src/store/repos/post-checks';
import { SEED, seedResearchDb } from '../support/research-seed';
import { listenOnFreePort } from '../support/listen';
import { storeDb } from '../../src/store/db-handle';
import { reportCases } from '../../src/store/repos/report-cases';
import type { ReportCase, ReportTarget } from '../../src/core/report-case';

const RESEARCHER = 'researcher-token-dashboard-0123456789';
const ANALYST = 'analyst-token-dashboard-0123456789abc';
const H = 3_600_000;
const SCREENSHOT = join(tmpdir(), 'hydrawatch-dashboard.png');

interface ChartValues {
  labels: string[];
  series: Record<string, number[]>;
  markers?: Array<{ type: string; day: string; channelKey: string }>;
  channel?: string;
}

/** label → value for the non-zero points of one series (charts fill days without posts with 0). */
function nonZero(v: ChartValues, series: string): Record<string, number> {
  const data = v.series[series] ?? [];
  return Object.fromEntries(v.labels.map((l, i) => [l, data[i] ?? 0] as const).filter(([, n]) => n > 0));
}

function seedTarget(handle: string, firstSeenAt: Date, extra: Partial<ReportTarget> = {}): ReportTarget {
  return { id: `telegram:channel:${handle}`, url: `https://t.me/${handle}`, kind: 'channel', watched: false, firstSeenAt, ...extra };
}

/**
 * Report cases opened two days ago: Telegram took two reported successors down 2 h and 10 h after the report and left
 * one online (ticket T-9); one draft waits for an analyst; YouTube has one report out. The Internet Archive took an
 * item down 40 s after the report, 5 min 40 s after it was first seen (spans under 6 minutes read in s / min).
 */
function seedCases(now: Date): ReportCase[] {
  const t0 = new Date(Math.floor((now.getTime() - 48 * H) / H) * H);
  const at = (h: number): Date => new Date(t0.getTime() + h * H);
  const base = (id: string, platform: ReportCase['platform'], state: ReportCase['state'], targets: ReportTarget[]): ReportCase => ({
    _id: targets[0]?.id ?? id,
    platform,
    kind: 'resurfaced',
    state,
    openedBy: 'rule:successors',
    sourceIds: ['s-alpha'],
    tags: ['net-a'],
    targets,
    evidence: { score: 0.91 },
    history: [{ state: 'draft', at: t0, by: 'rule:successors' }],
    createdAt: t0,
    updatedAt: t0,
    day: t0.toISOString().slice(0, 10),
  });
  return [
    {
      ...base('a', 'telegram', 'offline', [seedTarget('alpha_news2', at(-1), { offline: { at: at(2), how: 'removed_banner' } })]),
      reportedAt: at(0),
      offlineAt: at(2),
    },
    {
      ...base('b', 'telegram', 'offline', [seedTarget('alpha_news3', at(-2), { offline: { at: at(10), how: 'removed_banner' } })]),
      reportedAt: at(0),
      offlineAt: at(10),
    },
    { ...base('c', 'telegram', 'still_online', [seedTarget('alpha_news4', at(-1))]), reportedAt: at(1), ticket: 'T-9' },
    base('d', 'telegram', 'draft', [seedTarget('alpha_news5', at(-1))]),
    {
      ...base('v', 'youtube', 'sent', [{ id: 'youtube:post:synthvid002', url: 'https://www.youtube.com/watch?v=SynthVid002', kind: 'post', watched: false }]),
      reportedAt: at(3),
    },
    {
      ...base('w', 'archive', 'offline', [
        {
          id: 'archive:item:synthitem9',
          url: 'https://archive.org/details/synthitem9',
          kind: 'post',
          watched: false,
          firstSeenAt: new Date(at(5).getTime() - 300_000),
          offline: { at: new Date(at(5).getTime() + 40_000), how: 'removed_banner' },
        },
      ]),
      reportedAt: at(5),
      offlineAt: new Date(at(5).getTime() + 40_000),
    },
  ];
}

/**
 * The dashboard in a real (headless) Chromium against the API on a seeded FerretDB: the numbers and charts drawn
 * are the seeded answers, nothing breaks the CSP, and a bad token says so.
 */
describe('dashboard (browser)', () => {
  let store: Store;
  let app: Api;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwdash') });
    await ensureIndexes(store);
    await seedResearchDb(store);
    // a YouTube video's views timeline: 100 when first seen, 2,000 after 1 h, 6,000 after 6 h, 13,000 after 24 h
    const seen = new Date('2026-11-05T00:00:00Z');
    await postViews(store).insertMany(
      [
        [0, 100],
        [1, 2000],
        [6, 6000],
        [24, 13000],
      ].map(([h, views]) => {
        const at = new Date(seen.getTime() + (h as number) * 3600_000);
        return {
          _id: `youtube:yt:SynthVid001:${at.toISOString().slice(0, 13)}`,
          postKey: 'youtube:yt:SynthVid001',
          channelKey: 'youtube:yt',
          sourceId: 'yt',
          platform: 'youtube',
          hour: at.toISOString().slice(0, 13),
          at,
          views: views as number,
          firstSeenAt: seen,
        };
      }),
    );
    await reportCases(store).insertMany(seedCases(new Date()));
    const configDir = mkdtempSync(join(tmpdir(), 'hw-dash-config-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'hw-dash-data-'));
    writeFileSync(
      join(configDir, 'sources.yaml'),
      'sources:\n  - id: s-alpha\n    platform: telegram\n    handle: alpha_news\n    schedule: "*/10 * * * *"\n    tags: [net-a]\n    language: arb\n',
    );
    writeFileSync(join(configDir, 'settings.yaml'), 'mongoDb: test\n');
    app = await buildApi({
      store,
      settings: settingsSchema.parse({ dataDir }),
      tokens: [
        { name: 'rea', role: 'researcher', sha256: hashToken(RESEARCHER) },
        { name: 'ana', role: 'analyst', sha256: hashToken(ANALYST) },
      ],
      sourcesPath: join(configDir, 'sources.yaml'),
      settingsPath: join(configDir, 'settings.yaml'),
    });
    base = await listenOnFreePort(app);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (store) await storeDb(store).dropDatabase();
    await store?.close();
  });

  /** Opens the dashboard and collects console errors, page errors and CSP violations. */
  async function open(token: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${base}/dashboard/#token=${encodeURIComponent(token)}`);
    await page.waitForSelector('#app[data-state="ready"]', { timeout: 15000 });
    return { page, problems };
  }

  const chartValues = async (page: Page, testid: string): Promise<ChartValues> =>
    JSON.parse((await page.getAttribute(`[data-testid="${testid}"]`, 'data-values')) ?? 'null') as ChartValues;
  const text = async (page: Page, testid: string): Promise<string> => ((await page.textContent(`[data-testid="${testid}"]`)) ?? '').trim();

  it('draws the seeded numbers, charts, lineage, clusters and alerts without console errors or CSP violations', async () => {
    const { page, problems } = await open(RESEARCHER);
    expect(await page.isVisible('[data-testid="banner"]')).toBe(false);
    expect(page.url()).not.toContain('token='); // the token leaves the address bar

    // hydra index and distributions
    expect(await text(page, 'hydra-takedowns')).toBe(String(SEED.takedowns));
    expect(await text(page, 'hydra-successors')).toBe(String(SEED.successors));
    expect(await text(page, 'hydra-longest')).toBe(String(SEED.longestChain.length));
    expect(await text(page, 'ttt-count')).toBe('2');
    expect(await text(page, 'ttt-max')).toBe(String(Math.max(...SEED.timeToTakedownHours)));
    expect(await text(page, 'delay-max')).toBe(String(Math.max(...SEED.resurfacingDelayHours)));

    // posts per day: every day from the first to the last post; the seeded counts on the days with posts
    const posts = await chartValues(page, 'chart-posts');
    expect(nonZero(posts, 'posts')).toEqual(SEED.postsPerDay);
    expect(posts.labels[0]).toBe('2026-11-02');
    expect(posts.labels[posts.labels.length - 1]).toBe('2026-11-10');
    expect(posts.labels).toHaveLength(9);

    const events = await chartValues(page, 'chart-events');
    expect(events.labels).toEqual(['2026-W45']);
    expect(events.series).toEqual({ 'new channels': [4], takedowns: [2], resurfacings: [2] });

    // view velocity: the seeded video's views after 1, 6 and 24 h
    await page.waitForSelector('[data-testid="chart-velocity"][data-state="drawn"]');
    const velocity = await chartValues(page, 'chart-velocity');
    expect(velocity.labels).toEqual(['SynthVid001']);
    expect(velocity.series).toEqual({ 'after 1 h': [2000], 'after 6 h': [6000], 'after 24 h': [13000] });

    // lineage: 3 nodes, 2 edges, one chain
    expect(await page.locator('[data-testid="lineage-svg"] g.node').count()).toBe(3);
    expect(await page.locator('[data-testid="lineage-svg"] g.edge').count()).toBe(2);
    const edges = await page.$$eval('[data-testid="lineage-svg"] g.edge', (gs) =>
      gs.map((g) => `${g.getAttribute('data-source')}>${g.getAttribute('data-target')}`),
    );
    expect(edges).toEqual(['tg:100>tg:101', 'tg:101>tg:102']);
    const labels = await page.$$eval('[data-testid="lineage-svg"] .node-label', (ts) => ts.map((t) => t.textContent));
    expect(labels).toEqual(['@alpha_news', '@alpha_news1', '@alpha_news2']);
    expect(await page.locator('[data-testid="lineage-chain"]').allTextContents()).toEqual(['@alpha_news → @alpha_news1 → @alpha_news2']);

    // top media cluster, and its details: hashes only, no media
    const top = page.locator(`[data-testid="cluster-row-${SEED.topCluster}"]`);
    expect((await top.locator('[data-testid="cluster-channels"]').textContent())?.trim()).toBe(String(SEED.topClusterChannels));
    await top.locator('button').click();
    const detail = page.locator(`[data-testid="cluster-detail-${SEED.topCluster}"]`);
    await detail.locator('table.inner').first().waitFor();
    expect(await detail.textContent()).toContain('f'.repeat(64)); // PDQ
    expect(await detail.locator('img').count()).toBe(0);

    // alerts and watch list
    expect(await page.locator('[data-testid="alerts-table"] tbody tr').count()).toBe(SEED.alerts);
    expect(await page.locator('[data-testid="sources-table"] tbody tr').count()).toBe(1);

    // a channel's timeline: two days with posts, a takedown and a resurfacing marker
    expect(await text(page, 'channel-platform-tg:100')).toBe('telegram');
    await page.click('[data-testid="channel-row-tg:100"]');
    await page.waitForSelector('[data-testid="chart-timeline"][data-channel="tg:100"][data-state="drawn"]');
    const tl = await chartValues(page, 'chart-timeline');
    expect(tl.channel).toBe('tg:100');
    expect(nonZero(tl, 'posts')).toEqual({ '2026-11-02': 3, '2026-11-03': 2 });
    expect(tl.markers?.map((m) => `${m.type}:${m.channelKey}:${m.day}`)).toEqual([
      'first_seen:tg:100:2026-11-02',
      'removed:tg:100:2026-11-04',
      'resurfaced:tg:101:2026-11-04',
    ]);
    expect(await page.locator('[data-testid="timeline-markers"] li[data-type="removed"]').count()).toBe(1);
    expect(await page.locator('[data-testid="timeline-markers"] li[data-type="resurfaced"]').count()).toBe(1);

    // a filter reaches the charts: net-b only
    await page.fill('#filters input[name="tag"]', 'net-b');
    await page.click('#filters button[type="submit"]');
    await page.waitForFunction(() => {
      const v = document.querySelector('[data-testid="chart-events"]')?.getAttribute('data-values');
      return (
        document.querySelector('#app')?.getAttribute('data-state') === 'ready' && v !== null && v !== undefined && JSON.parse(v).series.takedowns?.[0] === 0
      );
    });
    expect(nonZero(await chartValues(page, 'chart-posts'), 'posts')).toEqual({ '2026-11-02': 2, '2026-11-10': 1 });
    await page.click('#filters button[type="reset"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="chart-events"]')?.getAttribute('data-values')?.includes('"takedowns":[2]'));
    await page.click('[data-testid="channel-row-tg:100"]');
    await page.waitForSelector('[data-testid="chart-timeline"][data-state="drawn"]');

    await top.locator('button').click(); // cluster details open in the screenshot
    await detail.locator('table.inner').first().waitFor();
    await page.evaluate(() => window.scrollTo(0, 0)); // the sticky top bar stays at the top of the full-page shot
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`dashboard screenshot: ${SCREENSHOT}`);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the scorecard shows per platform how reports ended, and an analyst approves a draft case from the report list', async () => {
    const { page, problems } = await open(ANALYST);
    await page.click('#tabs button[data-view="scorecard"]');
    const cells = async (selector: string): Promise<string[][]> =>
      page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim())));
    const score = await cells('[data-testid="scorecard-table"]');
    // telegram: 4 opened, 3 reported, 2 offline (66.7%), 1 still online; report → offline 2 h and 10 h (p50 2, p90 10)
    expect(score).toEqual([
      // hours to the thousandth: 5 min 40 s = 0.094 h, read as 5.6 min
      ['archive', '1', '1', '1', '100%', '0', '40 s / 40 s (n=1)', '5.6 min / 5.6 min (n=1)', '–'],
      ['telegram', '4', '3', '2', '66.7%', '1', '2 / 10 (n=2)', '3 / 12 (n=2)', '–'],
      ['youtube', '1', '1', '0', '0%', '1', '–', '–', '–'],
    ]);
    const online = await cells('[data-testid="still-online-table"]');
    expect(online.map((r) => [r[0], r[1], r[2], r[5]])).toEqual([
      ['telegram', 'telegram:channel:alpha_news4', 'https://t.me/alpha_news4', 'T-9'],
      ['youtube', 'youtube:post:synthvid002', 'https://www.youtube.com/watch?v=SynthVid002', ''],
    ]);
    expect(Number(online[0]?.[4])).toBeGreaterThanOrEqual(46);

    // the draft case: an analyst approves it from the report list, and the list shows the new state
    await page.click('#tabs button[data-view="reports"]');
    const row = page.locator('#reports-table tbody tr[data-id="telegram:channel:alpha_news5"]');
    expect((await row.locator('td').nth(1).textContent())?.trim()).toBe('draft');
    await row.locator('[data-testid="case-approve"]').click();
    await page.waitForFunction(() => {
      const tr = document.querySelector('#reports-table tbody tr[data-id="telegram:channel:alpha_news5"]');
      return tr?.querySelectorAll('td')[1]?.textContent?.trim() === 'approved';
    });
    const stored = await reportCases(store).findOne({ _id: 'telegram:channel:alpha_news5' });
    expect(stored?.state).toBe('approved');
    expect(stored?.history.at(-1)).toMatchObject({ state: 'approved', by: 'token:ana' });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a researcher token reads cases but may not approve one: the banner says 403', async () => {
    const { page } = await open(RESEARCHER);
    await page.click('#tabs button[data-view="reports"]');
    await page.locator('#reports-table tbody tr[data-id="telegram:channel:alpha_news3"]').waitFor();
    const row = page.locator('#reports-table tbody tr[data-id="telegram:channel:alpha_news4"]');
    await row.locator('[data-testid="case-approve"]').click();
    const banner = page.locator('[data-testid="banner"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="banner"]')?.getAttribute('data-kind') === 'auth');
    expect(await banner.textContent()).toMatch(/may not do that \(403\)/);
    expect((await reportCases(store).findOne({ _id: 'telegram:channel:alpha_news4' }))?.state).toBe('still_online');
    await page.context().close();
  });

  it('an analyst opens a case for a channel from the report list; the same again merges; an unknown channel says so', async () => {
    const { page, problems } = await open(ANALYST);
    await page.click('#tabs button[data-view="reports"]');
    const openCase = async (target: string, note: string): Promise<void> => {
      await page.fill('#open-case input[name="target"]', target);
      await page.fill('#open-case input[name="note"]', note);
      await page.selectOption('#open-case select[name="kind"]', 'channel');
      await page.click('#open-case button[type="submit"]');
    };
    await openCase('tg:200', 'sister channel of the removed alpha_news');
    await page.waitForFunction(() => /^opened: /.test(document.querySelector('[data-testid="open-case-result"]')?.textContent ?? ''));
    expect(await text(page, 'open-case-result')).toBe('opened: telegram:channel:tg:200');
    await page.locator('#reports-table tbody tr[data-id="telegram:channel:tg:200"]').waitFor();
    const stored = await reportCases(store).findOne({ _id: 'telegram:channel:tg:200' });
    expect(stored).toMatchObject({ state: 'draft', kind: 'channel', openedBy: 'token:ana', evidence: { note: 'sister channel of the removed alpha_news' } });
    expect(stored?.targets.map((t) => t.url)).toEqual(['https://t.me/beta_feed']);

    await openCase('tg:200', 'again');
    await page.waitForFunction(() => /open case: /.test(document.querySelector('[data-testid="open-case-result"]')?.textContent ?? ''));
    expect(await reportCases(store).countDocuments({ 'targets.id': 'telegram:channel:tg:200' })).toBe(1);

    await openCase('tg:999999', 'nothing there');
    await page.waitForFunction(() => document.querySelector('[data-testid="banner"]')?.getAttribute('data-kind') === 'error');
    expect(await text(page, 'banner')).toMatch(/^The API answered 4\d\d: .*tg:999999/);
    expect(problems.filter((p) => !/status of 4\d\d|^HTTP 4\d\d \/api\/v1\/reports\/cases$/.test(p))).toEqual([]);
    await page.context().close();
  });

  it('a wrong token shows the auth error', async () => {
    const { page, problems } = await open('not-a-valid-token-at-all');
    const banner = page.locator('[data-testid="banner"]');
    expect(await banner.getAttribute('data-kind')).toBe('auth');
    expect(await banner.textContent()).toMatch(/token was not accepted \(401\)/);
    expect(await page.isVisible('#token-form')).toBe(true);
    // the browser logs the failed requests themselves; nothing else may go wrong
    expect(problems.filter((p) => !/status of 401|^HTTP 401 \/api\/v1\//.test(p))).toEqual([]);
    await page.context().close();
  });
});
