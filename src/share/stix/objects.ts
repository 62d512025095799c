import type { ChannelDoc, EventDoc } from '../../store/repos/channels';
import type { PostDoc } from '../../store/repos/posts';
import type { MediaItemDoc } from '../../store/media-types';
import type { PostTakedownDoc } from '../../store/repos/post-checks';
import { idHash, scoId, sdoId, type Json } from './ids';
import { tlpMarkingId, type TlpLevel } from './tlp';

/**
 * Pure builders: hydrawatch's records → STIX 2.1 objects (the mapping table is in docs/sharing.md). Hash-only: a
 * file carries hashes and sizes, never bytes. Every object but the published TLP markings carries the TLP marking.
 */

export interface StixObject {
  type: string;
  id: string;
  [key: string]: Json;
}

export interface BuildContext {
  tlp: TlpLevel;
}

/** Fixed creation time of hydrawatch's own objects (the producer identity, the extension definitions). */
export const HYDRAWATCH_OBJECTS_CREATED = '2026-12-01T00:00:00.000Z';

export const PRODUCER_ID = sdoId('identity', 'hydrawatch');

/** The property extensions hydrawatch declares (each by an extension-definition). */
export const EXTENSIONS = {
  frameBag: {
    id: sdoId('extension-definition', 'frame-bag'),
    name: 'hydrawatch video frame bag',
    description: 'The PDQ hashes of a video file: one per run of similar consecutive frames (hydrawatch frame bag).',
    schema: 'frame_pdqs: list of PDQ hashes (64 hex digits each), in the order of the video; frame_count: integer, their number.',
  },
  takedown: {
    id: sdoId('extension-definition', 'takedown'),
    name: 'hydrawatch takedown',
    description: 'A channel or post found gone by hydrawatch: its state and the reason the platform gave.',
    schema:
      "state: string (removed, not_found, private, not_channel, gone); reason: string (tos_violation, account_terminated, private, deleted_by_uploader, dark, not_found, unavailable) or absent; reason_text: the platform's own words; time_to_takedown_ms: integer, first seen → found gone.",
  },
  resurfacing: {
    id: sdoId('extension-definition', 'resurfacing'),
    name: 'hydrawatch resurfacing',
    description: "A successor channel of a removed channel, found by hydrawatch's successor search, with its score and signals.",
    schema:
      'score: number 0–1; signals: dictionary of signal name → number 0–1 (handle, title, avatar, description, sharedMedia, sharedText, network, timing); found_via: list of strings; delay_ms: integer, predecessor removed → successor found; lineage: list of hydrawatch channel keys.',
  },
} as const;
export type ExtensionName = keyof typeof EXTENSIONS;

function marked(ctx: BuildContext): { object_marking_refs: string[] } {
  return { object_marking_refs: [tlpMarkingId(ctx.tlp)] };
}

function sdoBase(ctx: BuildContext, created: string, modified = created): Record<string, Json> {
  return { spec_version: '2.1', created, modified, created_by_ref: PRODUCER_ID, ...marked(ctx) };
}

/** STIX timestamps: RFC 3339 in UTC with milliseconds. */
export function stixTime(d: Date): string {
  return d.toISOString();
}

/** The producer: hydrawatch as a system identity. */
export function producerIdentity(ctx: BuildContext): StixObject {
  return {
    type: 'identity',
    id: PRODUCER_ID,
    spec_version: '2.1',
    created: HYDRAWATCH_OBJECTS_CREATED,
    modified: HYDRAWATCH_OBJECTS_CREATED,
    name: 'hydrawatch',
    description: 'hydrawatch OSINT crawler: public channels, posts, media fingerprints, takedowns and successor channels.',
    identity_class: 'system',
    ...marked(ctx),
  };
}

