import type { TimeBuckets } from '../core/time-buckets';

export type MatchedVia = 'new' | 'exact' | 'pdq' | 'pdq-dihedral' | 'video';

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
  /** Video: the frame bag (unique consecutive frames' PDQ). */
  frames?: string[];
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
