import type { Settings } from '../config/schema';
import type { Store } from '../store/store';
import { renderAlert } from './render';
import { emitAlertRaised } from './alert-events';
import type { AlertDraft } from './types';
import { insertAlertIfNew, type AlertDoc } from '../store/repos/alerts';
import { openCasesFor } from '../reports/open-cases';
import { enqueueWebhooks } from '../share/webhooks/outbox';

/** Pure: the rules (and so recipients) an alert goes to. */
export function matchingRules(d: AlertDraft, rules: Settings['alerts']['rules']): Settings['alerts']['rules'] {
  return rules.filter(
    (r) =>
      r.kinds.includes(d.kind) && (r.tags.length === 0 || r.tags.some((t) => d.tags.includes(t))) && (r.sources.length === 0 || r.sources.includes(d.sourceId)),
  );
}

/** Pure: the channel keys an alert is about, from its facts. */
export function alertChannels(d: AlertDraft): string[] {
  const keys = [d.facts.channelKey, d.facts.predecessor, d.facts.successor, d.facts.originChannelKey].filter(
    (k): k is string => typeof k === 'string' && k.length > 0,
  );
  return [...new Set(keys)];
}

/**
 * Stores one pending alert per recipient, deduplicated by key (a second raise of the same key is a no-op), and opens
 * (or merges into) a draft report case when a reporting rule matches (src/reports/open-cases.ts; idempotent per key).
 */
export async function raiseAlert(store: Store, settings: Settings, d: AlertDraft): Promise<number> {
  let added = 0;
  const { subject, text, html } = renderAlert(d, settings.alerts.dashboardUrl);
  for (const rule of matchingRules(d, settings.alerts.rules)) {
    for (const to of rule.to) {
      const doc: AlertDoc = {
        _id: `alert:${d.key}:${to}`,
        key: d.key,
        kind: d.kind,
        rule: rule.name,
        to,
        sourceId: d.sourceId,
        tags: d.tags,
        channels: alertChannels(d),
        subject,
        text,
        html,
        digest: rule.digest,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: d.at,
        createdAt: d.at,
      };
      if (!(await insertAlertIfNew(store, doc))) continue;
      added += 1;
      emitAlertRaised({ id: doc._id, key: d.key, kind: d.kind, to, sourceId: d.sourceId });
    }
  }
  if (settings.reporting.rules.length) await openCasesFor(store, settings, d);
  // the same event to every matching webhook subscription (src/share/webhooks/), also when no mail rule matched
  await enqueueWebhooks(store, settings, d);
  return added;
}