export function extensionDefinition(name: ExtensionName, ctx: BuildContext): StixObject {
  const e = EXTENSIONS[name];
  return {
    type: 'extension-definition',
    id: e.id,
    ...sdoBase(ctx, HYDRAWATCH_OBJECTS_CREATED),
    name: e.name,
    description: e.description,
    schema: e.schema,
    version: '1.0.0',
    extension_types: ['property-extension'],
  };
}

/** The channel's id on its platform: the platform id when known, else the key's own part (`tg:@handle` → `@handle`). */
function platformUserId(c: Pick<ChannelDoc, '_id' | 'platformId'>): string {
  return c.platformId ?? c._id.slice(c._id.indexOf(':') + 1);
}

/** The id a channel's user-account has (also what relationships and observed-data point at). */
export function channelAccountId(c: Pick<ChannelDoc, '_id' | 'platform' | 'platformId' | 'handle'>): string {
  return scoId('user-account', { account_type: c.platform, user_id: platformUserId(c), account_login: c.handle });
}

/** A channel → `user-account` (account_type = the platform, user_id = the platform's id, login = the handle). */
export function channelToUserAccount(c: ChannelDoc, ctx: BuildContext): StixObject {
  return {
    type: 'user-account',
    spec_version: '2.1',
    id: channelAccountId(c),
    account_type: c.platform,
    user_id: platformUserId(c),
    account_login: c.handle,
    ...(c.title ? { display_name: c.title } : {}),
    ...(c.status !== 'active' ? { is_disabled: true } : {}),
    ...marked(ctx),
  };
}

/** A post's address: its own URL, or its public t.me page for Telegram; undefined when it has none. */
export function postUrl(p: Pick<PostDoc, 'url' | 'platform' | 'handle' | 'postId'>): string | undefined {
  if (p.url) return p.url;
  if (p.platform === 'telegram' && p.handle) return `https://t.me/${encodeURIComponent(p.handle)}/${encodeURIComponent(p.postId)}`;
  return undefined;
}

/** A post → `url`; undefined for a post without an address. */
export function postToUrl(p: Pick<PostDoc, 'url' | 'platform' | 'handle' | 'postId'>, ctx: BuildContext): StixObject | undefined {
  const value = postUrl(p);
  if (!value) return undefined;
  return { type: 'url', spec_version: '2.1', id: scoId('url', { value }), value, ...marked(ctx) };
}

/** The custom key of a PDQ hash in a `hashes` dictionary (stix2-validator wants custom hash names to start with x_). */
export const PDQ_HASH_KEY = 'x_pdq';

/** A media item → `file` with its hashes (SHA-256, MD5, PDQ) and, for a video, its frame bag in a property extension. */
export function mediaToFile(m: Pick<MediaItemDoc, 'sha256' | 'md5' | 'pdq' | 'bytes' | 'contentType' | 'frames'>, ctx: BuildContext): StixObject {
  const hashes: Record<string, string> = { 'SHA-256': m.sha256.toLowerCase() };
  if (m.md5) hashes.MD5 = m.md5.toLowerCase();
  if (m.pdq) hashes[PDQ_HASH_KEY] = m.pdq.toLowerCase();
  const extensions: Record<string, Json> | undefined = m.frames?.length
    ? { [EXTENSIONS.frameBag.id]: { extension_type: 'property-extension', frame_pdqs: m.frames, frame_count: m.frames.length } }
    : undefined;
  return {
    type: 'file',
    spec_version: '2.1',
    id: scoId('file', { hashes: idHash(hashes), extensions }),
    hashes,
    ...(m.bytes ? { size: m.bytes } : {}),
    ...(m.contentType && /^[a-z]+\/[a-z0-9.+-]+$/i.test(m.contentType) ? { mime_type: m.contentType.toLowerCase() } : {}),
    ...(extensions ? { extensions } : {}),
    ...marked(ctx),
  };
}

function numberRecord(v: unknown): Record<string, number> {
  if (!v || typeof v !== 'object') return {};
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])),
  );
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/**
 * A `resurfaced` event → `relationship` successor `derived-from` predecessor (both user-accounts), confidence =
 * score × 100, the score and each signal in the resurfacing extension.
 */
