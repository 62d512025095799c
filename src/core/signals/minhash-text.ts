import { DEFAULT_MINHASH, estimateJaccard, lshBands, minhashSignature, tokens } from '../text/minhash';
import { SignalHashError, type SignalType } from './signal-type';

/**
 * Long texts: MinHash signatures (`src/core/text/minhash.ts`) and the text clusters built on their LSH bands (pure
 * parts; the store adapter is `src/media/text-clusters.ts`). A post of `text.minWords` words or more joins the
 * earliest text cluster whose representative (the cluster's first post) shares an LSH band with it and reaches the
 * Jaccard threshold (`text.clusterJaccard`), or starts its own cluster, `tc:<postKey>`.
 */

/** Text clusters kept per LSH band bucket; a bucket that is full keeps its first clusters (boilerplate bands). */
export const TEXT_BAND_CAP = 32;
/** Text clusters remembered per channel (its first ones), for successor scoring. */
export const CHANNEL_TEXT_CLUSTER_CAP = 2000;
/** `text.clusterJaccard`'s default. */
export const DEFAULT_CLUSTER_JACCARD = 0.7;

const REP_PREFIX = 'tc:';
const NAME = 'minhash-text';
const SIG_LENGTH = DEFAULT_MINHASH.bands * DEFAULT_MINHASH.rows;
/** The value of every row of an empty text's signature. */
const EMPTY_ROW = Number.MAX_SAFE_INTEGER;
/** Rows are residues modulo the prime 2^32 + 15 (see minhash.ts). */
const ROW_MAX = 4294967311;

/** A text cluster's id names its first post, whose signature represents the cluster: `tc:<postKey>`. */
export function clusterRepKey(clusterId: string): string | undefined {
  return clusterId.startsWith(REP_PREFIX) ? clusterId.slice(REP_PREFIX.length) : undefined;
}

/** The id of the cluster a post starts when it matches none. */
export function ownTextClusterId(postKey: string): string {
  return `${REP_PREFIX}${postKey}`;
}

/** A text cluster and its representative's signature and time. */
export interface TextClusterRep {
  clusterId: string;
  sig: number[];
  at: Date;
}

/** Where the text index lives (the store's `text_bands` buckets and `text_signatures`; a Map in tests). */
export interface TextClusterBacking {
  /** The clusters each band's bucket holds, in the order of `bands`. */
  bucketClusters(bands: readonly string[]): Promise<string[][]>;
  /** The signature and time of a post, when it is stored. */
  signature(postKey: string): Promise<{ sig: number[]; at: Date } | undefined>;
  /** Adds the cluster to each band's bucket (capped at TEXT_BAND_CAP). */
  addToBuckets(bands: readonly string[], clusterId: string): Promise<void>;
}

/** What a lookup found: the matching clusters, earliest first, and the clusters each band's bucket held. */
export interface TextLookup {
  matches: TextClusterRep[];
  held: Map<string, string[]>;
}

/** Pure: the representatives at or above the threshold, earliest first (then by cluster id). */
export function nearTextClusters(sig: readonly number[], reps: ReadonlyArray<TextClusterRep | undefined>, threshold: number): TextClusterRep[] {
  return reps
    .filter((r): r is TextClusterRep => !!r && estimateJaccard(sig, r.sig) >= threshold)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.clusterId.localeCompare(b.clusterId));
}

/** Pure: the bands whose bucket neither holds the cluster already nor is full. */
export function bandsToAdd(bands: readonly string[], held: ReadonlyMap<string, readonly string[]>, clusterId: string): string[] {
  return bands.filter((b) => {
    const c = held.get(b) ?? [];
    return !c.includes(clusterId) && c.length < TEXT_BAND_CAP;
  });
}

/**
 * The index of long texts over its backing: a query reads one bucket per LSH band (≤ TEXT_BAND_CAP clusters each)
 * and one representative per candidate cluster, all by `_id`; nothing grows with the stored signatures.
 */
export class TextClusterIndex {
  constructor(
    private readonly backing: TextClusterBacking,
    readonly threshold: number = DEFAULT_CLUSTER_JACCARD,
  ) {}

  async lookup(sig: readonly number[], bands: readonly string[] = lshBands(sig)): Promise<TextLookup> {
    const buckets = await this.backing.bucketClusters(bands);
    const held = new Map(bands.map((b, i) => [b, buckets[i] ?? []]));
    const ids = [...new Set(buckets.flat())];
    const reps = await Promise.all(
      ids.map(async (clusterId): Promise<TextClusterRep | undefined> => {
        const key = clusterRepKey(clusterId);
        const d = key ? await this.backing.signature(key) : undefined;
        return d ? { clusterId, sig: d.sig, at: d.at } : undefined;
      }),
    );
    return { matches: nearTextClusters(sig, reps, this.threshold), held };
  }

  /** The text clusters whose representative is a near-duplicate of `sig`, earliest first. */
  async query(sig: readonly number[]): Promise<TextClusterRep[]> {
    return (await this.lookup(sig)).matches;
  }

  /** Puts the cluster into the buckets of its bands that lack it (`held`: what a lookup read of them). */
  async add(clusterId: string, bands: readonly string[], held: ReadonlyMap<string, readonly string[]> = new Map()): Promise<void> {
    const adds = bandsToAdd(bands, held, clusterId);
    if (adds.length) await this.backing.addToBuckets(adds, clusterId);
  }
}

function parseSignature(text: string): number[] {
  if (typeof text !== 'string') throw new SignalHashError(NAME, `expected ${SIG_LENGTH} comma-separated integers, got ${typeof text}`, String(text));
  const parts = text.split(',');
  if (parts.length !== SIG_LENGTH) throw new SignalHashError(NAME, `expected ${SIG_LENGTH} comma-separated integers, got ${parts.length}`, text);
  return parts.map((p, i) => {
    const v = /^[0-9]{1,16}$/.test(p) ? Number(p) : NaN;
    if (!(v < ROW_MAX || v === EMPTY_ROW)) throw new SignalHashError(NAME, `row ${i} is not an integer below 2^32 + 15: "${p}"`, text);
    return v;
  });
}

/**
 * MinHash of long texts: a 64-row signature (16 bands × 4 rows of word 3-shingles), from a text of `minWords`
 * words or more. Distance 1 − estimated Jaccard; a match at Jaccard ≥ the threshold (`text.clusterJaccard`).
 * Indexed by LSH bands over a backing store (`createIndex`).
 */
export const MINHASH_TEXT_SIGNAL: SignalType<number[], { text: string; minWords: number }, TextClusterIndex, number, [TextClusterBacking, number?]> = {
  name: NAME,
  contentKinds: ['text'],
  threshold: DEFAULT_CLUSTER_JACCARD,
  fromContent: (c) => (tokens(c.text).length >= c.minWords ? minhashSignature(c.text) : undefined),
  parse: parseSignature,
  format: (sig) => sig.join(','),
  compare: (a, b, threshold = DEFAULT_CLUSTER_JACCARD) => {
    const j = estimateJaccard(a, b);
    return { distance: 1 - j, match: j >= threshold };
  },
  createIndex: (backing, threshold) => new TextClusterIndex(backing, threshold),
};
