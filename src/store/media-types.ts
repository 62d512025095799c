import type { TimeBuckets } from '../core/time-buckets';

/**
 * How a media item joined its cluster. `pdq` is the plain hash (within the match radius), `pdq-dihedral` a
 * rotation by 90° steps or a mirror; `trimmed` after uniform borders / letterboxing were taken off;
 * `caption-stripped` after a caption band was taken off; `window` against a crop window of the stored picture;
 * `rotated` after undoing a small rotation; `video` the same video (both frame bags covered); `contains` the new
 * video contains a stored one (a compilation), `contained-in` the new video is a clip of a stored one.
 */
export type MatchedVia =
  'new' | 'exact' | 'pdq' | 'pdq-dihedral' | 'trimmed' | 'caption-stripped' | 'window' | 'rotated' | 'video' | 'contains' | 'contained-in';

/** Every MatchedVia value with the words an analyst reads (alerts, API documentation, dashboard). */
export const MATCHED_VIA_LABELS: Record<MatchedVia, string> = {
  new: 'new (first copy)',
  exact: 'exact bytes',
  pdq: 'plain PDQ',
  'pdq-dihedral': 'PDQ, rotated 90°/mirrored',
  trimmed: 'PDQ after trimming borders/letterbox',
  'caption-stripped': 'PDQ after removing a caption band',
  window: 'PDQ of a crop window',
  rotated: 'PDQ after undoing a small rotation',
  video: 'same video',
  contains: 'video contains a known clip',
  'contained-in': 'video is a clip of a known one',
};

/**
 * An extra PDQ view kept with a picture, hashed from a small grey copy: `base` the whole picture, `trimmed` the
 * picture with its uniform borders off (instead of base), `caption-stripped` without its caption band(s),
 * `window` a crop window (centre, corner, top or bottom strip).
 */
export interface StoredView {
  hash: string;
  how: 'base' | 'trimmed' | 'caption-stripped' | 'window';
}

export interface MediaItemDoc {
  _id: string; // sha256:<hex>
  sha256: string;
  md5: string;
  bytes: number;
  contentType: string;
  kind: 'image' | 'video';
  width?: number;
  height?: number;
  /** Image PDQ (64 hex) and its quality. */
  pdq?: string;
  quality?: number;
  /** Image: extra PDQ views (trimmed, caption-stripped, crop windows), indexed for re-upload matching. */
  views?: StoredView[];
  /** Video: the frame bag (unique consecutive frames' PDQ). */
  frames?: string[];
  /** Video: each bag frame's strip windows (`t85:<hex>,t70:<hex>,…`, "" when none), aligned with `frames` (issue 23). */
  frameWindows?: string[];
  clusterId: string;
  firstSeenAt: Date;
  /** When it became visible to other workers' indexes. */
  indexedAt: Date;
  /** Present when `retention: file`: content-addressed path under dataDir. */
  filePath?: string;
}

export interface MediaClusterDoc {
  _id: string; // mc:<sha256 prefix of the first item>
  kind: 'image' | 'video';
  firstMediaId: string;
  originChannelKey: string;
  originPostKey: string;
  firstSeenAt: Date;
  /** Channels it was seen in (the first CLUSTER_CHANNEL_CAP). */
  channels?: string[];
}

export interface SightingDoc {
  _id: string; // <postKey>:m<index>
  clusterId: string;
  mediaId: string;
  channelKey: string;
  sourceId: string;
  postKey: string;
  at: Date;
  buckets: TimeBuckets;
  matchedVia: MatchedVia;
  distance: number;
  /** True when the cluster's origin channel was already removed when this copy appeared elsewhere. */
  afterOriginRemoved: boolean;
}

export type HashType = 'pdq' | 'md5' | 'sha256';

export interface HashListEntryDoc {
  _id: string; // hl:<type>:<value>:<list>
  list: string;
  type: HashType;
  value: string;
  label: string;
  entity?: string;
  campaign?: string;
  importedAt: Date;
}

export interface TextSigDoc {
  _id: string; // post key
  channelKey: string;
  sig: number[];
  bands: string[];
  clusterId: string;
  at: Date;
  indexedAt: Date;
}
