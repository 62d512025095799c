import { REPORTED_CASE_STATES, type ReportCase } from '../core/report-case';
import { percentile } from '../research/percentiles';

/** One target a platform has left online after a report. */
export interface StillOnline {
  caseId: string;
  url: string;
  reportedAt: string;
  hoursSinceReport: number;
  ticket?: string;
}

/** How one platform answered the reports of one period (cases opened in it). Times in hours. */
export interface PlatformScore {
  platform: string;
  opened: number;
  reported: number;
  offline: number;
  /** offline / reported, in %, one decimal; undefined with nothing reported. */
  offlinePct?: number;
  stillOnline: number;
  withdrawn: number;
  reportToOffline: { count: number; p50Hours?: number; p90Hours?: number };
  firstSeenToOffline: { count: number; p50Hours?: number; p90Hours?: number };
  /** Views gained between first seen and offline (or now, for targets still online), where the platform shows views. */
  viewsGained: { targets: number; total: number; p50?: number };
  stillOnlineTargets: StillOnline[];
}

export interface Scorecard {
  from: string;
  to: string;
  generatedAt: string;
  platforms: PlatformScore[];
  /** True when the period held more cases than were read (the figures cover the first `limit` cases). */
  truncated: boolean;
}

const HOUR = 3_600_000;

/** Hours to the thousandth (3.6 s): a platform that acts within seconds (the demo's) does not show as 0. */
function hours(ms: number): number {
  return Math.round((ms / HOUR) * 1000) / 1000;
}

function spread(valuesMs: number[]): { count: number; p50Hours?: number; p90Hours?: number } {
  const s = [...valuesMs].sort((a, b) => a - b);
  const p50 = percentile(s, 50);
  const p90 = percentile(s, 90);
  return { count: s.length, ...(p50 !== undefined ? { p50Hours: hours(p50) } : {}), ...(p90 !== undefined ? { p90Hours: hours(p90) } : {}) };
}

function firstSeen(c: ReportCase): number | undefined {
  const times = c.targets.map((t) => t.firstSeenAt?.getTime()).filter((t): t is number => t !== undefined);
  return times.length ? Math.min(...times) : undefined;
}

/** Pure: one platform's figures from its cases. */
export function platformScore(platform: string, cases: readonly ReportCase[], now: Date): PlatformScore {
  const reported = cases.filter((c) => REPORTED_CASE_STATES.includes(c.state) || (c.state === 'withdrawn' && c.reportedAt));
  const offline = cases.filter((c) => c.state === 'offline' && c.offlineAt);
  const toOffline = offline.filter((c) => c.reportedAt).map((c) => (c.offlineAt as Date).getTime() - (c.reportedAt as Date).getTime());
  const seenToOffline = offline.flatMap((c) => {
    const f = firstSeen(c);
    return f === undefined ? [] : [(c.offlineAt as Date).getTime() - f];
  });
  const gains = cases.flatMap((c) =>
    REPORTED_CASE_STATES.includes(c.state)
      ? c.targets.filter((t) => t.viewsFirstSeen !== undefined && t.viewsNow !== undefined).map((t) => Math.max(0, (t.viewsNow ?? 0) - (t.viewsFirstSeen ?? 0)))
      : [],
  );
  const sortedGains = [...gains].sort((a, b) => a - b);
  const p50Gain = percentile(sortedGains, 50);
  const online = cases
    .filter((c) => c.state === 'sent' || c.state === 'sent_manually' || c.state === 'still_online')
    .flatMap((c) =>
      c.targets
        .filter((t) => !t.offline)
        .map((t) => ({
          caseId: c._id,
          url: t.url,
          reportedAt: (c.reportedAt ?? c.updatedAt).toISOString(),
          hoursSinceReport: hours(now.getTime() - (c.reportedAt ?? c.updatedAt).getTime()),
          ...(c.ticket ? { ticket: c.ticket } : {}),
        })),
    );
  return {
    platform,
    opened: cases.length,
    reported: reported.length,
    offline: offline.length,
    ...(reported.length ? { offlinePct: Math.round((offline.length / reported.length) * 1000) / 10 } : {}),
    stillOnline: cases.filter((c) => c.state === 'still_online').length,
    withdrawn: cases.filter((c) => c.state === 'withdrawn').length,
    reportToOffline: spread(toOffline),
    firstSeenToOffline: spread(seenToOffline),
    viewsGained: { targets: gains.length, total: gains.reduce((a, b) => a + b, 0), ...(p50Gain !== undefined ? { p50: p50Gain } : {}) },
    stillOnlineTargets: online.sort((a, b) => b.hoursSinceReport - a.hoursSinceReport),
  };
}

/** Pure: the scorecard of a period's cases, one row per platform (sorted by name). */
export function scorecard(cases: readonly ReportCase[], period: { from: string; to: string }, now: Date, truncated = false): Scorecard {
  const by = new Map<string, ReportCase[]>();
  for (const c of cases) by.set(c.platform, [...(by.get(c.platform) ?? []), c]);
  return {
    from: period.from,
    to: period.to,
    generatedAt: now.toISOString(),
    platforms: [...by.keys()].sort().map((p) => platformScore(p, by.get(p) ?? [], now)),
    truncated,
  };
}
