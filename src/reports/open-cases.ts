import type { Settings } from '../config/schema';
import { OPEN_CASE_STATES, targetId, type CaseEvidence, type ReportCase, type ReportPlatform, type ReportTarget } from '../core/report-case';
import type { AlertDraft } from '../alerts/types';
import { caseSubjectReads, findCaseWithTargets, getCase, insertCase, replaceCaseIf, type CaseSubjectReads } from '../store/repos/report-cases';
import type { Store } from '../store/store';
import { mergeInto, newCase, type CaseInput } from './merge';
import { matchingReportRules } from './rules';
import { publicChannelUrl, publicPostUrl } from './targets';

export interface OpenedCase {
  case: ReportCase;
  /** `created`: a new draft; `merged`: added to the open case of one of its targets; `unchanged`: that key was merged before. */
  outcome: 'created' | 'merged' | 'unchanged';
}

/**
 * Opens `input` as a draft case, or merges it into the open case that holds one of its targets (history step
 * `merged`). The case's `_id` is its primary target's id; when a closed case (offline, withdrawn) holds that id, the
 * new case takes `<id>#2`, `#3`… Concurrent openers converge: inserts and merges are compare-and-set, retried.
 */
export async function openCase(store: Store, input: CaseInput): Promise<OpenedCase> {
  const ids = input.targets.map((t) => t.id);
  const primary = ids[0];
  if (!primary) throw new Error('a case needs at least one target');
  for (let attempt = 0; attempt < 8; attempt++) {
    const open = await findCaseWithTargets(store, ids, OPEN_CASE_STATES);
    if (open) {
      const next = mergeInto(open, input);
      if (!next) return { case: open, outcome: 'unchanged' };
      if (await replaceCaseIf(store, next, open.updatedAt)) return { case: next, outcome: 'merged' };
      continue; // changed meanwhile: read again
    }
    for (let n = 1; n <= 20; n++) {
      const id = n === 1 ? primary : `${primary}#${n}`;
      const c = newCase(input, id);
      if (await insertCase(store, c)) return { case: c, outcome: 'created' };
      const there = await getCase(store, id);
      if (there && OPEN_CASE_STATES.includes(there.state)) break; // opened meanwhile: merge into it
    }
  }
  throw new Error(`case for ${primary}: too many concurrent changes, try again`);
}

/** The case a reporting rule opens for an alert (undefined: no rule matches, or the alert names no target). */
export async function openCasesFor(store: Store, settings: Settings, d: AlertDraft): Promise<OpenedCase | undefined> {
  const rule = matchingReportRules(d, settings.reporting.rules)[0];
  if (!rule) return undefined;
  const input = await caseInputForAlert(caseSubjectReads(store), d, `rule:${rule.name}`);
  return input ? openCase(store, input) : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const date = (v: unknown): Date | undefined => (v instanceof Date ? v : typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v) : undefined);

/** The successor channel as a target, with what was known of it (first seen, post count). */
export async function channelTarget(
  reads: CaseSubjectReads,
  channelKey: string,
  fallback?: { platform: ReportPlatform; handle: string },
): Promise<ReportTarget> {
  const ch = await reads.channel(channelKey);
  const platform = (ch?.platform ?? fallback?.platform ?? 'telegram') as ReportPlatform;
  const handle = ch?.handle ?? fallback?.handle ?? channelKey;
  return {
    id: targetId(platform, 'channel', channelKey),
    url: publicChannelUrl(platform, handle),
    kind: 'channel',
    channelKey,
    watched: Boolean(ch?.sourceIds.length),
    ...(ch?.firstSeenAt ? { firstSeenAt: ch.firstSeenAt } : {}),
    ...(ch ? { postCount: await reads.postCount(channelKey) } : {}),
  };
}

