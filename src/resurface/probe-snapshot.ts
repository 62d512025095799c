import type { CrawlOutcome } from '../../crawlers/types';
import { probeId, type ProbeDoc, type ProbePost } from '../store/repos/probe-cache';
import type { StatusPage } from '../../crawlers/telegram/parse-status-page';

/** Bounds of one stored probe (the document stays small whatever the channel posts). */
export const PROBE_MAX_POSTS = 20;
export const PROBE_MAX_PHOTOS = 12;
export const PROBE_MAX_TEXT = 2000;

/** Pure: a stored probe is reused while younger than `ttlMs` (0: never reused). */
export function isFresh(doc: Pick<ProbeDoc, 'probedAt'> | null | undefined, now: Date, ttlMs: number): boolean {
  return !!doc && ttlMs > 0 && now.getTime() - doc.probedAt.getTime() < ttlMs;
}

/** Pure: a handle whose `t.me/<handle>` page already tells it is no live channel (one request). */
export function probeFromStatusPage(handle: string, page: StatusPage, at: Date): ProbeDoc {
  return {
    _id: probeId(handle),
    handle,
    probedAt: at,
    status: page.status,
    ...(page.kind ? { kind: page.kind } : {}),
    ...(page.detail ? { statusDetail: page.detail } : {}),
    ...(page.title ? { title: page.title } : {}),
    posts: [],
    photos: [],
    requests: 1,
  };
}

/** Pure: the preview page of a live candidate, bounded (latest posts, capped texts). */
export function probeFromCrawl(handle: string, out: CrawlOutcome, at: Date, requests: number): ProbeDoc {
  const c = out.channel;
  const posts = [...out.posts]
    .sort((a, b) => Number(a.postId) - Number(b.postId))
    .slice(-PROBE_MAX_POSTS)
    .map((p): ProbePost => ({ postId: p.postId, text: p.text.slice(0, PROBE_MAX_TEXT), ...(p.publishedAt ? { publishedAt: p.publishedAt } : {}) }));
  return {
    _id: probeId(handle),
    handle,
    probedAt: at,
    status: c.status,
    ...(c.kind ? { kind: c.kind } : {}),
    ...(c.statusDetail ? { statusDetail: c.statusDetail } : {}),
    ...(c.platformId ? { platformId: c.platformId } : {}),
    ...(c.title ? { title: c.title } : {}),
    ...(c.description ? { description: c.description } : {}),
    ...(c.avatarUrl ? { avatarUrl: c.avatarUrl } : {}),
    posts,
    photos: [],
    requests,
  };
}

/** Pure: the photo URLs of a crawl worth hashing for the shared-media signal (the first ones, bounded). */
export function photoUrls(out: CrawlOutcome): string[] {
  return out.posts.flatMap((p) => p.media.filter((m) => m.kind === 'photo' && m.url).map((m) => m.url as string)).slice(0, PROBE_MAX_PHOTOS);
}
