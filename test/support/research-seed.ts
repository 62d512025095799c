import { alertsCollection, type AlertDoc } from '../../src/store/repos/alerts';
import { timeBuckets } from '../../src/core/time-buckets';
import type { MediaClusterDoc, MediaItemDoc, SightingDoc } from '../../src/media/types';
import { recordPostRollups } from '../../src/store/post-rollups';
import { ensureRollups } from '../../src/store/rollups';
import { recordSightingRollups } from '../../src/store/sighting-rollups';
import type { Store } from '../../src/store/store';
import type { ChannelDoc, EventDoc } from '../../src/store/repos/channels';
import type { PostDoc } from '../../src/store/repos/posts';
import type { SourceDoc } from '../../src/store/repos/crawl-state';

/**
 * A small synthetic research database whose answers are known (API, CLI and dashboard tests). All names and texts
 * are generated; no real content.
 *
 * Network "net-a": @alpha_news (tg:100) is removed on day 3; @alpha_news1 (tg:101) resurfaces 3 h later and is
 * removed on day 6; @alpha_news2 (tg:102) resurfaces 5 h after that: one chain of length 3.
 * Network "net-b": @beta_feed (tg:200) stays up; it forwards from @alpha_news, links to @alpha_news2 and mentions
 * @gamma_chan (never watched).
 */
export const T0 = new Date('2026-11-02T08:00:00Z'); // Monday, ISO week 2026-W45
const H = 3600_000;
const at = (h: number): Date => new Date(T0.getTime() + h * H);

export const SEED = {
  postsPerDay: { '2026-11-02': 5, '2026-11-03': 2, '2026-11-04': 1, '2026-11-10': 1 } as Record<string, number>,
  totalPosts: 9,
  postsByLang: { arb: 6, eng: 3 } as Record<string, number>,
  postsByTag: { 'net-a': 6, 'net-b': 3 } as Record<string, number>,
  takedowns: 2,
  successors: 2,
  timeToTakedownHours: [48, 69], // tg:100: 48 h; tg:101: first seen at 51 h, removed at 120 h
  resurfacingDelayHours: [3, 5],
  longestChain: ['tg:100', 'tg:101', 'tg:102'],
  topCluster: 'mc:aaaa1111',
  topClusterChannels: 3,
  alerts: 2,
};

function post(ch: string, handle: string, id: number, h: number, lang: string, tags: string[], source: string, extra: Partial<PostDoc> = {}): PostDoc {
  const when = at(h);
  return {
    _id: `${ch}:${id}`,
    channelKey: ch,
    postId: String(id),
    sourceId: source,
    platform: 'telegram',
    handle,
    publishedAt: when,
    at: when,
    text: lang === 'arb' ? `نص تجريبي مولد رقم ${id} للقناة ${handle}` : `generated test text number ${id} for ${handle}`,
    lang,
    links: [],
    hashtags: [],
    mentions: [],
    media: [],
    tags,
    firstSeenAt: when,
    lastSeenAt: when,
    buckets: timeBuckets(when),
    ...extra,
  };
}

function ev(ch: string, handle: string, source: string, type: EventDoc['type'], h: number, data: Record<string, unknown> = {}): EventDoc {
  const when = at(h);
  return {
    _id: `${ch}:${type}:${when.toISOString()}`,
    channelKey: ch,
    sourceId: source,
    platform: 'telegram',
    type,
    at: when,
    buckets: timeBuckets(when),
    handle,
    data,
  };
}

function channel(id: string, handle: string, status: ChannelDoc['status'], first: number, source: string, extra: Partial<ChannelDoc> = {}): ChannelDoc {
  return {
    _id: id,
    handle,
    handles: [handle],
    status,
    firstSeenAt: at(first),
    platform: 'telegram',
    sourceIds: [source],
    lastCheckedAt: at(200),
    title: `Synthetic ${handle}`,
    ...extra,
  } as ChannelDoc;
}

