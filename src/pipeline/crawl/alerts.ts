import { raiseAlert } from '../../alerts/outbox';
import type { StatedCrawl } from './context';

/** Alerts for this check's events: a channel removed, and re-checked posts found gone (their takedowns). */
export async function raiseCheckAlerts({ store, settings, source, channelKey, state, events, takedowns }: StatedCrawl): Promise<void> {
  for (const ev of events) {
    if (ev.type === 'removed') {
      await raiseAlert(store, settings, {
        kind: 'removed',
        key: `removed:${channelKey}:${ev.at.toISOString()}`,
        sourceId: source.id,
        tags: source.tags,
        at: ev.at,
        facts: { channelKey, handle: state.handle, at: ev.at, detail: ev.data.detail, timeToTakedownMs: ev.data.timeToTakedownMs },
      });
    }
  }
  for (const t of takedowns) {
    await raiseAlert(store, settings, {
      kind: 'removed',
      key: `removed:${t.postKey}`,
      sourceId: source.id,
      tags: source.tags,
      at: t.removedAt,
      facts: { channelKey, postKey: t.postKey, platform: t.platform, reason: t.reason, detail: t.reasonText, timeToTakedownMs: t.timeToTakedownMs },
    });
  }
}
