import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ConfigError } from '../../config/format-issues';
import { loadSourcesFile } from '../../config/load-sources';
import { CASE_STATES, CaseTransitionError, REPORT_PLATFORMS, type ReportCase } from '../../core/report-case';
import { approveCase, CaseConflictError, CaseNotFoundError, recordSentManually, sendCase, withdrawCase, type ReportDeps } from '../../reports/lifecycle';
import { openCase } from '../../reports/open-cases';
import { buildPack, PACK_FORMATS, PACK_VARIANTS, renderPack } from '../../reports/packs';
import { recipientsFor, ReportingConfigError } from '../../reports/recipients';
import { caseInputForRequest, CaseRequestError } from '../../reports/request';
import { UnknownPlatformUrlError } from '../../reports/targets';
import { caseSubjectReads, getCase, listCases } from '../../store/repos/report-cases';
import type { Api, ApiDeps } from '../types';
import { docSchema, errors, keyParam, withIsoDates } from '../schemas';

const caseErrors = { ...errors, 409: errors[404], 422: errors[400] };
const idParam = z.object({ id: keyParam(600).describe('case id (its primary target id, e.g. telegram:channel:tg:123)') });
/**
 * Free text stored with a case: other control characters than line breaks and tabs become U+FFFD (PostgreSQL under
 * FerretDB refuses NUL). Replaced rather than refused: a pattern on a 4,000-character field makes every schema-driven
 * client (and fuzzer) generate against a regular expression, and nothing of the analyst's note is lost but the
 * control characters.
 */
// eslint-disable-next-line no-control-regex -- replacing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const text = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => s.replace(CONTROL, '\ufffd'));
const noteBody = z.object({ note: text(4000).optional() }).strict();
const caseOut = z.object({ case: docSchema });
const TAG = ['reports'];

/** The answer for an error of the case lifecycle, or undefined for any other error (the server's handler takes it). */
function lifecycleError(err: unknown): { status: number; error: string; message: string } | undefined {
  if (err instanceof CaseNotFoundError) return { status: 404, error: 'not_found', message: err.message };
  if (err instanceof CaseTransitionError || err instanceof CaseConflictError) return { status: 409, error: 'conflict', message: err.message };
  if (err instanceof ReportingConfigError) return { status: 422, error: 'not_configured', message: err.message };
  if (err instanceof UnknownPlatformUrlError) return { status: 422, error: 'unknown_platform', message: err.message };
  if (err instanceof CaseRequestError) return { status: err.status, error: err.status === 404 ? 'not_found' : 'unprocessable', message: err.message };
  return undefined;
}

async function answer(reply: FastifyReply, run: () => Promise<ReportCase>, status = 200): Promise<FastifyReply> {
  try {
    const c = await run();
    return reply.code(status).send({ case: withIsoDates(c) as Record<string, unknown> });
  } catch (err) {
    const e = lifecycleError(err);
    if (!e) throw err;
    return reply.code(e.status).send({ error: e.error, message: e.message });
  }
}

/** The watched web sources (rss, html, browser) by id and URL: a URL on their host belongs to them. */
async function webSources(path: string): Promise<Array<{ id: string; platform: string; url: string }>> {
  try {
    const sources = await loadSourcesFile(path);
    return sources.flatMap((s) => ('url' in s && typeof s.url === 'string' ? [{ id: s.id, platform: s.platform, url: s.url }] : []));
  } catch (err) {
    if (err instanceof ConfigError) return [];
    throw err;
  }
}

/**
 * Report cases (docs/reporting.md): researchers read cases and packs; analysts open, approve, send, withdraw and
 * record manual reports. Each step is stored with its time and `token:<name>`.
 */
