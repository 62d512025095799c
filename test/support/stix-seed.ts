import { timeBuckets } from '../../src/core/time-buckets';
import type { MediaItemDoc, SightingDoc } from '../../src/store/media-types';
import { postTakedowns, type PostTakedownDoc } from '../../src/store/repos/post-checks';
import type { Store } from '../../src/store/store';
import type { ChannelDoc } from '../../src/store/repos/channels';
import type { PostDoc } from '../../src/store/repos/posts';
import type { SourceDoc } from '../../src/store/repos/crawl-state';
import { seedResearchDb, T0 } from './research-seed';

/**
 * The research seed (test/support/research-seed.ts) and what a STIX export needs besides: a YouTube channel ("net-v")
 * with a hostile title, a video with its frame bag and a sighting, and that video found gone (a post takedown).
 * Synthetic names and hashes only.
 */
export const STIX_SEED = {
  videoSha256: 'c0ffee00'.repeat(8),
  frames: ['0f'.repeat(32), 'f0'.repeat(32), 'aa'.repeat(32)],
  hostileTitle: '"},{"type":"malware"}</script><img src=x onerror=alert(1)> \u202e',
  /** Records the seeds hold per kind (the research seed's, plus these). */
  channels: 5,
  posts: 10,
  resurfacings: 2,
  /** Channel takedowns (removed events) and post takedowns. */
  takedowns: 3,
};

const H = 3600_000;
const at = (h: number): Date => new Date(T0.getTime() + h * H);

export async function seedStixDb(store: Store): Promise<void> {
  await seedResearchDb(store);
  const source: SourceDoc = {
    _id: 's-video',
    platform: 'youtube',
    config: { id: 's-video', channelId: 'UCsynthetic0000000000000' },
    configHash: 'v',
    tags: ['net-v'],
    updatedAt: T0,
  };
  await store.sources.insertOne(source);
  const channel: ChannelDoc = {
    _id: 'yt:UCsynthetic0000000000000',
    platform: 'youtube',
    platformId: 'UCsynthetic0000000000000',
    handle: 'synthetic_video',
    handles: ['synthetic_video'],
    status: 'active',
    title: STIX_SEED.hostileTitle,
    firstSeenAt: at(2),
    consecutiveFailures: 0,
    sourceIds: ['s-video'],
    lastCheckedAt: at(200),
  };
  await store.channels.insertOne(channel);
  const post: PostDoc = {
    _id: `${channel._id}:vid00000001`,
    channelKey: channel._id,
    postId: 'vid00000001',
    sourceId: 's-video',
    platform: 'youtube',
    handle: 'synthetic_video',
    url: 'https://www.youtube.com/watch?v=vid00000001',
    at: at(6),
    publishedAt: at(6),
    text: 'generated video description',
    lang: 'eng',
    links: [],
    hashtags: [],
    mentions: [],
    media: [{ kind: 'video' }],
    tags: ['net-v'],
    firstSeenAt: at(6),
    lastSeenAt: at(6),
    buckets: timeBuckets(at(6)),
    removedAt: at(30),
    removal: { reason: 'tos_violation', text: 'This video has been removed for violating the Terms of Service.' },
  };
  await store.posts.insertOne(post);
  const item: MediaItemDoc = {
    _id: `sha256:${STIX_SEED.videoSha256}`,
    sha256: STIX_SEED.videoSha256,
    md5: 'c0ffee00'.repeat(4),
    bytes: 2_000_000,
    contentType: 'video/mp4',
    kind: 'video',
    frames: STIX_SEED.frames,
    clusterId: 'mc:c0ffee00',
    firstSeenAt: at(6),
    indexedAt: at(6),
  };
  await store.mediaItems.insertOne(item);
  const sighting: SightingDoc = {
    _id: `${post._id}:m0`,
    clusterId: 'mc:c0ffee00',
    mediaId: item._id,
    channelKey: channel._id,
    sourceId: 's-video',
    postKey: post._id,
    at: at(6),
    buckets: timeBuckets(at(6)),
    matchedVia: 'new',
    distance: 0,
    afterOriginRemoved: false,
  };
  await store.sightings.insertOne(sighting);
  const takedown: PostTakedownDoc = {
    _id: post._id,
    postKey: post._id,
    postId: post.postId,
    channelKey: channel._id,
    sourceId: 's-video',
    platform: 'youtube',
    reason: 'tos_violation',
    reasonText: 'This video has been removed for violating the Terms of Service.',
    firstSeenAt: at(6),
    publishedAt: at(6),
    removedAt: at(30),
    timeToTakedownMs: 24 * H,
    buckets: timeBuckets(at(30)),
  };
  await postTakedowns(store).insertOne(takedown);
}