export function resurfacingToRelationship(ev: EventDoc, successor: ChannelDoc, predecessor: ChannelDoc, ctx: BuildContext): StixObject {
  const d = ev.data;
  const score = typeof d.score === 'number' && Number.isFinite(d.score) ? Math.min(1, Math.max(0, d.score)) : 0;
  const at = stixTime(ev.at);
  return {
    type: 'relationship',
    id: sdoId('relationship', ev._id),
    ...sdoBase(ctx, at),
    relationship_type: 'derived-from',
    description: `@${successor.handle} (${successor.platform}) resurfaced as the successor of removed @${predecessor.handle}`,
    source_ref: channelAccountId(successor),
    target_ref: channelAccountId(predecessor),
    confidence: Math.round(score * 100),
    start_time: at,
    extensions: {
      [EXTENSIONS.resurfacing.id]: {
        extension_type: 'property-extension',
        score,
        signals: numberRecord(d.signals),
        found_via: strings(d.foundVia),
        ...(typeof d.delayMs === 'number' ? { delay_ms: d.delayMs } : {}),
        lineage: strings(d.lineage),
      },
    },
  };
}

/** Observed-data's counting and window: first and last seen (last not before first). */
function window(first: Date, last: Date): Record<string, Json> {
  const f = first.getTime() <= last.getTime() ? first : last;
  return { first_observed: stixTime(f), last_observed: stixTime(last), number_observed: 1 };
}

/**
 * A channel's takedown (a `removed`, `not_found` or `private` event) → `observed-data` of its user-account: first
 * seen → found gone, the state and reason in the takedown extension.
 */
export function channelTakedownToObservedData(ev: EventDoc, channel: ChannelDoc, ctx: BuildContext): StixObject {
  const ttt = typeof ev.data.timeToTakedownMs === 'number' ? ev.data.timeToTakedownMs : undefined;
  const first = ttt !== undefined ? new Date(ev.at.getTime() - ttt) : channel.firstSeenAt < ev.at ? channel.firstSeenAt : ev.at;
  const at = stixTime(ev.at);
  return {
    type: 'observed-data',
    id: sdoId('observed-data', ev._id),
    ...sdoBase(ctx, at),
    ...window(first, ev.at),
    object_refs: [channelAccountId(channel)],
    extensions: {
      [EXTENSIONS.takedown.id]: {
        extension_type: 'property-extension',
        state: ev.type,
        ...(typeof ev.data.reason === 'string' ? { reason: ev.data.reason } : {}),
        ...(typeof ev.data.detail === 'string' ? { reason_text: ev.data.detail } : {}),
        ...(ttt !== undefined ? { time_to_takedown_ms: ttt } : {}),
      },
    },
  };
}

/** A post found gone (YouTube, the Internet Archive) → `observed-data` of its url: first seen → found gone. */
export function postTakedownToObservedData(t: PostTakedownDoc, url: StixObject, ctx: BuildContext): StixObject {
  const at = stixTime(t.removedAt);
  return {
    type: 'observed-data',
    id: sdoId('observed-data', `post-takedown:${t._id}`),
    ...sdoBase(ctx, at),
    ...window(t.firstSeenAt, t.removedAt),
    object_refs: [url.id],
    extensions: {
      [EXTENSIONS.takedown.id]: {
        extension_type: 'property-extension',
        state: 'gone',
        reason: t.reason,
        reason_text: t.reasonText,
        time_to_takedown_ms: t.timeToTakedownMs,
      },
    },
  };
}

/** The extension-definitions an object uses (to declare them in the same bundle). */
export function extensionsUsed(o: StixObject): ExtensionName[] {
  const ext = o.extensions;
  if (!ext || typeof ext !== 'object' || Array.isArray(ext)) return [];
  return (Object.keys(EXTENSIONS) as ExtensionName[]).filter((n) => EXTENSIONS[n].id in ext);
}