export function registerReportRoutes(app: Api, deps: ApiDeps): void {
  const rdeps: ReportDeps = { store: deps.store, settings: deps.settings, ...(deps.onReported ? { onReported: deps.onReported } : {}) };
  const by = (name: string | undefined): string => `token:${name ?? 'unknown'}`;

  app.get(
    '/api/v1/reports/cases',
    {
      config: { role: 'researcher' },
      schema: {
        tags: TAG,
        summary: 'Report cases, newest change first, 50 a page',
        querystring: z
          .object({
            state: z.enum(CASE_STATES).optional(),
            platform: z.enum(REPORT_PLATFORMS).optional(),
            page: z.coerce.number().int().min(1).max(10_000).default(1),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(docSchema), page: z.number(), more: z.boolean() }), ...errors },
      },
    },
    async (req) => {
      const r = await listCases(deps.store, { ...req.query, page: req.query.page, pageSize: 50 });
      return { items: r.items.map((c) => withIsoDates(c) as Record<string, unknown>), page: req.query.page, more: r.more };
    },
  );

  app.get(
    '/api/v1/reports/cases/:id',
    {
      config: { role: 'researcher' },
      schema: { tags: TAG, summary: 'One report case: targets, evidence, history', params: idParam, response: { 200: caseOut, ...errors } },
    },
    async (req, reply) => answer(reply, async () => (await getCase(deps.store, req.params.id)) ?? Promise.reject(new CaseNotFoundError(req.params.id))),
  );

  app.get(
    '/api/v1/reports/cases/:id/pack',
    {
      config: { role: 'researcher' },
      schema: {
        tags: TAG,
        summary: "A case's report pack for its platform: plain text (the mail), JSON, or a printable HTML page; variant dsa: the DSA Article 16 notice",
        params: idParam,
        querystring: z.object({ format: z.enum(PACK_FORMATS).default('text'), variant: z.enum(PACK_VARIANTS).default('platform') }).strict(),
        response: { 200: docSchema.describe('the pack as JSON (format=json); text/plain or text/html otherwise'), ...errors },
      },
    },
    async (req, reply) => {
      const c = await getCase(deps.store, req.params.id);
      if (!c) return reply.code(404).send({ error: 'not_found', message: new CaseNotFoundError(req.params.id).message });
      const { to, cc } = recipientsFor(deps.settings, c);
      const pack = buildPack({ case: c, variant: req.query.variant, notifier: deps.settings.reporting.notifier, to, cc });
      reply.header('cache-control', 'private, no-store');
      if (req.query.format === 'json') return withIsoDates(pack) as Record<string, unknown>;
      return reply.type(`${req.query.format === 'html' ? 'text/html' : 'text/plain'}; charset=utf-8`).send(renderPack(pack, req.query.format) as never); // text, not serialized
    },
  );
  registerCaseSteps(app, deps, rdeps, by);
}

function registerCaseSteps(app: Api, deps: ApiDeps, rdeps: ReportDeps, by: (name: string | undefined) => string): void {
  app.post(
    '/api/v1/reports/cases',
    {
      config: { role: 'analyst' },
      schema: {
        tags: TAG,
        summary:
          'Open a case (analysts) for a channel, a post or a media cluster (its sightings on one platform); a second case for the same target merges into the open one',
        body: z
          .object({
            channel: keyParam(2000).optional().describe('stored channel key (tg:123), @handle or channel URL'),
            post: keyParam(2000).optional().describe('stored post key or post URL'),
            cluster: z
              .string()
              .regex(/^mc:[0-9a-f]{4,64}$/)
              .optional()
              .describe('media cluster id'),
            platform: z.enum(REPORT_PLATFORMS).optional(),
            note: text(4000).optional(),
          })
          .strict(),
        response: { 200: caseOut.extend({ outcome: z.string() }), 201: caseOut.extend({ outcome: z.string() }), ...caseErrors },
      },
    },
    async (req, reply) => {
      try {
        const input = await caseInputForRequest(
          caseSubjectReads(deps.store),
          { ...req.body, by: by(req.principal?.name), at: new Date() },
          await webSources(deps.sourcesPath),
        );
        const r = await openCase(deps.store, input);
        return reply.code(r.outcome === 'created' ? 201 : 200).send({ case: withIsoDates(r.case) as Record<string, unknown>, outcome: r.outcome });
      } catch (err) {
        const e = lifecycleError(err);
        if (!e) throw err;
        return reply.code(e.status).send({ error: e.error, message: e.message });
      }
    },
  );

  const step = (path: string, summary: string, body: z.ZodType, run: (id: string, who: string, b: Record<string, unknown>) => Promise<ReportCase>): void => {
    app.post(
      `/api/v1/reports/cases/:id/${path}`,
      { config: { role: 'analyst' }, schema: { tags: TAG, summary, params: idParam, body: body.optional(), response: { 200: caseOut, ...caseErrors } } },
      async (req, reply) => answer(reply, () => run(req.params.id, by(req.principal?.name), (req.body ?? {}) as Record<string, unknown>)),
    );
  };
  const note = (b: Record<string, unknown>): string | undefined => (typeof b.note === 'string' ? b.note : undefined);
  step('approve', 'Approve a draft case, or re-approve one still online (analysts)', noteBody, (id, who, b) => approveCase(rdeps, id, who, note(b)));
  step(
    'send',
    "Queue an approved case's report mail in the outbox; the case becomes sent when the mail is delivered (analysts)",
    z.object({}).strict(),
    (id, who) => sendCase(rdeps, id, who),
  );
  step('withdraw', 'Withdraw a case (analysts); a report mail not yet on its way is dropped', noteBody, (id, who, b) => withdrawCase(rdeps, id, who, note(b)));
  step(
    'sent-manually',
    'Record that an approved case was reported by hand (in-app, web form), with the ticket number (analysts)',
    z.object({ ticket: keyParam(200).optional(), note: text(4000).optional() }).strict(),
    (id, who, b) => recordSentManually(rdeps, id, who, typeof b.ticket === 'string' ? b.ticket : undefined, note(b)),
  );
}
