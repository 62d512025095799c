import type { MediaJobData } from '../../queue/media-job';
import { crashPoint } from '../../util/crash-point';
import type { StatedCrawl, StoredCrawl } from './context';

/**
 * Texts and media handed on to the media stage before the cursor moves: a crawl retried after a crash sees the same
 * posts again and hands them over again (same job ids), so nothing is lost between the write and the enqueue, and
 * nothing is done twice.
 */
export async function handOffPosts({ postDocs, mediaDocs, source, at, settings, handoff }: StoredCrawl): Promise<void> {
  const texts = postDocs.filter((p) => p.text.trim().length > 0).map((p) => p._id);
  const jobs: MediaJobData[] = texts.length ? [{ kind: 'text', source, postKeys: texts }] : [];
  if (settings.media.enabled && mediaDocs.length) {
    const postAt = new Map(postDocs.map((p) => [p._id, p.publishedAt ?? at]));
    jobs.push(...mediaDocs.map((m): MediaJobData => ({ source, refId: m._id, postAt: (postAt.get(m.postKey) ?? at).toISOString() })));
  }
  if (jobs.length) await handoff.media(jobs);
  crashPoint('crawl:after-handoff');
}

/**
 * The successor search, when the platform's `successorSearch` hook asks for it (a removed channel; a handle that went
 * missing on a channel seen live, to follow a rename): the discovery stage's (queued: this crawl does not wait for it).
 * Its events (inline hand-off) join the check's.
 */
export async function handOffSuccessorSearch(crawl: StatedCrawl): Promise<void> {
  const job = crawl.superseded ? undefined : crawl.hooks.successorSearch?.(crawl);
  if (job) crawl.events.push(...(await crawl.handoff.discovery(job)));
}
