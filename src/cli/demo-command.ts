import { resolve } from 'node:path';
import { repoRoot } from '../app/runtime-settings';
import { openRuntime, type Runtime } from '../app/runtime';
import { loadScenario } from '../simulator/scenario';
import { startSimulator, type SimulatorHandle } from '../simulator/server';
import type { AbuseDesk, ReceivedReport } from '../simulator/abuse-desk';
import { startApi, type RunningApi } from '../api/start-api';
import { hashToken, newToken } from '../api/auth';
import type { Settings } from '../config/schema';
import type { ShutdownStep } from '../ops/shutdown';
import type { CaseState } from '../core/report-case';
import { listCases } from '../store/repos/report-cases';
import { log, onShutdown, opt, runRoles, settingsFor, type Command } from './cli-process';

/**
 * `hydrawatch demo`: the whole loop offline. The platform simulator plays its scenario; the simulated platforms' abuse
 * desks (one SMTP server) receive the report mails and take reported targets down; hydrawatch crawls, detects, opens
 * draft report cases and re-checks what was reported; the API and dashboard serve it all. An analyst still approves
 * and sends each case (the console says how): nothing is reported without a person.
 */
interface DemoParts {
  sim?: SimulatorHandle;
  clock?: NodeJS.Timeout;
  desk?: AbuseDesk;
  rt?: Runtime;
  roleSteps: ShutdownStep[];
  api?: RunningApi;
  caseWatch?: NodeJS.Timeout;
}

function describeActions(a: ReadonlyArray<{ action: string; channel?: unknown }>): string {
  return a.map((x) => `${x.action}${typeof x.channel === 'string' ? ` ${x.channel}` : ''}`).join(', ');
}

async function startDemoSimulator(parts: DemoParts, args: string[]): Promise<SimulatorHandle> {
  const scenario = loadScenario(resolve(repoRoot(), 'config/scenarios/demo.yaml'));
  const sim = await startSimulator({ scenario, port: Number(opt(args, 'sim-port') ?? 8730) });
  parts.sim = sim;
  log(`demo: simulator on ${sim.url} (synthetic channels, feeds, forum, JS page)`);
  const every = Number(opt(args, 'advance-every') ?? 20);
  parts.clock = setInterval(() => {
    const a = sim.advance();
    if (a) log(`demo: simulator step ${sim.step}: ${describeActions(a)}`, { event: 'demo.step', step: sim.step });
  }, every * 1000);
  return sim;
}

/** The platforms' abuse addresses configured in `reporting.platforms.*.to` (the demo config names the simulator's). */
function deskAddresses(settings: Settings): string[] {
  const platforms = settings.reporting.platforms as Record<string, { to?: string[] }>;
  return [...new Set(Object.values(platforms).flatMap((p) => p.to ?? []))];
}

function logReport(r: ReceivedReport, takedownAfterS: number): void {
  for (const u of r.urls.filter((x) => x.action !== 'unknown'))
    log(
      `demo: abuse desk ${r.to.join(', ')} received a report for ${u.url}: ${u.action === 'ignored' ? 'the platform ignores it' : `taken down in ${takedownAfterS} s`}`,
      { event: 'demo.report_received', to: r.to, url: u.url, action: u.action },
    );
}

/**
 * The simulated abuse desks on their own SMTP server. With no SMTP server configured, hydrawatch's mail goes there: the
 * report mails to the configured platform addresses, and analysts' alert mails (logged, as a mail catcher would show them).
 */
async function startDemoDesk(parts: DemoParts, sim: SimulatorHandle, settings: Settings, args: string[]): Promise<Settings> {
  const addresses = deskAddresses(settings);
  if (settings.alerts.smtpUrl || !addresses.length) return settings;
  const { startAbuseDesk } = await import('../simulator/abuse-desk');
  const takedownAfterS = Number(opt(args, 'takedown-after') ?? 45);
  const ignore = (opt(args, 'ignore') ?? '').split(',').filter(Boolean);
  parts.desk = await startAbuseDesk(sim.world, sim.url, {
    addresses,
    takedownAfterMs: takedownAfterS * 1000,
    ignore,
    onReport: (r) => logReport(r, takedownAfterS),
    onOther: (m) => log(`demo: mail to ${m.to.join(', ')}: ${m.subject}`, { event: 'demo.mail', to: m.to, subject: m.subject }),
  });
  log(`demo: mail goes to the simulated platforms' abuse desks at ${parts.desk.smtpUrl} (reports to ${addresses.join(', ')}; other mail is logged here)`);
  return { ...settings, alerts: { ...settings.alerts, smtpUrl: parts.desk.smtpUrl } };
}

