import { runReportsCommand } from '../../src/cli/reports-command';
import { settingsSchema } from '../../src/config/schema';
import { getCase, outboxCollection } from '../../src/store/repos/report-cases';
import { ensureIndexes, openStore, type Store } from '../../src/store/store';
import type { ChannelDoc } from '../../src/store/repos/channels';
import { storeDb } from '../../src/store/db-handle';
import { mongoUrl, uniqueName } from '../support/services';

/** `hydrawatch reports …` on FerretDB: open, approve, send, show, pack, list, and clear refusals. */
describe('hydrawatch reports', () => {
  let store: Store;
  const settings = settingsSchema.parse({
    reporting: { platforms: { telegram: { to: ['abuse@telegram.example'] } }, notifier: { name: 'Desk A', email: 'desk@example.org' } },
  });
  const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runReportsCommand(store, settings, [...argv, '--by', 'ana'], {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      sourcesPath: '/nonexistent/sources.yaml',
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwrepcli') });
    await ensureIndexes(store);
    const at = new Date('2026-11-20T00:00:00Z');
    const ch: ChannelDoc = {
      _id: 'tg:9',
      platform: 'telegram',
      sourceIds: ['s9'],
      status: 'active',
      handle: 'nine_back',
      handles: ['nine_back'],
      firstSeenAt: at,
      consecutiveFailures: 0,
      lastCheckedAt: at,
    };
    await store.channels.insertOne(ch);
  });
  afterAll(async () => {
    await storeDb(store).dropDatabase();
    await store.close();
  });

  it('opens, approves, queues the report mail, shows the case and prints its packs', async () => {
    const opened = await run('open', '--channel', 'tg:9', '--note', 'comeback of nine');
    expect(opened).toMatchObject({ code: 0, out: 'created case telegram:channel:tg:9 (draft, 1 target)' });
    expect((await run('open', '--channel', 'tg:9')).out).toMatch(/^merged case telegram:channel:tg:9/);
    expect((await run('send', 'telegram:channel:tg:9')).code).toBe(1); // a draft is not sent
    expect((await run('approve', 'telegram:channel:tg:9')).out).toBe('case telegram:channel:tg:9: approved');
    const sent = await run('send', 'telegram:channel:tg:9');
    expect(sent.out).toContain('report mail queued: report:telegram:channel:tg:9:1');
    expect(await outboxCollection(store).findOne({ _id: 'report:telegram:channel:tg:9:1' })).toMatchObject({
      kind: 'report',
      to: 'abuse@telegram.example',
      status: 'pending',
    });
    expect((await getCase(store, 'telegram:channel:tg:9'))?.history.map((h) => [h.state, h.by])).toEqual([
      ['draft', 'cli:ana'],
      ['merged', 'cli:ana'],
      ['approved', 'cli:ana'],
    ]);
    const show = await run('show', 'telegram:channel:tg:9');
    expect(show.out).toContain('https://t.me/nine_back');
    expect(show.out).toContain('sending: report:telegram:channel:tg:9:1');
    const dsa = await run('pack', 'telegram:channel:tg:9', '--variant', 'dsa', '--format', 'text');
    expect(dsa.out).toContain('Notifier: Desk A <desk@example.org>');
    expect((await run('pack', 'telegram:channel:tg:9', '--format', 'html')).out).toMatch(/^<!doctype html>/);
    expect((await run('list', '--state', 'approved')).out).toMatch(/telegram:channel:tg:9\s+approved\s+telegram/);
    expect((await run('withdraw', 'telegram:channel:tg:9')).out).toBe('case telegram:channel:tg:9: withdrawn');
    expect(await outboxCollection(store).findOne({ _id: 'report:telegram:channel:tg:9:1' })).toBeNull(); // not gone out yet: dropped
  });

  it('refuses clearly: unknown case, unknown URL, bad option', async () => {
    expect(await run('show', 'telegram:channel:tg:none')).toMatchObject({ code: 1, err: 'hydrawatch reports show: no report case "telegram:channel:tg:none"' });
    expect((await run('open', '--post', 'https://unknown.example/x')).err).toMatch(/no platform knows the URL/);
    expect((await run('list', '--state', 'nope')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
  });

  it('prints the scorecard (table, JSON, CSV) and the transparency report, and names a bad period', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const json = await run('scorecard', '--from', today, '--to', today, '--format', 'json');
    expect(json.code).toBe(0);
    const s = JSON.parse(json.out) as { from: string; platforms: Array<{ platform: string; opened: number }> };
    expect(s.from).toBe(today);
    expect(s.platforms.find((p) => p.platform === 'telegram')?.opened).toBeGreaterThanOrEqual(1);
    expect((await run('scorecard', '--format', 'csv')).out.split('\n')[0]).toMatch(/^platform,opened,reported,offline,offline_pct/);
    expect((await run('transparency', '--format', 'md')).out).toMatch(/^# Transparency report: /);
    expect((await run('transparency', '--format', 'html')).out).toMatch(/^<!doctype html>/);
    const bad = await run('scorecard', '--from', '2026-02-30');
    expect([bad.code, bad.err]).toEqual([2, expect.stringMatching(/from: expected a day \(YYYY-MM-DD\) or an ISO time, got "2026-02-30"/)]);
  });
});
