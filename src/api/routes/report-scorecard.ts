import { z } from 'zod';
import { PLATFORMS } from '../../config/schema';
import { timelineFilterFields } from '../../research/query-filter';
import { readScorecard } from '../../reports/scorecard-read';
import { scorecardCsv, transparencyHtml, transparencyMarkdown } from '../../reports/transparency';
import type { Api, ApiDeps } from '../types';
import { errors } from '../schemas';

const period = {
  from: timelineFilterFields.from.describe('first day, inclusive: 2026-11-01, or an ISO time (its UTC day); default: 29 days before `to`'),
  to: timelineFilterFields.to.describe('last day, inclusive: 2026-11-30, or an ISO time (its UTC day); default: today'),
  platform: z.enum(PLATFORMS).optional().describe('one platform (default: all)'),
};

const span = z.object({ count: z.number(), p50Hours: z.number().optional(), p90Hours: z.number().optional() });
const platformScore = z.object({
  platform: z.string(),
  opened: z.number(),
  reported: z.number(),
  offline: z.number(),
  offlinePct: z.number().optional(),
  stillOnline: z.number(),
  withdrawn: z.number(),
  reportToOffline: span,
  firstSeenToOffline: span,
  viewsGained: z.object({ targets: z.number(), total: z.number(), p50: z.number().optional() }),
  stillOnlineTargets: z.array(
    z.object({ caseId: z.string(), url: z.string(), reportedAt: z.string(), hoursSinceReport: z.number(), ticket: z.string().optional() }),
  ),
});
const scorecardSchema = z.object({ from: z.string(), to: z.string(), generatedAt: z.string(), platforms: z.array(platformScore), truncated: z.boolean() });

const attachment = (file: string): string => `attachment; filename="${file}"`;

/** GET /api/v1/reports/scorecard (JSON or CSV) and /api/v1/reports/transparency (HTML or Markdown): how each platform answered the reports. */
export function registerScorecardRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/api/v1/reports/scorecard',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['reports'],
        summary:
          'Per platform, for the cases opened in the period: cases, reported, offline (%), p50/p90 hours from report and from first sighting to offline, views gained, and the targets still online',
        querystring: z.object({ ...period, format: z.enum(['json', 'csv']).default('json') }).strict(),
        response: { 200: scorecardSchema, ...errors },
      },
    },
    async (req, reply) => {
      const s = await readScorecard(deps.store, req.query, new Date());
      if (req.query.format === 'csv')
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', attachment(`hydrawatch-scorecard-${s.from}-${s.to}.csv`))
          .serializer((p: unknown) => String(p))
          .send(scorecardCsv(s) as never);
      return s;
    },
  );
  app.get(
    '/api/v1/reports/transparency',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['reports'],
        summary: 'A printable transparency report for the period: the scorecard with its method, and the targets still online',
        querystring: z.object({ ...period, format: z.enum(['html', 'md']).default('html') }).strict(),
        response: { 200: z.string(), ...errors },
      },
    },
    async (req, reply) => {
      const s = await readScorecard(deps.store, req.query, new Date());
      if (req.query.format === 'md')
        return reply
          .type('text/markdown; charset=utf-8')
          .header('content-disposition', attachment(`hydrawatch-transparency-${s.from}-${s.to}.md`))
          .serializer((p: unknown) => String(p))
          .send(transparencyMarkdown(s) as never);
      return reply
        .type('text/html; charset=utf-8')
        .serializer((p: unknown) => String(p))
        .send(transparencyHtml(s) as never);
    },
  );
}
