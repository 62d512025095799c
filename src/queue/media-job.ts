import type { Source } from '../config/schema';
import { jobIdPart } from './stages';

/** One media reference to download, fingerprint, match and record (the media stage). */
export interface MediaJobData {
  source: Source;
  /** `media_refs` _id (`<postKey>:m<index>`). */
  refId: string;
  /** The post's time (ISO): sightings and clusters are dated by it. */
  postAt: string;
}

export interface MediaJobResult {
  refId: string;
  status: 'ingested' | 'failed' | 'already' | 'missing';
  clusterId?: string;
  via?: string;
  error?: string;
}

/** One job per reference: the crawl stage may hand it over again (a retried crawl), BullMQ keeps one. */
export function mediaJobId(refId: string): string {
  return `media__${jobIdPart(refId)}`;
}
