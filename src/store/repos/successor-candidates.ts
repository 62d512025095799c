import type { Collection } from 'mongodb';
import type { ChannelStatus } from '../../core/model';
import { collectionOf, type HasDb } from '../db-handle';

/** Candidate successors of removed channels, as last probed and scored (`src/resurface/successor-search.ts`). */
export const SUCCESSOR_CANDIDATES = 'successor_candidates';

/** `predecessor_description`: named in the removed channel's own description ("backup: @alpha_reserve"). */
export type CandidateOrigin = 'variant' | 'mention' | 'link' | 'forward' | 'predecessor_description';

/** The scoring signals of one candidate (`src/resurface/score.ts` weighs them). */
export interface Signals {
  /** Handle similarity after canonicalisation (0–1). */
  handle: number;
  /** Title similarity, transliterated and normalised (0–1). */
  title: number;
  /** Avatar PDQ similarity: 1 − distance/64, 0 when unknown or beyond 64. */
  avatar: number;
  description: number;
  /** Shared media clusters with the predecessor, discounted by how many channels share each cluster (0–1). */
  sharedMedia: number;
  /** Share of the candidate's posts that are near-duplicates of the predecessor's (0–1). */
  sharedText: number;
  /** Links, forwards and mentions pointing at the candidate from channels of the same network (0–1). */
  network: number;
  /** 1 when the candidate's first post follows the removal within the window, decaying after; 0 if older. */
  timing: number;
}

export interface CandidateDoc {
  _id: string; // cand:<predecessorKey>:<handle>
  predecessor: string;
  handle: string;
  origin: CandidateOrigin[];
  status: ChannelStatus | 'error';
  platformId?: string;
  title?: string;
  signals?: Signals;
  score?: number;
  firstPostAt?: Date;
  lastProbedAt: Date;
  error?: string;
  /** Scored above the threshold but left to another predecessor (already claimed, or a newer head of the lineage). */
  deferredTo?: string;
}

export function candidateId(predecessorKey: string, handle: string): string {
  return `cand:${predecessorKey}:${handle}`;
}

/** The typed collection (tests and tools). */
export function successorCandidates(store: HasDb): Collection<CandidateDoc> {
  return collectionOf<CandidateDoc>(store, SUCCESSOR_CANDIDATES);
}

export function findCandidate(store: HasDb, id: string): Promise<CandidateDoc | null> {
  return successorCandidates(store).findOne({ _id: id });
}

export async function saveCandidate(store: HasDb, doc: CandidateDoc): Promise<void> {
  await successorCandidates(store).replaceOne({ _id: doc._id }, doc, { upsert: true });
}

/** The stored candidates among these ids (one bounded read: a search's list), by id. */
export async function findCandidates(store: HasDb, ids: readonly string[]): Promise<Map<string, CandidateDoc>> {
  if (!ids.length) return new Map();
  const docs = await successorCandidates(store)
    .find({ _id: { $in: [...ids] } })
    .toArray();
  return new Map(docs.map((d) => [d._id, d]));
}
