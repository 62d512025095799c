import type { ChannelStatus } from '../../core/model';
import { collectionOf, type HasDb } from '../db-handle';

/** Probes of candidate handles, shared by every removed channel's search (`src/resurface/probe-cache.ts`). */
export const PROBE_CACHE = 'probe_cache';

export interface ProbePhoto {
  url: string;
  /** The 8 dihedral PDQ hashes (index 0: the picture as posted). */
  variants: string[];
  quality: number;
}

export interface ProbePost {
  postId: string;
  publishedAt?: Date;
  text: string;
}

/**
 * What one probe of a candidate handle saw (`_id` `probe:<handle>`), shared by the searches of every removed channel
 * within `resurface.probeCacheSeconds`: the facts scoring needs, never the media themselves (hashes only).
 */
export interface ProbeDoc {
  _id: string;
  handle: string;
  probedAt: Date;
  status: ChannelStatus | 'error';
  kind?: string;
  statusDetail?: string;
  platformId?: string;
  title?: string;
  description?: string;
  avatarUrl?: string;
  avatar?: { hash: string; quality: number };
  posts: ProbePost[];
  photos: ProbePhoto[];
  /** Requests this probe made (a missing handle: one). */
  requests: number;
  error?: string;
}

export function probeId(handle: string): string {
  return `probe:${handle.toLowerCase()}`;
}

function probes(store: HasDb) {
  return collectionOf<ProbeDoc>(store, PROBE_CACHE);
}

/** The stored probe of a handle, fresh or not. */
export function findProbe(store: HasDb, handle: string): Promise<ProbeDoc | null> {
  return probes(store).findOne({ _id: probeId(handle) });
}

/** Replaces the handle's probe (an upsert: callers retry it on a concurrent upsert's duplicate key). */
export async function saveProbe(store: HasDb, doc: ProbeDoc): Promise<void> {
  await probes(store).replaceOne({ _id: doc._id }, doc, { upsert: true });
}

/** Forgets every probe: the next search probes again (tests and tools). */
export async function clearProbeCache(store: HasDb): Promise<void> {
  await probes(store).deleteMany({});
}
