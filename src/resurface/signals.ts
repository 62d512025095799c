import { SIGNAL_TYPES } from '../media/signals/registry';
import { avatarSignal, timingSignal } from './score';
import type { Signals } from '../store/repos/successor-candidates';
import { handleSimilarity, textSimilarity } from './similarity';

/** What is known of the removed channel when its candidates are scored. */
export interface PredecessorFacts {
  handle: string;
  title?: string;
  description?: string;
  avatarPdq?: string;
  /** PDQ quality of the predecessor's avatar, when it was stored. */
  avatarQuality?: number;
  removedAt: Date;
}

/** What a probe of the candidate's public page gave. */
export interface CandidateFacts {
  handle: string;
  title?: string;
  description?: string;
  avatar?: { hash: string; quality: number };
  firstPostAt?: Date;
}

/** Text overlap of the candidate's posts with the predecessor's: long posts through text clusters, short ones by exact normalised hash. */
export interface TextOverlap {
  /** Candidate posts of `minWords` words or more, and how many of them fall in one of the predecessor's text clusters. */
  long: number;
  longShared: number;
  /** Candidate posts that are short but say something (see short-texts.ts), and how many the predecessor posted too. */
  short: number;
  shortShared: number;
}

export interface SignalSettings {
  /** `media.minQuality`: an avatar below it (a flat colour, a blank) says nothing. */
  minQuality: number;
  /** `resurface.timingWindowHours` in ms. */
  timingWindowMs: number;
}

/** Share of the candidate's posts that repeat the predecessor's, short and long alike; 0 when it posted no text that counts. */
export function sharedTextSignal(t: TextOverlap): number {
  const total = t.long + t.short;
  return total > 0 ? (t.longShared + t.shortShared) / total : 0;
}

/**
 * All signals of one candidate (pure). `sharedMedia` (0–1, see sharedMediaSignal) and `network` (0–1) come from
 * the store; everything else from the two channels' facts.
 */
export function computeSignals(
  pred: PredecessorFacts,
  cand: CandidateFacts,
  shared: { sharedMedia: number; text: TextOverlap; network: number },
  s: SignalSettings,
): Signals {
  return {
    handle: handleSimilarity(pred.handle, cand.handle),
    title: textSimilarity(pred.title, cand.title),
    avatar:
      cand.avatar && pred.avatarPdq
        ? avatarSignal(SIGNAL_TYPES['avatar-pdq'].compare(cand.avatar.hash, pred.avatarPdq).distance, {
            candidate: cand.avatar.quality,
            ...(pred.avatarQuality !== undefined ? { predecessor: pred.avatarQuality } : {}),
            min: s.minQuality,
          })
        : 0,
    description: textSimilarity(pred.description, cand.description),
    sharedMedia: shared.sharedMedia,
    sharedText: sharedTextSignal(shared.text),
    network: shared.network,
    timing: timingSignal(pred.removedAt, cand.firstPostAt, s.timingWindowMs),
  };
}
