import { contentPosts } from '../../core/service-events';
import { mergePointers } from '../../resurface/profile-pointers';
import { pointersOf } from '../../resurface/pointers';
import { recordPointed } from '../../store/repos/handle-pointers';
import { recordPostChecks, type PostTakedownDoc } from '../../store/repos/post-checks';
import { recordPostRollups } from '../../store/post-rollups';
import { upsertMedia, upsertPosts } from '../../store/repos/posts';
import { crashPoint } from '../../util/crash-point';
import { buildMediaDocs, buildPostDoc } from '../docs';
import { sourceLinkBase } from '../../../crawlers/registry';
import type { LandedCrawl, StoredCrawl } from './context';

/**
 * Posts and media references (idempotent upserts), the posts' rollups, the handles the posts point at and those the
 * platform's `profilePointers` hook adds (one write); service messages are events (the state step).
 */
export async function storePosts(crawl: LandedCrawl): Promise<StoredCrawl> {
  const { store, source, snap, channelKey, at, settings, hooks } = crawl;
  const postDocs = contentPosts(crawl.outcome.posts).map((p) =>
    buildPostDoc(p, {
      channelKey,
      sourceId: source.id,
      platform: source.platform,
      handle: snap.handle,
      tags: source.tags,
      crawledAt: at,
      langMinLength: settings.language.minLength,
    }),
  );
  const { inserted } = await upsertPosts(store, postDocs);
  await recordPostRollups(store, postDocs);
  const mediaDocs = postDocs.flatMap(buildMediaDocs);
  await upsertMedia(store, mediaDocs);
  const stored: StoredCrawl = Object.assign(crawl, { postDocs, mediaDocs, inserted });
  const pointed = mergePointers(pointersOf(postDocs, sourceLinkBase(source)), ...(hooks.profilePointers?.(stored) ?? []));
  await recordPointed(store, pointed, at);
  crashPoint('crawl:after-posts');
  return stored;
}

/** Re-checks of known posts (the outcome's `checks`: views, availability): views timeline, takedowns with their reason. */
export async function recordRechecks({ store, channelKey, outcome, at }: StoredCrawl): Promise<PostTakedownDoc[]> {
  return outcome.checks?.length ? await recordPostChecks(store, channelKey, outcome.checks, at) : [];
}