/** One media file in one post as a target (`<post>:<cluster>`): the post's URL, its views when first seen. */
export async function mediaTarget(
  reads: CaseSubjectReads,
  postKey: string,
  clusterId: string | undefined,
  channelKey?: string,
): Promise<{ platform: ReportPlatform; target: ReportTarget }> {
  const post = await reads.post(postKey);
  const platform = (post?.platform ?? 'telegram') as ReportPlatform;
  const ck = post?.channelKey ?? channelKey;
  const ch = ck ? await reads.channel(ck) : null;
  return {
    platform,
    target: {
      id: targetId(platform, 'media', clusterId ? `${postKey}:${clusterId}` : postKey),
      url: post ? publicPostUrl(post) : postKey,
      kind: 'media',
      postKey,
      ...(ck ? { channelKey: ck } : {}),
      ...(clusterId ? { clusterId } : {}),
      watched: Boolean(ch?.sourceIds.length),
      ...(post ? { firstSeenAt: post.firstSeenAt } : {}),
      ...(post?.views !== undefined ? { viewsFirstSeen: post.views } : {}),
    },
  };
}

async function predecessorOf(reads: CaseSubjectReads, channelKey: string | undefined): Promise<CaseEvidence['predecessor'] | undefined> {
  if (!channelKey) return undefined;
  const ch = await reads.channel(channelKey);
  return {
    channelKey,
    handle: ch?.handle ?? channelKey,
    ...(ch?.removedAt ? { takedownAt: ch.removedAt } : {}),
    ...(ch?.statusDetail ? { reason: ch.statusDetail } : {}),
  };
}

/** Pure reads only: the case an alert stands for (target, evidence), from the alert's facts and the stored channel/post. */
export async function caseInputForAlert(reads: CaseSubjectReads, d: AlertDraft, openedBy: string): Promise<CaseInput | undefined> {
  const f = d.facts;
  const base = { openedBy, key: d.key, sourceIds: [d.sourceId], tags: d.tags, at: d.at };
  if (d.kind === 'resurfaced') {
    const successor = str(f.successor);
    if (!successor) return undefined;
    const target = await channelTarget(reads, successor, { platform: 'telegram', handle: str(f.successorHandle) ?? successor });
    const takedownAt = date(f.removedAt);
    const evidence: CaseEvidence = {
      predecessor: { channelKey: str(f.predecessor) ?? '', handle: str(f.predecessorHandle) ?? '', ...(takedownAt ? { takedownAt } : {}) },
      ...(num(f.score) !== undefined ? { score: num(f.score) } : {}),
      ...(f.signals && typeof f.signals === 'object' ? { signals: f.signals as Record<string, number> } : {}),
      matchedVia: 'resurfacing',
    };
    const platform = (target.id.split(':')[0] ?? 'telegram') as ReportPlatform;
    return { ...base, kind: 'resurfaced', platform, targets: [target], evidence };
  }
  if (d.kind !== 'reupload_after_takedown' && d.kind !== 'hashlist_match') return undefined;
  const postKey = str(f.postKey);
  if (!postKey) return undefined;
  const { platform, target } = await mediaTarget(reads, postKey, str(f.clusterId), str(f.channelKey));
  const distance = num(f.distance);
  const evidence: CaseEvidence =
    d.kind === 'reupload_after_takedown'
      ? {
          ...(distance !== undefined ? { pdqDistances: [distance] } : {}),
          ...(str(f.matchedVia) ? { matchedVia: str(f.matchedVia) } : {}),
          ...(str(f.originChannelKey) ? { predecessor: await predecessorOf(reads, str(f.originChannelKey)) } : {}),
        }
      : {
          ...(distance !== undefined && f.hashType === 'pdq' ? { pdqDistances: [distance] } : {}),
          matchedVia: `hash list (${String(f.hashType)})`,
          hashList: { list: str(f.list) ?? '', ...(str(f.entity) ? { entity: str(f.entity) } : {}), ...(str(f.campaign) ? { campaign: str(f.campaign) } : {}) },
        };
  return { ...base, kind: d.kind, platform, targets: [target], evidence };
}
