import { timeBuckets } from '../../src/core/time-buckets';
import type { ChannelDoc } from '../../src/store/repos/channels';
import type { MediaItemDoc, SightingDoc } from '../../src/store/media-types';
import type { Store } from '../../src/store/store';
import { T0 } from './research-seed';

const at = (h: number): Date => new Date(T0.getTime() + h * 3600_000);
export const REUPLOAD_ID = `sha256:cccc3333${'0'.repeat(56)}`;

/**
 * On top of seedResearchDb: what a MISP export maps beyond it (synthetic): a re-upload in cluster mc:aaaa1111 seen
 * in the successor tg:102, the lineage tg:100 → tg:101 → tg:102, a YouTube and an RSS channel, a video with a frame bag.
 */
export async function seedMispExtras(store: Store): Promise<void> {
  const base = { lastCheckedAt: at(200), consecutiveFailures: 0 };
  await store.channels.insertMany([
    {
      _id: 'yt:s-yt',
      platform: 'youtube',
      handle: 'UCsyntheticchannel0000001',
      handles: ['UCsyntheticchannel0000001'],
      platformId: 'UCsyntheticchannel0000001',
      title: 'Synthetic video channel',
      status: 'active',
      firstSeenAt: at(2),
      sourceIds: ['s-yt'],
      ...base,
    },
    {
      _id: 'rss:s-rss',
      platform: 'rss',
      handle: 'feed.example.org',
      handles: ['feed.example.org'],
      title: 'Synthetic feed',
      status: 'active',
      firstSeenAt: at(3),
      sourceIds: ['s-rss'],
      ...base,
    },
  ] as ChannelDoc[]);
  const item = (id: string, clusterId: string, h: number, extra: Partial<MediaItemDoc>): MediaItemDoc => ({
    _id: id,
    sha256: id.slice(7),
    md5: id.slice(7, 39),
    bytes: 23456,
    contentType: 'image/jpeg',
    kind: 'image',
    clusterId,
    firstSeenAt: at(h),
    indexedAt: at(h),
    ...extra,
  });
  const video = `sha256:dddd4444${'0'.repeat(56)}`;
  await store.mediaItems.insertMany([
    item(REUPLOAD_ID, 'mc:aaaa1111', 127, { pdq: `${'f'.repeat(62)}00`, quality: 90 }),
    item(video, 'mc:dddd4444', 6, { kind: 'video', contentType: 'video/mp4', frames: ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)] }),
  ]);
  await store.clusters.insertOne({
    _id: 'mc:dddd4444',
    kind: 'video',
    firstMediaId: video,
    originChannelKey: 'yt:s-yt',
    originPostKey: 'yt:s-yt:vid1',
    firstSeenAt: at(6),
  });
  const sighting = (
    mediaId: string,
    clusterId: string,
    ch: string,
    post: string,
    h: number,
    via: SightingDoc['matchedVia'],
    distance: number,
  ): SightingDoc => ({
    _id: `${post}:m0`,
    clusterId,
    mediaId,
    channelKey: ch,
    sourceId: ch === 'yt:s-yt' ? 's-yt' : 's-alpha',
    postKey: post,
    at: at(h),
    buckets: timeBuckets(at(h)),
    matchedVia: via,
    distance,
    afterOriginRemoved: ch === 'tg:102',
  });
  await store.sightings.insertMany([
    sighting(REUPLOAD_ID, 'mc:aaaa1111', 'tg:102', 'tg:102:9', 127, 'pdq', 6),
    sighting(video, 'mc:dddd4444', 'yt:s-yt', 'yt:s-yt:vid1', 6, 'new', 0),
  ]);
  await store.lineage.insertMany([
    { _id: 'succ:tg:101', predecessor: 'tg:100', lineage: ['tg:100', 'tg:101'] },
    { _id: 'succ:tg:102', predecessor: 'tg:101', lineage: ['tg:100', 'tg:101', 'tg:102'] },
  ]);
}