const CASE_HINTS: Partial<Record<CaseState, (id: string) => string>> = {
  draft: (id) =>
    `approve and send it in the dashboard (Report cases), or: node dist/src/cli/main.js reports approve ${id} && node dist/src/cli/main.js reports send ${id}`,
  approved: () => 'send it to put the report mail in the outbox',
  sent: () => 'the platform has the report; re-checks follow it until offline',
  offline: () => 'see the Scorecard view, or: node dist/src/cli/main.js reports scorecard',
  still_online: () => 'still online after the due time: a report_overdue alert was raised',
};

/** Logs each report case's state changes (a bounded read of the newest 20 cases every 3 s), with the next step. */
function watchCases(rt: Runtime): NodeJS.Timeout {
  const seen = new Map<string, CaseState>();
  return setInterval(() => {
    void listCases(rt.store, { page: 1, pageSize: 20 })
      .then(({ items }) => {
        for (const c of items) {
          if (seen.get(c._id) === c.state) continue;
          seen.set(c._id, c.state);
          const hint = CASE_HINTS[c.state]?.(c._id);
          log(`demo: report case ${c._id} is ${c.state}${hint ? `: ${hint}` : ''}`, { event: 'demo.case', id: c._id, state: c.state });
        }
      })
      .catch((err: unknown) => log(`demo: reading report cases failed: ${(err as Error).message}`, { level: 'warn', event: 'demo.case_error' }));
  }, 3000);
}

async function startDemoApi(rt: Runtime, configDir: string, args: string[]): Promise<RunningApi | undefined> {
  // a one-off analyst token when none is configured, so the dashboard works out of the box
  const demoToken = rt.settings.api.tokens.length || process.env.HYDRAWATCH_API_TOKENS ? undefined : newToken();
  const api = await startApi(rt, configDir, {
    port: Number(opt(args, 'api-port') ?? rt.settings.api.port),
    ...(demoToken ? { extraTokens: [{ name: 'demo', role: 'analyst' as const, sha256: hashToken(demoToken) }] } : {}),
  }).catch((err: unknown) => {
    log(`demo: API not started: ${(err as Error).message}`);
    return undefined;
  });
  if (api)
    log(
      `demo: dashboard ${api.url}/dashboard/${demoToken ? `#token=${demoToken}` : ''}  API ${api.url}/api/v1 (OpenAPI ${api.url}/openapi.json)${demoToken ? `\ndemo: API token for this run (analyst): ${demoToken}` : ''}`,
      { event: 'demo.api', url: api.url, ...(demoToken ? { token: demoToken } : {}) },
    );
  return api;
}

export const demoCommand: Command = async (args, io) => {
  const parts: DemoParts = { roleSteps: [] };
  // what makes work stops first (the clocks, the API, the scheduler), then the workers finish their jobs; the runtime
  // closes every client and then stops the embedded stack; the simulator and its abuse desks go last
  onShutdown(() => [
    { name: 'simulator clock', run: () => clearInterval(parts.clock) },
    { name: 'case watch', run: () => clearInterval(parts.caseWatch) },
    { name: 'api', run: () => parts.api?.close() },
    ...parts.roleSteps,
    { name: 'runtime', run: () => parts.rt?.close() },
    { name: 'abuse desks', run: () => parts.desk?.close() },
    { name: 'simulator', run: () => parts.sim?.close() },
  ]);
  const sim = await startDemoSimulator(parts, args);
  const settings = await startDemoDesk(parts, sim, settingsFor(io.configDir, { demo: true }), args);
  // the re-checks of reported t.me / youtube.com / archive.org URLs read the simulator, unless configured otherwise
  const recheckBaseUrls = { telegram: sim.url, youtube: sim.url, archive: sim.url, ...settings.reporting.recheckBaseUrls };
  const rt = await openRuntime({ configDir: io.configDir, settings: { ...settings, reporting: { ...settings.reporting, recheckBaseUrls } }, log });
  parts.rt = rt;
  parts.roleSteps = await runRoles(rt, io.configDir, { scheduler: true, worker: true });
  parts.api = await startDemoApi(rt, io.configDir, args);
  parts.caseWatch = watchCases(rt);
  return -1;
};
