/**
 * Re-upload matching over the extra views (pure, given the indexes): which stored pictures a new picture matches
 * and how, and the video relations "same", "contains" and "contained in".
 */
import type { VideoMatchScore } from './frame-bag';
import type { Match } from './mih-index';
import type { MatchedVia, StoredView } from './types';
import type { HashView } from './views';

export type Probe = 'full' | 'exact-chunks';

/** Id of a stored view in the views index: `<mediaId>|<how>|<k>` (media ids never contain "|"). */
export function viewId(mediaId: string, view: StoredView, k: number): string {
  return `${mediaId}|${view.how}|${k}`;
}

export function parseViewId(id: string): { mediaId: string; how: StoredView['how'] } {
  const [mediaId, how] = id.split('|') as [string, StoredView['how']];
  return { mediaId, how };
}

export interface PictureQuery {
  /** The 8 dihedral hashes of the full-size picture; index 0 is the plain hash. */
  dihedral: readonly string[];
  /** Query-time views: trimmed, caption-stripped, rotated. */
  views: readonly HashView[];
}

/** What matching needs of an index (MihIndex, ViewIndex). */
export interface HashIndex {
  query(hex: string, radius?: number, probe?: Probe): Match[];
}

export interface PictureIndexes {
  /** Plain PDQ of every stored picture, by media id. */
  images: HashIndex;
  /** Stored views (base or trimmed, caption-stripped, windows) by viewId. */
  views: HashIndex;
}

export interface PictureMatchOptions {
  radius: number;
  /** Whether the extra lookups (dihedral variants and views) probe exact chunks only (see MihIndex.query). */
  extraProbe: Probe;
  /** Use the views at all (off: plain and dihedral only, the matching before issue 12). */
  views: boolean;
}

export interface PictureHit {
  mediaId: string;
  distance: number;
  via: MatchedVia;
}

/** Preference between ways of matching one stored item: the plainer explanation wins. */
export const VIA_RANK: Record<MatchedVia, number> = {
  exact: 0,
  pdq: 1,
  'pdq-dihedral': 1,
  trimmed: 2,
  'caption-stripped': 3,
  rotated: 4,
  window: 5,
  video: 1,
  contains: 2,
  'contained-in': 2,
  new: 9,
};

/**
 * Every stored picture a new picture matches, one hit per (item, way): the plain hash at the full radius and the
 * dihedral variants against stored plain hashes (the matching before issue 12); then every query view (base,
 * trimmed, caption-stripped, rotated, the base's dihedral turns, the copy's own end windows) against every stored
 * view (base or trimmed, caption-stripped, windows).
 * The way reported: the query's normalisation when it had one, else the stored view's kind.
 */
export function matchPicture(q: PictureQuery, idx: PictureIndexes, o: PictureMatchOptions): PictureHit[] {
  const out: PictureHit[] = [];
  const add = (mediaId: string, distance: number, via: MatchedVia): void => {
    const known = out.findIndex((h) => h.mediaId === mediaId && h.via === via);
    if (known < 0) out.push({ mediaId, distance, via });
    else if ((out[known] as PictureHit).distance > distance) out[known] = { mediaId, distance, via };
  };
  q.dihedral.forEach((h, k) => {
    for (const m of idx.images.query(h, o.radius, k === 0 ? 'full' : o.extraProbe)) add(m.id, m.distance, k === 0 ? 'pdq' : 'pdq-dihedral');
  });
  if (!o.views) return out;
  for (const v of q.views) {
    for (const m of idx.views.query(v.hash, o.radius, o.extraProbe)) {
      const s = parseViewId(m.id);
      // the query's own normalisation when it had one (a window of the copy: 'window'), else the stored view's kind
      const via: MatchedVia = v.how === 'dihedral' ? 'pdq-dihedral' : v.how !== 'base' ? v.how : s.how === 'base' ? 'pdq' : s.how;
      add(s.mediaId, m.distance, via);
    }
  }
  return out;
}

/** Best hit per media item (plainest way, then nearest). */
export function bestPerItem(hits: readonly PictureHit[]): PictureHit[] {
  const best = new Map<string, PictureHit>();
  for (const h of hits) {
    const b = best.get(h.mediaId);
    if (!b || VIA_RANK[h.via] < VIA_RANK[b.via] || (VIA_RANK[h.via] === VIA_RANK[b.via] && h.distance < b.distance)) best.set(h.mediaId, h);
  }
  return [...best.values()];
}

export interface VideoRelationSettings {
  /** "same": shares of the stored video's and of the new video's frames that must match. */
  sameStoredPct: number;
  sameQueryPct: number;
  /** "contains": the new video covers at least this share of a stored video's frames (a compilation of it). */
  containsPct: number;
  /** "contained in": at least this share of the new video's frames are in a stored video (a clip of it). */
  containedInPct: number;
  /** "contains" / "contained in" need at least this many matched frames (a one-frame video is in everything). */
  minFrames: number;
}

/**
 * The relation between a new video and a stored one from their frame coverage (pure). "same" first (the
 * existing both-sides rule), then ThreatExchange's vPDQ either-side rule split into its two directions.
 */
export function videoRelation(
  s: VideoMatchScore,
  storedFrames: number,
  queryFrames: number,
  o: VideoRelationSettings,
): { via: 'video' | 'contains' | 'contained-in'; distance: number } | undefined {
  if (s.storedPct >= o.sameStoredPct && s.queryPct >= o.sameQueryPct) return { via: 'video', distance: Math.round(100 - Math.min(s.storedPct, s.queryPct)) };
  const storedMatched = Math.round((s.storedPct * storedFrames) / 100);
  const queryMatched = Math.round((s.queryPct * queryFrames) / 100);
  const contains = s.storedPct >= o.containsPct && storedMatched >= o.minFrames;
  const containedIn = s.queryPct >= o.containedInPct && queryMatched >= o.minFrames;
  if (contains && (!containedIn || s.storedPct >= s.queryPct)) return { via: 'contains', distance: Math.round(100 - s.storedPct) };
  if (containedIn) return { via: 'contained-in', distance: Math.round(100 - s.queryPct) };
  return undefined;
}
