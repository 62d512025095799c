import { watchedChannelOffline, watchedPostOffline } from '../../reports/offline';
import { offlineHowFromReason, type OfflineHow } from '../../core/report-case';
import type { StatedCrawl } from './context';

/** A watched channel's state events that take its reported targets offline, and how each was seen. */
const OFFLINE_EVENTS: Partial<Record<string, OfflineHow>> = { removed: 'removed_banner', not_found: 'not_found', private: 'private', not_channel: 'gone' };

/**
 * Reported targets of this channel, and of its re-checked posts, that this check saw go offline (watched channels
 * need no re-check jobs: their own checks close their report cases). Runs only on a check with such events.
 */
export async function closeReportedTargets({ store, channelKey, events, takedowns }: StatedCrawl): Promise<void> {
  for (const ev of events) {
    const how = OFFLINE_EVENTS[ev.type];
    const words = typeof ev.data.detail === 'string' ? ev.data.detail : undefined;
    if (how) await watchedChannelOffline(store, channelKey, { at: ev.at, how, ...(words ? { words } : {}) });
  }
  for (const t of takedowns) await watchedPostOffline(store, t.postKey, { at: t.removedAt, how: offlineHowFromReason(t.reason), words: t.reasonText });
}
