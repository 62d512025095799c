import type { Settings } from '../config/schema';
import type { ReportCase } from '../core/report-case';
import { enqueueWebhooks } from '../share/webhooks/outbox';
import type { Store } from '../store/store';

/**
 * A case changed state: the `report_case` event to every matching webhook subscription (one delivery per
 * subscription and step: the key holds the case, its state and the step's time). Evidence and URLs only.
 */
export async function caseChanged(store: Store, settings: Settings, c: ReportCase, prev: ReportCase['state'] | undefined): Promise<void> {
  if (c.state === prev || !settings.webhooks.length) return;
  await enqueueWebhooks(store, settings, {
    kind: 'report_case',
    key: `report_case:${c._id}:${c.state}:${c.updatedAt.toISOString()}`,
    sourceId: c.sourceIds[0] ?? '',
    tags: c.tags,
    at: c.updatedAt,
    facts: {
      caseId: c._id,
      platform: c.platform,
      state: c.state,
      ...(prev ? { previousState: prev } : {}),
      urls: c.targets.map((t) => t.url),
      ...(c.targets[0]?.channelKey ? { channelKey: c.targets[0].channelKey } : {}),
      ...(c.reportedAt ? { reportedAt: c.reportedAt } : {}),
      ...(c.offlineAt ? { offlineAt: c.offlineAt } : {}),
      ...(c.ticket ? { ticket: c.ticket } : {}),
    },
  });
}
