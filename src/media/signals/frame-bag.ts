/**
 * The video signal type (see src/core/signals/signal-type.ts): a vPDQ-style frame bag, one PDQ per sampled frame
 * (letterbox bars and caption bands removed first, views.ts), near-identical consecutive frames dropped. Two bags
 * compare by their frame coverage both ways (frame-bag.ts, videoMatch) and the relation it gives (view-match.ts,
 * videoRelation): the same video, one containing the other, or one contained in the other.
 */
import { parseHexHash, SignalHashError, type SignalIndex, type SignalMatch, type SignalType } from '../../core/signals/signal-type';
import { frameBag, videoMatch, videoMatchWindowed, type WindowedBag } from '../frame-bag';
import { MihIndex } from '../mih-index';
import type { PdqResult } from '../pdq-hash';
import { videoRelation, type VideoRelationSettings } from '../view-match';
import { PDQ_MATCH_RADIUS } from './pdq';

const NAME = 'video-frame-bag';

/** What makes two frame bags a match: the frames' PDQ radius and the relation's shares (the media settings). */
export interface FrameBagThreshold extends VideoRelationSettings {
  radius: number;
}

/** The media settings' defaults. */
export const DEFAULT_FRAME_BAG_THRESHOLD: FrameBagThreshold = {
  radius: PDQ_MATCH_RADIUS,
  sameStoredPct: 80,
  sameQueryPct: 80,
  containsPct: 80,
  containedInPct: 80,
  minFrames: 3,
};

/** The threshold from the media settings. */
export function frameBagThreshold(m: {
  matchRadius: number;
  videoStoredMatchPct: number;
  videoQueryMatchPct: number;
  videoContainsPct: number;
  videoContainedInPct: number;
  videoRelationMinFrames: number;
}): FrameBagThreshold {
  return {
    radius: m.matchRadius,
    sameStoredPct: m.videoStoredMatchPct,
    sameQueryPct: m.videoQueryMatchPct,
    containsPct: m.videoContainsPct,
    containedInPct: m.videoContainedInPct,
    minFrames: m.videoRelationMinFrames,
  };
}

/** A stored video related to the query: its id, distance (100 − the deciding coverage in %) and the relation. */
export interface VideoHit extends SignalMatch {
  via: 'video' | 'contains' | 'contained-in';
}

/** What a frame-bag index stores and is queried with: a bag, or a bag with its frames' strip windows. */
export type FrameBagInput = readonly string[] | WindowedBag;

const asWindowed = (b: FrameBagInput): WindowedBag => (isBagList(b) ? { frames: b } : b);
function isBagList(b: FrameBagInput): b is readonly string[] {
  return Array.isArray(b);
}

/** Pure: the relation of a new video (`query`) to a stored one, if any (strip windows used when both have them). */
export function relateBags(query: FrameBagInput, stored: FrameBagInput, t: FrameBagThreshold): Omit<VideoHit, 'id'> | undefined {
  const q = asWindowed(query);
  const s = asWindowed(stored);
  const score = q.windows && s.windows ? videoMatchWindowed(q, s, t.radius) : videoMatch(q.frames, s.frames, t.radius);
  return videoRelation(score, s.frames.length, q.frames.length, t);
}

/**
 * Stored frame bags: every frame in one MIH index (`<id>#<i>`), every frame's strip windows in another
 * (`<id>#<i>#<window>`), the bags by id. A query finds the videos sharing a frame or a window within the radius,
 * then relates each one's whole bag to the query's. Stored hashes per video: its frames (≤ media.maxFrames) × 3 at
 * most (the frame and its 2 windows).
 */
export class FrameBagIndex implements SignalIndex<FrameBagInput, FrameBagInput, VideoHit> {
  private readonly frames = new MihIndex();
  private readonly windows = new MihIndex();
  private readonly bags = new Map<string, WindowedBag>();

