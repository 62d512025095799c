import { parseTelegramLink } from '../../crawlers/telegram/parse-helpers';
import type { ParsedPost } from '../../crawlers/types';
import type { PointedHandle, PointerOrigin } from '../store/repos/handle-pointers';

/**
 * Handles a channel names outside its posts (pure): in its description ("Backup: @alpha_backup",
 * "t.me/alpha_news") and in the quote of its pinned message (the "… pinned «…»" service notice). The page gives
 * both as plain text (crawlers/telegram: `ChannelSnapshot.description`, `ServiceInfo.pinnedText`); the pinned post
 * itself, when it is on the page, is a post like the others and `pointersOf` already reads its mentions and links.
 * Same shape as `pointersOf`, so the two merge into one day's pointer document.
 */
const HANDLE = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;
const MENTION = /(^|[^A-Za-z0-9_@/.])@([A-Za-z][A-Za-z0-9_]{3,31})(?![A-Za-z0-9_])/g;
const LINK = /\b(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me)\/(?:s\/)?[A-Za-z0-9_]{3,64}(?:\/\d+)?/gi;

/** @mentions and t.me links in a plain text (lowercase handles; Telegram's own paths such as joinchat, addstickers are left out). */
export function handlesInText(text: string, baseUrl = 'https://t.me'): { mentions: string[]; links: string[] } {
  const mentions = new Set<string>();
  const links = new Set<string>();
  for (const m of text.matchAll(MENTION)) mentions.add((m[2] as string).toLowerCase());
  for (const m of text.matchAll(LINK)) {
    const href = /^https?:/i.test(m[0]) ? m[0] : `https://${m[0]}`;
    const h = parseTelegramLink(href, baseUrl).handle;
    if (h && HANDLE.test(h) && !RESERVED.has(h.toLowerCase())) links.add(h.toLowerCase());
  }
  return { mentions: [...mentions], links: [...links] };
}

/** t.me paths that are not channels. */
const RESERVED = new Set([
  'joinchat',
  'addstickers',
  'addemoji',
  'share',
  'proxy',
  'socks',
  'iv',
  'login',
  'addlist',
  'boost',
  'setlanguage',
  'contact',
  'invoice',
]);

export interface ProfileTexts {
  channelKey: string;
  tags?: readonly string[];
  /** Own handle: a channel that names itself points at nothing. */
  handle?: string;
  description?: string;
  /** Quotes of pinned messages from the page's service notices. */
  pinnedTexts?: readonly string[];
}

/** The handles a channel's description and pinned-message quotes point at (mention or link), from that channel. */
export function profilePointers(p: ProfileTexts, baseUrl = 'https://t.me'): Map<string, PointedHandle> {
  const out = new Map<string, PointedHandle>();
  const own = p.handle?.toLowerCase();
  const add = (h: string, origin: PointerOrigin): void => {
    if (h === own) return;
    const e = out.get(h) ?? { origins: new Set<PointerOrigin>(), from: new Set<string>(), tags: new Set<string>() };
    e.origins.add(origin);
    e.from.add(p.channelKey);
    (p.tags ?? []).forEach((t) => e.tags.add(t));
    out.set(h, e);
  };
  for (const text of [p.description ?? '', ...(p.pinnedTexts ?? [])]) {
    const { mentions, links } = handlesInText(text, baseUrl);
    mentions.forEach((h) => add(h, 'mention'));
    links.forEach((h) => add(h, 'link'));
  }
  return out;
}

/** Merges pointer maps (posts' pointers and profile pointers) into one. */
export function mergePointers(...maps: ReadonlyArray<Map<string, PointedHandle>>): Map<string, PointedHandle> {
  const out = new Map<string, PointedHandle>();
  for (const m of maps) {
    for (const [h, e] of m) {
      const cur = out.get(h) ?? { origins: new Set<PointerOrigin>(), from: new Set<string>(), tags: new Set<string>() };
      e.origins.forEach((o) => cur.origins.add(o));
      e.from.forEach((f) => cur.from.add(f));
      e.tags.forEach((t) => cur.tags.add(t));
      out.set(h, cur);
    }
  }
  return out;
}

/**
 * What of a check's profile texts is new (pure): the description when the page gives one that differs from the
 * stored one, and the quotes of the pin notices among the check's posts (a check sees only posts after its cursor,
 * so these are new pins). Undefined when there is nothing new: the caller writes nothing more.
 */
export function newProfileTexts(
  check: { channelKey: string; handle: string; tags?: readonly string[]; description?: string; posts: readonly Pick<ParsedPost, 'service'>[] },
  storedDescription: string | undefined,
): ProfileTexts | undefined {
  const description = check.description !== undefined && check.description !== storedDescription ? check.description : undefined;
  const pinnedTexts = check.posts.flatMap((p) => (p.service?.type === 'pinned' && p.service.pinnedText ? [p.service.pinnedText] : []));
  if (description === undefined && !pinnedTexts.length) return undefined;
  return {
    channelKey: check.channelKey,
    handle: check.handle,
    ...(check.tags?.length ? { tags: check.tags } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(pinnedTexts.length ? { pinnedTexts } : {}),
  };
}

/**
 * The handles a removed channel named in its own stored description ("if we are banned, go to @alpha_reserve"),
 * lowercase, its own handles left out (pure). Candidates of its successor search, whatever the day they were named.
 */
export function namedInDescription(
  ch: { _id: string; handle: string; handles?: readonly string[]; description?: string },
  baseUrl = 'https://t.me',
): Set<string> {
  if (!ch.description) return new Set();
  const own = new Set([ch.handle, ...(ch.handles ?? [])].map((h) => h.toLowerCase()));
  const named = profilePointers({ channelKey: ch._id, handle: ch.handle, description: ch.description }, baseUrl);
  return new Set([...named.keys()].filter((h) => !own.has(h)));
}
