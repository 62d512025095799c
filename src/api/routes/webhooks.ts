import { z } from 'zod';
import { webhookDeliveries } from '../../share/webhooks/outbox';
import type { Api, ApiDeps } from '../types';
import { errors, keyParam } from '../schemas';

const deadLetter = z.object({
  id: z.string(),
  subscription: z.string(),
  eventId: z.string(),
  kind: z.string(),
  attempts: z.number(),
  lastError: z.string().optional(),
  lastStatus: z.number().optional(),
  createdAt: z.string(),
  deadAt: z.string().optional(),
  payload: z.record(z.string(), z.unknown()),
});

/** GET /api/v1/webhooks/dead-letters (analyst): deliveries given up, newest first. */
export function registerWebhookRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/api/v1/webhooks/dead-letters',
    {
      config: { role: 'analyst' },
      schema: {
        tags: ['sharing'],
        summary:
          'Webhook deliveries given up (attempts spent, the URL refused by the egress policy, or the subscription removed), newest first, with the last error and the payload',
        querystring: z
          .object({
            subscription: keyParam(64).optional().describe('one subscription (its name)'),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(deadLetter) }), ...errors },
      },
    },
    async (req) => {
      const filter = { status: 'dead' as const, ...(req.query.subscription ? { subscription: req.query.subscription } : {}) };
      const docs = await webhookDeliveries(deps.store).find(filter).sort({ deadAt: -1 }).limit(req.query.limit).toArray();
      return {
        items: docs.map((d) => ({
          id: d._id,
          subscription: d.subscription,
          eventId: d.eventId,
          kind: d.kind,
          attempts: d.attempts,
          ...(d.lastError ? { lastError: d.lastError } : {}),
          ...(d.lastStatus !== undefined ? { lastStatus: d.lastStatus } : {}),
          createdAt: d.createdAt.toISOString(),
          ...(d.deadAt ? { deadAt: d.deadAt.toISOString() } : {}),
          payload: parseBody(d.body),
        })),
      };
    },
  );
}

function parseBody(body: string): Record<string, unknown> {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { raw: body };
  }
}