function sighting(cluster: string, ch: string, source: string, post: string, h: number, after: boolean, via: SightingDoc['matchedVia']): SightingDoc {
  const when = at(h);
  return {
    _id: `${post}:m0`,
    clusterId: cluster,
    mediaId: `sha256:${cluster.slice(3)}${'0'.repeat(56)}`,
    channelKey: ch,
    sourceId: source,
    postKey: post,
    at: when,
    buckets: timeBuckets(when),
    matchedVia: via,
    distance: via === 'new' ? 0 : 12,
    afterOriginRemoved: after,
  };
}

export async function seedResearchDb(store: Store): Promise<void> {
  const A = ['net-a'];
  const B = ['net-b'];
  const sources: SourceDoc[] = [
    {
      _id: 's-alpha',
      platform: 'telegram',
      config: { id: 's-alpha', handle: 'alpha_news', options: { baseUrl: 'http://127.0.0.1:9/' } },
      configHash: 'x',
      tags: A,
      updatedAt: T0,
    },
    { _id: 's-beta', platform: 'telegram', config: { id: 's-beta', handle: 'beta_feed' }, configHash: 'y', tags: B, updatedAt: T0 },
  ];
  await store.sources.insertMany(sources);
  await store.channels.insertMany([
    channel('tg:100', 'alpha_news', 'removed', 0, 's-alpha', { removedAt: at(48), timeToTakedownMs: 48 * H }),
    channel('tg:101', 'alpha_news1', 'removed', 51, 's-alpha', { removedAt: at(120), timeToTakedownMs: 69 * H }),
    channel('tg:102', 'alpha_news2', 'active', 125, 's-alpha'),
    channel('tg:200', 'beta_feed', 'active', 0, 's-beta'),
  ]);
  // as at a first start: the rollups are marked complete on the empty database, then every post write records its own
  await ensureRollups(store);
  const posts = [
    post('tg:100', 'alpha_news', 1, 1, 'arb', A, 's-alpha', { media: [{ kind: 'photo', url: 'http://127.0.0.1:9/p1.jpg' }] }),
    post('tg:100', 'alpha_news', 2, 2, 'arb', A, 's-alpha'),
    post('tg:100', 'alpha_news', 3, 3, 'arb', A, 's-alpha'),
    post('tg:200', 'beta_feed', 1, 4, 'eng', B, 's-beta', { forwardedFrom: { handle: 'alpha_news', name: 'Synthetic alpha_news' }, mentions: ['gamma_chan'] }),
    post('tg:200', 'beta_feed', 2, 5, 'eng', B, 's-beta', { links: ['https://t.me/alpha_news2/7'], text: '=HYPERLINK("x") generated, with "quotes"' }),
    post('tg:100', 'alpha_news', 4, 26, 'arb', A, 's-alpha'),
    post('tg:100', 'alpha_news', 5, 27, 'arb', A, 's-alpha'),
    post('tg:101', 'alpha_news1', 1, 51, 'arb', A, 's-alpha'),
    post('tg:200', 'beta_feed', 3, 8 * 24, 'eng', B, 's-beta', { forwardedFrom: { handle: 'alpha_news' } }),
  ];
  await store.posts.insertMany(posts);
  await recordPostRollups(store, posts);
  await store.events.insertMany([
    ev('tg:100', 'alpha_news', 's-alpha', 'first_seen', 0),
    ev('tg:200', 'beta_feed', 's-beta', 'first_seen', 0),
    ev('tg:100', 'alpha_news', 's-alpha', 'removed', 48, { from: 'active', timeToTakedownMs: 48 * H }),
    ev('tg:101', 'alpha_news1', 's-alpha', 'first_seen', 51),
    {
      ...ev('tg:101', 'alpha_news1', 's-alpha', 'resurfaced', 52, {
        predecessor: 'tg:100',
        predecessorHandle: 'alpha_news',
        successorHandle: 'alpha_news1',
        score: 0.81,
        delayMs: 3 * H,
        lineage: ['tg:100', 'tg:101'],
        foundVia: ['variant'],
      }),
      _id: 'tg:101:resurfaced:tg:100',
    },
    ev('tg:101', 'alpha_news1', 's-alpha', 'removed', 120, { from: 'active', timeToTakedownMs: 69 * H }),
    ev('tg:102', 'alpha_news2', 's-alpha', 'first_seen', 125),
    {
      ...ev('tg:102', 'alpha_news2', 's-alpha', 'resurfaced', 126, {
        predecessor: 'tg:101',
        predecessorHandle: 'alpha_news1',
        successorHandle: 'alpha_news2',
        score: 0.74,
        delayMs: 5 * H,
        lineage: ['tg:100', 'tg:101', 'tg:102'],
        foundVia: ['link'],
      }),
      _id: 'tg:102:resurfaced:tg:101',
    },
  ]);
  const clusters: MediaClusterDoc[] = [
    {
      _id: 'mc:aaaa1111',
      kind: 'image',
      firstMediaId: `sha256:aaaa1111${'0'.repeat(56)}`,
      originChannelKey: 'tg:100',
      originPostKey: 'tg:100:1',
      firstSeenAt: at(1),
    },
    {
      _id: 'mc:bbbb2222',
      kind: 'image',
      firstMediaId: `sha256:bbbb2222${'0'.repeat(56)}`,
      originChannelKey: 'tg:200',
      originPostKey: 'tg:200:2',
      firstSeenAt: at(5),
    },
  ];
  await store.clusters.insertMany(clusters);
  const items: MediaItemDoc[] = clusters.map((c) => ({
    _id: c.firstMediaId,
    sha256: c.firstMediaId.slice(7),
    md5: c.firstMediaId.slice(7, 39),
    bytes: 12345,
    contentType: 'image/jpeg',
    kind: 'image',
    width: 640,
    height: 480,
    pdq: 'f'.repeat(64),
    quality: 100,
    clusterId: c._id,
    firstSeenAt: c.firstSeenAt,
    indexedAt: c.firstSeenAt,
  }));
  await store.mediaItems.insertMany(items);
  const sightings = [
    sighting('mc:aaaa1111', 'tg:100', 's-alpha', 'tg:100:1', 1, false, 'new'),
    sighting('mc:aaaa1111', 'tg:200', 's-beta', 'tg:200:1', 4, false, 'pdq'),
    sighting('mc:aaaa1111', 'tg:101', 's-alpha', 'tg:101:1', 51, true, 'pdq-dihedral'),
    sighting('mc:bbbb2222', 'tg:200', 's-beta', 'tg:200:2', 5, false, 'new'),
  ];
  await store.sightings.insertMany(sightings);
  await recordSightingRollups(store, sightings);
  const alert = (key: string, kind: AlertDoc['kind'], h: number, status: AlertDoc['status'], channels: string[]): AlertDoc => ({
    _id: `alert:${key}:analyst@example.org`,
    key,
    kind,
    rule: 'analysts',
    to: 'analyst@example.org',
    sourceId: 's-alpha',
    tags: A,
    channels,
    subject: `[hydrawatch] ${kind} (synthetic)`,
    text: 'synthetic alert text',
    html: '<p>synthetic alert</p>',
    digest: false,
    status,
    attempts: status === 'sent' ? 1 : 0,
    nextAttemptAt: at(h),
    createdAt: at(h),
    ...(status === 'sent' ? { sentAt: at(h) } : {}),
  });
  await alertsCollection(store).insertMany([
    alert('removed:tg:100', 'removed', 48, 'sent', ['tg:100']),
    alert('resurfaced:tg:100:tg:101', 'resurfaced', 52, 'pending', ['tg:100', 'tg:101']),
  ]);
}
