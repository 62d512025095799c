import type { WEBHOOK_KINDS } from '../../config/webhooks-schema';

export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

/** The JSON body of a delivery (Standard Webhooks' recommended shape: type, timestamp, data). */
export interface WebhookPayload {
  type: WebhookKind;
  /** The event's idempotency id, also sent as `webhook-id`: the same on every attempt and every subscription. */
  id: string;
  timestamp: string;
  data: {
    key: string;
    sourceId: string;
    tags: string[];
    /** The channel the event is about (its first channel), and every channel it names. */
    channel?: string;
    channels: string[];
    /** The alert's facts: names, times, the evidence (never media bytes). */
    evidence: Record<string, unknown>;
    links: Record<string, string>;
  };
}

export type { WebhookDeliveryDoc } from '../../store/repos/webhook-deliveries';
