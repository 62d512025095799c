import type { ServiceInfo } from '../types';

const RENAMED = /^channel (?:name|title) (?:was )?changed to\s+[«"“„']?(.*?)[»"”“']?\s*$/is;

/**
 * What a service message says (pure). Telegram prints them as plain sentences in the message text:
 * "Channel created", "Channel name was changed to «New title»", "Channel photo updated", "Channel photo removed",
 * "<channel> pinned «…»" (the channel name in an `a.tgme_widget_message_author_name`, the quote in a
 * `span.tgme_widget_service_strong_text`) / "<channel> pinned a photo". `pinnedPostId` comes from a link to the pinned
 * message, when the page gives one.
 */
export function classifyServiceText(text: string, pinnedPostId?: string): ServiceInfo {
  const t = text.replace(/\s+/g, ' ').trim();
  if (/^channel created\b/i.test(t)) return { type: 'channel_created' };
  const renamed = RENAMED.exec(t);
  if (renamed) {
    const title = (renamed[1] ?? '').trim();
    return { type: 'title_changed', ...(title ? { title } : {}) };
  }
  if (/^channel photo (?:updated|changed)\b/i.test(t)) return { type: 'photo_changed' };
  if (/^channel photo (?:removed|deleted)\b/i.test(t)) return { type: 'photo_removed' };
  if (/\bpinned\b/i.test(t)) {
    const quoted = /\bpinned\s+«(.*)»\s*$/is.exec(t)?.[1]?.trim();
    return { type: 'pinned', ...(pinnedPostId ? { pinnedPostId } : {}), ...(quoted ? { pinnedText: quoted } : {}) };
  }
  return { type: 'other' };
}
