import { createHash } from 'node:crypto';
import { TEMPLATES, type Relationship, type TemplateName } from './templates';

/**
 * Pure: hydrawatch's channels, media and successions → one MISP event (MISP's JSON format, `{"Event": …}`), built
 * from the misp-objects templates in templates.ts. UUIDs are name-based (UUIDv5 of the natural key), so exporting the
 * same data twice gives the same objects, and MISP updates them instead of duplicating them.
 *
 * Mapping (docs/sharing.md#misp):
 * - a Telegram channel → `telegram-account` (username = handle, id = Telegram's numeric id, first_name = the title);
 *   a YouTube channel → `youtube-channel`; any other channel → `social-media-group` (group-name, platform). Object
 *   `first_seen` = first seen, `last_seen` = removal (or last seen active); the comment states status and removal.
 * - a media item → `file` (sha256, md5, size-in-bytes, mimetype). MISP has no PDQ attribute type and no template
 *   holds one, so the PDQ goes in the template's free `text` attribute as `pdq:<64 hex>` (comment: "PDQ perceptual
 *   hash, quality N"); a video's frame bag as one `text` per frame, `pdq-frame:<i>:<64 hex>`, at most 16.
 * - references: item → channel `shared-by` (each channel it was seen in); a re-upload (any later item of a media
 *   cluster) → the cluster's first item `duplicate-of` (comment: how it matched, the PDQ distance); a successor
 *   channel → its predecessor `successor-of` (the closest relationship for "resurfaced as": MISP's own definition,
 *   "an object which is a successor of another object").
 */
export interface MispChannel {
  key: string;
  platform: string;
  handle: string;
  platformId?: string;
  title?: string;
  status: string;
  firstSeenAt: Date;
  removedAt?: Date;
  lastSeenActiveAt?: Date;
}

export interface MispSighting {
  channelKey: string;
  postKey: string;
  at: Date;
  matchedVia: string;
  distance: number;
}

export interface MispMedia {
  id: string;
  sha256: string;
  md5: string;
  bytes: number;
  contentType: string;
  kind: 'image' | 'video';
  pdq?: string;
  quality?: number;
  frames?: string[];
  clusterId: string;
  firstSeenAt: Date;
  /** The cluster's first item (the original), when this is a re-upload; it is in `media` too. */
  originalId?: string;
  sightings: MispSighting[];
}

export interface MispExportInput {
  generatedAt: Date;
  /** What was asked, for the event's title. */
  description: string;
  tags: string[];
  channels: MispChannel[];
  media: MispMedia[];
  successions: { predecessor: string; successor: string }[];
}

export interface MispAttribute {
  uuid: string;
  type: string;
  category: string;
  object_relation: string;
  value: string;
  to_ids: boolean;
  disable_correlation: boolean;
  distribution: string;
  comment: string;
}

export interface MispReference {
  uuid: string;
  object_uuid: string;
  referenced_uuid: string;
  relationship_type: Relationship;
  comment: string;
}

export interface MispObject {
  uuid: string;
  name: TemplateName;
  'meta-category': string;
  description: string;
  template_uuid: string;
  template_version: string;
  distribution: string;
  comment: string;
  first_seen?: string;
  last_seen?: string;
  Attribute: MispAttribute[];
  ObjectReference: MispReference[];
}

export interface MispEvent {
  Event: {
    uuid: string;
    info: string;
    date: string;
    timestamp: string;
    published: boolean;
    analysis: string;
    threat_level_id: string;
    distribution: string;
    Tag: { name: string }[];
    Attribute: [];
    Object: MispObject[];
  };
}