  constructor(readonly threshold: FrameBagThreshold = DEFAULT_FRAME_BAG_THRESHOLD) {}

  get size(): number {
    return this.bags.size;
  }

  /** Frames indexed. */
  get frameCount(): number {
    return this.frames.size;
  }

  /** Strip windows indexed. */
  get windowCount(): number {
    return this.windows.size;
  }

  has(id: string): boolean {
    return this.bags.has(id);
  }

  bag(id: string): readonly string[] | undefined {
    return this.bags.get(id)?.frames;
  }

  /** Adds (or replaces) the bag of an id. */
  add(id: string, input: FrameBagInput): void {
    const bag = asWindowed(input);
    const old = this.bags.get(id);
    if (old) {
      old.frames.forEach((_, i) => this.frames.remove(`${id}#${i}`));
      old.windows?.forEach((ws, i) => ws.forEach((w) => this.windows.remove(`${id}#${i}#${w.name}`)));
    }
    bag.frames.forEach((f, i) => this.frames.add(`${id}#${i}`, f));
    bag.windows?.forEach((ws, i) => ws.forEach((w) => this.windows.add(`${id}#${i}#${w.name}`, w.hash)));
    this.bags.set(id, bag);
  }

  /** Every stored video related to the query's bag (in no particular order). */
  query(input: FrameBagInput, t: FrameBagThreshold = this.threshold): VideoHit[] {
    const bag = asWindowed(input);
    const candidates = new Set<string>();
    for (const f of bag.frames) for (const hit of this.frames.query(f, t.radius)) candidates.add(hit.id.split('#')[0] as string);
    for (const ws of bag.windows ?? [])
      for (const w of ws)
        for (const hit of this.windows.query(w.hash, t.radius)) {
          const [id, , name] = hit.id.split('#') as [string, string, string];
          if (name === w.name) candidates.add(id);
        }
    const out: VideoHit[] = [];
    for (const id of candidates) {
      const r = relateBags(bag, this.bags.get(id) ?? { frames: [] }, t);
      if (r) out.push({ id, ...r });
    }
    return out;
  }
}

function parseBag(text: string): string[] {
  if (typeof text !== 'string') throw new SignalHashError(NAME, `expected comma-separated 64-hex frame hashes, got ${typeof text}`, String(text));
  if (!text) throw new SignalHashError(NAME, 'no frames', text);
  return text.split(',').map((f, i) => {
    try {
      return parseHexHash(NAME, f, 64);
    } catch (err) {
      throw new SignalHashError(NAME, `frame ${i}: ${(err as SignalHashError).problem}`, text);
    }
  });
}

/**
 * Video frame bags. `fromContent`: the frames' PDQ (after normalisation) → the bag (consecutive frames within
 * `dedupDistance` dropped, frames below `minQuality` dropped). `compare(query, stored)`: distance 100 − the deciding
 * coverage (%), a match when the videos are the same or one contains the other (`FrameBagThreshold`). Written as
 * the frames' hex hashes joined by commas.
 */
export const FRAME_BAG_SIGNAL: SignalType<
  readonly string[],
  { frames: readonly PdqResult[]; dedupDistance: number; minQuality: number },
  FrameBagIndex,
  FrameBagThreshold,
  [FrameBagThreshold?]
> = {
  name: NAME,
  contentKinds: ['video'],
  threshold: DEFAULT_FRAME_BAG_THRESHOLD,
  fromContent: (c) =>
    frameBag(c.frames, c.dedupDistance)
      .filter((f) => f.quality >= c.minQuality)
      .map((f) => f.hash),
  parse: parseBag,
  format: (bag) => bag.join(','),
  compare: (a, b, t = DEFAULT_FRAME_BAG_THRESHOLD) => {
    const r = relateBags(a, b, t);
    return r ? { distance: r.distance, match: true } : { distance: 100, match: false };
  },
  createIndex: (t) => new FrameBagIndex(t),
};
