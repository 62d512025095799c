import * as cheerio from 'cheerio';
import type { ChannelKind, ChannelStatus } from '../types';
import { parseCount } from './parse-helpers';
import { DEFAULT_MAX_HTML_DEPTH, assertNestingDepth } from '../nesting-depth';

/** What a `t.me/<handle>` page says the handle is. */
export type StatusPageKind = 'channel' | 'group' | 'user' | 'bot' | 'not_found' | 'removed' | 'private';

export interface StatusPage {
  /** channel (with a public preview), group, user, bot, not found, removed (banner), or private (channel, no preview). */
  what: StatusPageKind;
  status: ChannelStatus;
  kind?: ChannelKind;
  detail?: string;
  title?: string;
  /** Subscribers of a channel, members of a group. */
  subscribers?: number;
}

const BANNER = /(can[’'`]?t|cannot|can not) be displayed because it (violated|was used)|violated (local laws|telegram'?s terms)/i;

/** "11 286 994 subscribers" → 11286994; "97 957 members, 4 138 online" → 97957 (the unit is a word: "m" is no millions). */
function countBefore(text: string, unit: RegExp): number | undefined {
  const re = new RegExp(String.raw`(\d[\d\s\u00a0\u202f.,]*?)\s*([KMB])?\s+(?:${unit.source})\b`, 'i');
  const m = re.exec(text);
  if (!m) return undefined;
  return parseCount(`${(m[1] ?? '').trim()}${m[2] ?? ''}`);
}

/** Title without the verified mark (it sits in its own `<i class="verified-icon">`, and a stray ✔ is dropped too). */
function titleOf($: cheerio.CheerioAPI): string | undefined {
  const el = $('.tgme_page_title').first();
  if (!el.length) return undefined;
  const span = el.find('span[dir]').first();
  const raw = span.length ? span.text() : el.clone().find('.verified-icon').remove().end().text();
  const t = raw
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/\s*[✔✓☑️]+\s*$/u, '')
    .trim();
  return t || undefined;
}

/**
 * Classifies a `t.me/<handle>` page (pure): a channel (active when the page links its `/s/` preview, else private),
 * a group, a user, a bot, an unused name (no title), or a channel Telegram blocked (the banner). Groups, users and
 * bots have no t.me/s post list: their status is `not_channel`, with `kind` saying which. Markup nested deeper than
 * `maxDepth`: ParseError.
 */
export function classifyStatusPage(html: string, maxDepth: number = DEFAULT_MAX_HTML_DEPTH, url?: string): StatusPage {
  assertNestingDepth(html, maxDepth, 'Telegram status page', url ? { url } : {});
  const $ = cheerio.load(html, { scriptingEnabled: false });
  const candidates = [$('.tgme_page_description').text(), $('.tgme_page_additional').text(), $('meta[property="og:description"]').attr('content') ?? ''];
  const banner = candidates.map((t) => t.replace(/\s+/g, ' ').trim()).find((t) => BANNER.test(t));
  const title = titleOf($);
  const extras = $('.tgme_page_extra')
    .map((_, el) =>
      $(el)
        .text()
        .replace(/[\s\u00a0]+/g, ' ')
        .trim(),
    )
    .get()
    .filter(Boolean);
  const extra = extras.join(' | ');
  const subscribers = countBefore(extra, /subscribers?/);
  const members = countBefore(extra, /members?/);
  const action = $('.tgme_page_action a').first().text().trim().toLowerCase();
  const pageTitle = $('title').first().text().trim();
  const withTitle = title ? { title } : {};

  if (banner) {
    return {
      what: 'removed',
      status: 'removed',
      kind: members !== undefined ? 'group' : 'channel',
      detail: banner,
      ...withTitle,
      ...(subscribers !== undefined ? { subscribers } : {}),
    };
  }
  if (!title) return { what: 'not_found', status: 'not_found', detail: 'no account with this handle' };
  if (members !== undefined) {
    return {
      what: 'group',
      status: 'not_channel',
      kind: 'group',
      detail: 'public group: its messages cannot be read through t.me/s',
      title,
      subscribers: members,
    };
  }
  if (subscribers !== undefined || /^telegram: view @/i.test(pageTitle)) {
    const preview = $('a.tgme_page_context_link[href*="/s/"]').length > 0;
    if (preview) return { what: 'channel', status: 'active', kind: 'channel', title, ...(subscribers !== undefined ? { subscribers } : {}) };
    return {
      what: 'private',
      status: 'private',
      kind: 'channel',
      detail: 'channel exists but has no public preview',
      title,
      ...(subscribers !== undefined ? { subscribers } : {}),
    };
  }
  if (/monthly users/i.test(extra) || action === 'start bot' || /^telegram: launch @/i.test(pageTitle)) {
    return { what: 'bot', status: 'not_channel', kind: 'bot', detail: 'a bot, not a channel', title };
  }
  return { what: 'user', status: 'not_channel', kind: 'user', detail: 'a user account, not a channel', title };
}