/** hydrawatch's namespace for name-based UUIDs (itself a UUIDv5 of "hydrawatch" in the URL namespace). */
const NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** RFC 4122 UUIDv5 (SHA-1, name-based). */
export function uuidV5(name: string, namespace: string = NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const HW_NS = uuidV5('hydrawatch');
const uuidOf = (key: string): string => uuidV5(key, HW_NS);

function newObject(name: TemplateName, key: string, comment: string): MispObject {
  const t = TEMPLATES[name];
  return {
    uuid: uuidOf(`object:${key}`),
    name,
    'meta-category': t.metaCategory,
    description: t.description,
    template_uuid: t.uuid,
    template_version: String(t.version),
    distribution: '5', // inherit the event's
    comment,
    Attribute: [],
    ObjectReference: [],
  };
}

function addAttribute(o: MispObject, relation: string, value: string, comment = ''): void {
  const def = (TEMPLATES[o.name].attributes as Record<string, { type: string; category: string; disableCorrelation?: boolean }>)[relation];
  if (!def) throw new Error(`misp-objects template ${o.name} has no attribute "${relation}"`);
  o.Attribute.push({
    uuid: uuidOf(`attribute:${o.uuid}:${relation}:${value}`),
    type: def.type,
    category: def.category,
    object_relation: relation,
    value,
    to_ids: false, // evidence for analysts, not detection signatures for IDS exports
    disable_correlation: def.disableCorrelation ?? false,
    distribution: '5',
    comment,
  });
}

function addReference(from: MispObject, to: string, rel: Relationship, comment: string): void {
  if (from.ObjectReference.some((r) => r.referenced_uuid === to && r.relationship_type === rel)) return;
  from.ObjectReference.push({ uuid: uuidOf(`ref:${from.uuid}:${rel}:${to}`), object_uuid: from.uuid, referenced_uuid: to, relationship_type: rel, comment });
}

function channelComment(c: MispChannel): string {
  const parts = [`hydrawatch channel ${c.key}`, `status ${c.status}`];
  if (c.removedAt) parts.push(`removed ${c.removedAt.toISOString()}`);
  if (c.title && c.platform !== 'telegram') parts.push(`title "${c.title}"`);
  return parts.join('; ');
}

/** One channel's object (telegram-account, youtube-channel or social-media-group). */
export function channelObject(c: MispChannel): MispObject {
  const seen = {
    first_seen: c.firstSeenAt.toISOString(),
    ...((c.removedAt ?? c.lastSeenActiveAt) ? { last_seen: (c.removedAt ?? c.lastSeenActiveAt)?.toISOString() } : {}),
  };
  if (c.platform === 'telegram') {
    const o = { ...newObject('telegram-account', c.key, channelComment(c)), ...seen };
    addAttribute(o, 'username', c.handle);
    if (c.platformId) addAttribute(o, 'id', c.platformId);
    if (c.title) addAttribute(o, 'first_name', c.title, 'the channel title');
    return o;
  }
  if (c.platform === 'youtube') {
    const o = { ...newObject('youtube-channel', c.key, channelComment(c)), ...seen };
    const id = c.platformId ?? c.handle;
    addAttribute(o, 'channel-id', id);
    addAttribute(o, 'channel-name', c.title ?? c.handle);
    if (/^UC[\w-]{22}$/.test(id)) addAttribute(o, 'link', `https://www.youtube.com/channel/${id}`);
    return o;
  }
  const o = { ...newObject('social-media-group', c.key, channelComment(c)), ...seen };
  addAttribute(o, 'group-name', c.title ?? c.handle);
  if (c.title && c.title !== c.handle) addAttribute(o, 'group-alias', c.handle);
  addAttribute(o, 'platform', c.platform);
  return o;
}

const MAX_FRAMES = 16;

/** One media item's `file` object (hashes, size, type, PDQ or frame bag; never the bytes). */
export function mediaObject(m: MispMedia): MispObject {
  const o = newObject('file', `media:${m.id}`, `hydrawatch media cluster ${m.clusterId}, ${m.kind}, first seen ${m.firstSeenAt.toISOString()}`);
  o.first_seen = m.firstSeenAt.toISOString();
  addAttribute(o, 'sha256', m.sha256);
  addAttribute(o, 'md5', m.md5);
  addAttribute(o, 'size-in-bytes', String(m.bytes));
  if (m.contentType) addAttribute(o, 'mimetype', m.contentType);
  if (m.pdq) addAttribute(o, 'text', `pdq:${m.pdq}`, `PDQ perceptual hash (256 bits, hex)${m.quality !== undefined ? `, quality ${m.quality}` : ''}`);
  (m.frames ?? []).slice(0, MAX_FRAMES).forEach((f, i) => addAttribute(o, 'text', `pdq-frame:${i}:${f}`, `PDQ of video frame ${i} (frame bag)`));
  return o;
}

/** The whole event: objects for every channel and media item, references between them. */
export function buildMispEvent(input: MispExportInput): MispEvent {
  const channels = new Map(input.channels.map((c) => [c.key, channelObject(c)]));
  const media = new Map(input.media.map((m) => [m.id, mediaObject(m)]));
  for (const m of input.media) {
    const o = media.get(m.id) as MispObject;
    for (const s of m.sightings) {
      const ch = channels.get(s.channelKey);
      if (ch) addReference(o, ch.uuid, 'shared-by', `post ${s.postKey} at ${s.at.toISOString()}`);
    }
    const original = m.originalId && m.originalId !== m.id ? media.get(m.originalId) : undefined;
    if (original) {
      const via = m.sightings[0];
      addReference(
        o,
        original.uuid,
        'duplicate-of',
        via ? `re-upload: matched by ${via.matchedVia}, distance ${via.distance}` : 're-upload of the cluster first item',
      );
    }
  }
  for (const s of input.successions) {
    const succ = channels.get(s.successor);
    const pred = channels.get(s.predecessor);
    if (succ && pred) addReference(succ, pred.uuid, 'successor-of', `resurfaced: ${s.successor} succeeds removed ${s.predecessor}`);
  }
  const at = input.generatedAt;
  return {
    Event: {
      uuid: uuidOf(`event:${input.description}:${at.toISOString()}`),
      info: `hydrawatch export: ${input.description}`,
      date: at.toISOString().slice(0, 10),
      timestamp: String(Math.floor(at.getTime() / 1000)),
      published: false,
      analysis: '2',
      threat_level_id: '4',
      distribution: '0', // this organisation only, until an analyst shares it on
      Tag: [{ name: 'tlp:amber' }, ...input.tags.map((t) => ({ name: `hydrawatch:tag="${t}"` }))],
      Attribute: [],
      Object: [...channels.values(), ...media.values()],
    },
  };
}
