import { z } from 'zod';
import { smtpTransport } from '../../alerts/sender';
import { metricsText } from '../../ops/metrics';
import { runReadyChecks, type ReadyCheck } from '../../ops/readiness';
import { pingStore } from '../../store/store';
import type { Api, ApiDeps } from '../types';
import { errors } from '../schemas';

const checkSchema = z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() });
const readySchema = z.object({ ok: z.boolean(), checks: z.record(z.string(), checkSchema) });
const notReadySchema = readySchema.extend({ error: z.string(), message: z.string() });

/** What `/ready` checks: the store always, Redis when the API has a connection, SMTP when one is configured. */
function readyChecks(deps: ApiDeps): ReadyCheck[] {
  const checks: ReadyCheck[] = [{ name: 'store', check: () => pingStore(deps.store) }];
  const { redis } = deps;
  if (redis) checks.push({ name: 'redis', check: () => redis.ping() });
  const smtp = deps.settings.alerts.smtpUrl;
  if (smtp) {
    checks.push({
      name: 'smtp',
      check: async () => {
        const t = smtpTransport(smtp, deps.settings.api.readyTimeoutMs);
        try {
          await t.verify();
        } finally {
          t.close();
        }
      },
    });
  }
  return checks;
}

/**
 * Operations routes: `/health` (liveness: the process answers), `/ready` (its dependencies answer, each within
 * `api.readyTimeoutMs`; 503 names the failing part), `/metrics` (Prometheus text; any API token).
 */
export function registerOpsRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/health',
    {
      schema: { tags: ['operations'], summary: 'Liveness: the API process answers', security: [], response: { 200: z.object({ ok: z.literal(true) }) } },
    },
    async () => ({ ok: true as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: Redis, the store and SMTP (when configured) answer within api.readyTimeoutMs',
        description:
          "Each check runs under a named time limit (`ready.store`, `ready.redis`, `ready.smtp`). 503 when any fails; `message` names the failing parts and `checks` has each one's error.",
        security: [],
        response: { 200: readySchema, 503: notReadySchema },
      },
    },
    async (_req, reply) => {
      const r = await runReadyChecks(readyChecks(deps), deps.settings.api.readyTimeoutMs);
      if (r.ok) return { ok: true, checks: r.checks };
      const detail = r.failing.map((n) => `${n} (${r.checks[n]?.error ?? 'failed'})`).join(', ');
      return reply.code(503).send({ ok: false, error: 'not_ready', message: `not ready: ${detail}`, checks: r.checks });
    },
  );

  app.get(
    '/metrics',
    {
      config: { role: 'researcher' },
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics of this process (text exposition format 0.0.4)',
        description:
          'Checks per source and outcome, check duration, queue depth and wait, stalled jobs, probe budget, media intake time, alerts raised and sent, SMTP failures, store operation latency, last successful check per source, and the Node.js process metrics. Send any API token (Prometheus: `authorization: { credentials: <token> }`).',
        produces: ['text/plain'],
        response: { 200: z.string().describe('Prometheus text format'), 401: errors[401], 429: errors[429] },
      },
    },
    async (_req, reply) => {
      const m = await metricsText();
      return reply.type(m.contentType).send(m.body);
    },
  );
}
