import type { Collection } from 'mongodb';
import { collectionOf, type HasDb } from '../db-handle';

/** The webhook outbox (src/share/webhooks/: `enqueueWebhooks` fills it, the deliverer empties it). */
export const WEBHOOK_DELIVERIES = 'webhook_deliveries';

/** One event to one subscription (`webhook_deliveries`, `_id` `<subscription>:<event id>`). */
export interface WebhookDeliveryDoc {
  _id: string;
  subscription: string;
  eventId: string;
  /** The event kind (src/share/webhooks/types.ts WebhookKind). */
  kind: string;
  /** The exact body signed and sent on every attempt. */
  body: string;
  /** `dead`: given up (attempts spent, the URL refused by the egress policy, or the subscription removed). */
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil?: Date;
  lastError?: string;
  /** HTTP status of the last answer. */
  lastStatus?: number;
  createdAt: Date;
  deliveredAt?: Date;
  deadAt?: Date;
}

export function webhookDeliveriesCollection(store: HasDb): Collection<WebhookDeliveryDoc> {
  return collectionOf<WebhookDeliveryDoc>(store, WEBHOOK_DELIVERIES);
}
