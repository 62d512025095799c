import { parseTelegramLink } from '../../crawlers/telegram/parse-helpers';
import type { PointedHandle, PointerOrigin } from '../store/repos/handle-pointers';
import type { PostDoc } from '../store/repos/posts';

const HANDLE = /^[A-Za-z0-9_]{4,64}$/;

/** Pure: the Telegram handles these posts point at (mentions, t.me links, forwards), with who and how. */
export function pointersOf(posts: readonly PostDoc[], baseUrl: string): Map<string, PointedHandle> {
  const out = new Map<string, PointedHandle>();
  const add = (h: string | undefined, origin: PointerOrigin, p: PostDoc): void => {
    if (!h || !HANDLE.test(h)) return;
    const k = h.toLowerCase();
    const e = out.get(k) ?? { origins: new Set<PointerOrigin>(), from: new Set<string>(), tags: new Set<string>() };
    e.origins.add(origin);
    e.from.add(p.channelKey);
    (p.tags ?? []).forEach((t) => e.tags.add(t));
    out.set(k, e);
  };
  for (const p of posts) {
    for (const m of p.mentions ?? []) add(m, 'mention', p);
    for (const l of p.links ?? []) add(parseTelegramLink(l, baseUrl).handle, 'link', p);
    add(p.forwardedFrom?.handle, 'forward', p);
  }
  return out;
}
