import { createHash } from 'node:crypto';
import type { Settings } from '../../config/schema';
import type { Store } from '../../store/store';
import { webhookDeliveriesCollection } from '../../store/repos/webhook-deliveries';
import type { WebhookDeliveryDoc, WebhookKind, WebhookPayload } from './types';

/** What happened, as the alert outbox knows it (an `AlertDraft`, or a report-case change). */
export interface WebhookEvent {
  kind: WebhookKind;
  /** The event's natural key (an alert's deduplication key): the same event never goes out twice. */
  key: string;
  sourceId: string;
  tags: string[];
  at: Date;
  facts: Record<string, unknown>;
}

export type WebhookSubscription = Settings['webhooks'][number];

export function webhookDeliveries(store: Store) {
  return webhookDeliveriesCollection(store);
}

/** The idempotency id of an event: `msg_` and 32 hex of the SHA-256 of its key (the `webhook-id` header). */
export function webhookEventId(key: string): string {
  return `msg_${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** Pure: the subscriptions an event goes to (kind, then tags and sources when given), as alert rules match. */
export function matchingWebhooks(e: WebhookEvent, subs: readonly WebhookSubscription[]): WebhookSubscription[] {
  return subs.filter(
    (s) =>
      s.kinds.includes(e.kind) && (s.tags.length === 0 || s.tags.some((t) => e.tags.includes(t))) && (s.sources.length === 0 || s.sources.includes(e.sourceId)),
  );
}

function eventChannels(facts: Record<string, unknown>): string[] {
  const keys = [facts.channelKey, facts.predecessor, facts.successor, facts.originChannelKey].filter((k): k is string => typeof k === 'string' && k.length > 0);
  return [...new Set(keys)];
}

/** Pure: the body of an event's deliveries, with links back into the API (`alerts.dashboardUrl` is the base). */
export function webhookPayload(e: WebhookEvent, apiBase: string): WebhookPayload {
  const base = apiBase.replace(/\/+$/, '');
  const channels = eventChannels(e.facts);
  const links: Record<string, string> = {};
  const first = channels[0];
  if (first) links.channel = `${base}/api/v1/channels/${encodeURIComponent(first)}`;
  if (typeof e.facts.successor === 'string') links.successor = `${base}/api/v1/channels/${encodeURIComponent(e.facts.successor)}`;
  if (typeof e.facts.clusterId === 'string') links.cluster = `${base}/api/v1/clusters/${encodeURIComponent(e.facts.clusterId)}`;
  if (e.kind !== 'report_case') links.alerts = `${base}/api/v1/alerts?kind=${e.kind}`;
  return {
    type: e.kind,
    id: webhookEventId(e.key),
    timestamp: e.at.toISOString(),
    data: { key: e.key, sourceId: e.sourceId, tags: e.tags, ...(first ? { channel: first } : {}), channels, evidence: e.facts, links },
  };
}

/**
 * Stores one pending delivery per matching subscription (`<subscription>:<event id>`, an idempotent upsert: a second
 * raise of the same event is a no-op). Returns how many were added.
 */
export async function enqueueWebhooks(store: Store, settings: Settings, e: WebhookEvent): Promise<number> {
  const subs = matchingWebhooks(e, settings.webhooks);
  if (!subs.length) return 0;
  const payload = webhookPayload(e, settings.alerts.dashboardUrl);
  const body = JSON.stringify(payload);
  let added = 0;
  for (const s of subs) {
    const doc: WebhookDeliveryDoc = {
      _id: `${s.name}:${payload.id}`,
      subscription: s.name,
      eventId: payload.id,
      kind: e.kind,
      body,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: e.at,
      createdAt: e.at,
    };
    const r = await webhookDeliveries(store).updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
    added += r.upsertedCount;
  }
  return added;
}

/** Indexes of the deliverer's reads (due pending, dead letters). Idempotent. */
export async function ensureWebhookIndexes(store: Store): Promise<void> {
  await webhookDeliveries(store).createIndex({ status: 1, nextAttemptAt: 1 }, { name: 'status_next' });
  await webhookDeliveries(store).createIndex({ status: 1, deadAt: -1 }, { name: 'status_dead' });
}
