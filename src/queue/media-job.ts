import { createHash } from 'node:crypto';
import type { Source } from '../config/schema';
import { jobIdPart } from './stages';

/** One media reference to download, fingerprint, match and record (the media stage). */
export interface MediaRefJobData {
  kind?: 'media';
  source: Source;
  /** `media_refs` _id (`<postKey>:m<index>`). */
  refId: string;
  /** The post's time (ISO): sightings and clusters are dated by it. */
  postAt: string;
}

/** The texts of one check's new posts to fingerprint and cluster (MinHash + LSH), also in the media stage. */
export interface TextJobData {
  kind: 'text';
  source: Source;
  /** `posts` _ids. */
  postKeys: string[];
}

export type MediaJobData = MediaRefJobData | TextJobData;

export interface MediaJobResult {
  /** The reference, or the first post of a text batch. */
  refId: string;
  status: 'ingested' | 'failed' | 'already' | 'missing';
  clusterId?: string;
  via?: string;
  error?: string;
}

/** One job per reference (or per batch of posts): a retried crawl hands the same over again, BullMQ keeps one. */
export function mediaJobId(data: MediaJobData): string {
  if (data.kind === 'text')
    return `text__${jobIdPart(data.postKeys[0] ?? '')}__${createHash('sha256').update(data.postKeys.join('\n')).digest('hex').slice(0, 16)}`;
  return `media__${jobIdPart(data.refId)}`;
}
