import { cleanUpDemo, childrenOf, startDemo, type DemoRun, type LogRecord } from '../support/demo-run';
import { waitFor } from '../support/wait-for';

/**
 * Black box: the README's demo (`hydrawatch demo` on the repo's own config/settings.yaml) shows the whole loop. A
 * channel is taken down and comes back; the successor opens a draft report case; an analyst approves and sends it
 * through the API with the demo's token; exactly one report mail reaches the simulated Telegram abuse desk, which takes
 * the successor down; hydrawatch sees it offline, and the scorecard counts it with its time from report to offline.
 */
describe('demo: from detection to offline', () => {
  let run: DemoRun | undefined;

  afterAll(() => {
    if (run) cleanUpDemo(run);
  });

  const fail = (err: unknown): never => {
    throw new Error(`${(err as Error).message}\n--- demo output ---\n${run?.output().slice(-5000) ?? ''}`);
  };
  const event = (name: string, where: (r: LogRecord) => boolean = () => true, timeoutMs = 150_000): Promise<LogRecord> =>
    waitFor(`log event ${name}`, () => run?.records.find((r) => r.event === name && where(r)), timeoutMs, 200).catch(fail);

  it('a successor is reported after an analyst approves it, taken down by the platform, and seen offline', async () => {
    run = await startDemo(['--advance-every', '8', '--takedown-after', '3'], { settings: 'repo' });
    const apiRecord = await event('demo.api');
    const base = String(apiRecord.url);
    const token = String(apiRecord.token);
    run.stackPids = childrenOf(run.child.pid as number)
      .filter((c) => /redis-server|ferretdb/.test(c.comm))
      .map((c) => c.pid);
    const call = async (method: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    const draft = await event('demo.case', (r) => r.state === 'draft');
    const id = encodeURIComponent(String(draft.id));
    const shown = await call('GET', `/api/v1/reports/cases/${id}`);
    expect(shown.status).toBe(200);
    const kase = shown.body.case as { kind: string; targets: Array<{ url: string }>; evidence: { predecessor?: { handle: string } } };
    expect(kase.kind).toBe('resurfaced');
    expect(kase.targets.map((t) => t.url)).toEqual(['https://t.me/sim_alpha_news2']);
    expect(kase.evidence.predecessor?.handle).toBe('sim_alpha_news');
    // nothing leaves before an analyst approves
    expect(run.records.filter((r) => r.event === 'demo.report_received')).toEqual([]);

    expect((await call('POST', `/api/v1/reports/cases/${id}/approve`)).status).toBe(200);
    expect((await call('POST', `/api/v1/reports/cases/${id}/send`)).status).toBe(200);
    const received = await event('demo.report_received');
    expect(received).toMatchObject({ to: ['abuse@telegram.sim'], url: 'https://t.me/sim_alpha_news2', action: 'takedown_scheduled' });
    await event('demo.case', (r) => r.id === draft.id && r.state === 'offline');
    expect(run.records.filter((r) => r.event === 'demo.report_received' && r.url === 'https://t.me/sim_alpha_news2')).toHaveLength(1);

    const score = await call('GET', '/api/v1/reports/scorecard?platform=telegram');
    const tg = (
      score.body.platforms as Array<{ platform: string; reported: number; offline: number; reportToOffline: { count: number; p50Hours?: number } }>
    )[0];
    expect(tg).toMatchObject({ platform: 'telegram', reported: 1, offline: 1 });
    expect(tg?.reportToOffline.count).toBe(1);
    // the analyst's mails went to the demo's mail log, not to the platform's desk
    expect(run.records.some((r) => r.event === 'demo.mail' && Array.isArray(r.to) && r.to.includes('analyst@example.org'))).toBe(true);

    process.kill(-(run.child.pid as number), 'SIGINT');
    const exit = await Promise.race([run.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000).unref())]);
    expect(exit === 'timeout' ? exit : { code: exit.code }).toEqual({ code: 0 });
  }, 300_000);
});
