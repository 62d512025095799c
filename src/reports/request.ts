import { targetId, type CaseEvidence, type ReportPlatform, type ReportTarget } from '../core/report-case';
import type { PostDoc } from '../store/repos/posts';
import type { CaseSubjectReads } from '../store/repos/report-cases';
import type { CaseInput } from './merge';
import { channelTarget } from './open-cases';
import { parseReportUrl, publicPostUrl, type UrlSubject } from './targets';

/** An analyst's request to open a case: one channel, one post or one media cluster (all its sightings on one platform). */
export interface CaseRequest {
  channel?: string;
  post?: string;
  cluster?: string;
  platform?: ReportPlatform;
  note?: string;
  /** `token:<name>` or `cli`. */
  by: string;
  at: Date;
}

/** The request names nothing hydrawatch knows (HTTP 404), or nothing it can report (422). */
export class CaseRequestError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 422,
  ) {
    super(message);
    this.name = 'CaseRequestError';
  }
}

type WebSources = ReadonlyArray<{ id: string; platform: string; url: string }>;

function postTarget(platform: ReportPlatform, post: PostDoc, watched: boolean): ReportTarget {
  return {
    id: targetId(platform, 'post', post._id),
    url: publicPostUrl(post),
    kind: 'post',
    postKey: post._id,
    channelKey: post.channelKey,
    watched,
    firstSeenAt: post.firstSeenAt,
    ...(post.views !== undefined ? { viewsFirstSeen: post.views } : {}),
  };
}

/** A URL's target: a Telegram handle resolves to the stored channel (and its stored post) when known. */
async function urlTarget(reads: CaseSubjectReads, s: UrlSubject): Promise<ReportTarget> {
  if (s.platform === 'telegram' && s.handle) {
    const ck = (await reads.channelByHandle('telegram', s.handle)) ?? `tg:@${s.handle.toLowerCase()}`;
    if (s.kind === 'channel')
      return (await reads.channel(ck))
        ? channelTarget(reads, ck)
        : { id: targetId('telegram', 'channel', ck), url: s.url, kind: 'channel', channelKey: ck, watched: false };
    const postKey = `${ck}:${s.postId ?? ''}`;
    const post = await reads.post(postKey);
    if (post) return postTarget('telegram', post, Boolean((await reads.channel(ck))?.sourceIds.length));
    return { id: targetId('telegram', 'post', postKey), url: s.url, kind: 'post', postKey, channelKey: ck, watched: false };
  }
  return { id: targetId(s.platform, s.kind, s.url), url: s.url, kind: s.kind, watched: false };
}

async function channelOrPostTarget(
  reads: CaseSubjectReads,
  value: string,
  kind: 'channel' | 'post',
  web: WebSources,
): Promise<{ platform: ReportPlatform; target: ReportTarget; sourceIds: string[] }> {
  const stored = kind === 'channel' ? await reads.channel(value) : null;
  if (stored) return { platform: stored.platform as ReportPlatform, target: await channelTarget(reads, stored._id), sourceIds: stored.sourceIds };
  const post = kind === 'post' ? await reads.post(value) : null;
  if (post) {
    const ch = await reads.channel(post.channelKey);
    return {
      platform: post.platform as ReportPlatform,
      target: postTarget(post.platform as ReportPlatform, post, Boolean(ch?.sourceIds.length)),
      sourceIds: [post.sourceId],
    };
  }
  const asUrl = kind === 'channel' && /^@?[A-Za-z0-9_]{3,64}$/.test(value) ? `https://t.me/${value.replace(/^@/, '')}` : value;
  if (!/^https?:\/\//i.test(asUrl)) throw new CaseRequestError(`no stored ${kind} "${value}", and it is no URL`, 404);
  const s = parseReportUrl(asUrl, web);
  return { platform: s.platform, target: await urlTarget(reads, s), sourceIds: s.sourceId ? [s.sourceId] : [] };
}

/** A media cluster's sightings on one platform (the asked-for one, else the one with most sightings): their post URLs. */
async function clusterTargets(reads: CaseSubjectReads, clusterId: string, want?: ReportPlatform): Promise<Omit<CaseInput, 'openedBy' | 'key' | 'at'>> {
  const cluster = await reads.cluster(clusterId);
  if (!cluster) throw new CaseRequestError(`no media cluster "${clusterId}"`, 404);
  const sightings = await reads.sightings(clusterId);
  const posts = new Map((await reads.posts([...new Set(sightings.map((s) => s.postKey))])).map((p) => [p._id, p]));
  const count = new Map<string, number>();
  for (const p of posts.values()) count.set(p.platform, (count.get(p.platform) ?? 0) + 1);
  const platform = want ?? ([...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] as ReportPlatform | undefined);
  const on = sightings.filter((s) => posts.get(s.postKey)?.platform === platform);
  if (!platform || !on.length) throw new CaseRequestError(`media cluster ${clusterId} has no sighting${want ? ` on ${want}` : ''} with a stored post`, 422);
  const targets = new Map<string, ReportTarget>();
  for (const s of on) {
    const p = posts.get(s.postKey) as PostDoc;
    const id = targetId(platform, 'media', `${p._id}:${clusterId}`);
    if (!targets.has(id))
      targets.set(id, {
        id,
        url: publicPostUrl(p),
        kind: 'media',
        postKey: p._id,
        channelKey: p.channelKey,
        clusterId,
        watched: true,
        firstSeenAt: p.firstSeenAt,
        ...(p.views !== undefined ? { viewsFirstSeen: p.views } : {}),
      });
  }
  const origin = await reads.channel(cluster.originChannelKey);
  const distances = [...new Set(on.map((s) => s.distance).filter((d) => d > 0))];
  const evidence: CaseEvidence = {
    matchedVia: [...new Set(on.map((s) => s.matchedVia))].join(', '),
    ...(distances.length ? { pdqDistances: distances } : {}),
    ...(origin?.removedAt ? { predecessor: { channelKey: origin._id, handle: origin.handle, takedownAt: origin.removedAt } } : {}),
  };
  return { platform, kind: 'media_cluster', sourceIds: [...new Set(on.map((s) => s.sourceId))], tags: [], targets: [...targets.values()], evidence };
}

/** The case an analyst asked for (throws CaseRequestError, or UnknownPlatformUrlError for a URL no platform knows). */
export async function caseInputForRequest(reads: CaseSubjectReads, r: CaseRequest, web: WebSources): Promise<CaseInput> {
  const named = [r.channel, r.post, r.cluster].filter((v) => v !== undefined);
  if (named.length !== 1) throw new CaseRequestError('give exactly one of channel, post or cluster', 422);
  const note = r.note ? { note: r.note } : {};
  const base = { openedBy: r.by, at: r.at };
  if (r.cluster !== undefined) {
    const c = await clusterTargets(reads, r.cluster, r.platform);
    return { ...base, ...c, key: `request:cluster:${r.cluster}:${c.platform}:${r.at.toISOString()}`, evidence: { ...c.evidence, ...note } };
  }
  const kind = r.channel !== undefined ? 'channel' : 'post';
  const value = (r.channel ?? r.post ?? '').trim();
  const t = await channelOrPostTarget(reads, value, kind, web);
  if (r.platform && r.platform !== t.platform) throw new CaseRequestError(`${value} is on ${t.platform}, not ${r.platform}`, 422);
  return {
    ...base,
    platform: t.platform,
    kind,
    key: `request:${t.target.id}:${r.at.toISOString()}`,
    sourceIds: t.sourceIds,
    tags: [],
    targets: [t.target],
    evidence: note,
  };
}
