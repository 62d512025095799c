import type { Queue } from 'bullmq';
import type { TelegramSource } from '../config/schema';
import type { FollowedSummary, ResurfacedSummary } from '../ops/event-lines';
import { jobIdPart } from './stages';

/** A successor search for one removed channel (the discovery stage). */
export interface DiscoveryJobData {
  source: TelegramSource;
  channelKey: string;
  requestedAt: string;
}

export interface DiscoveryJobResult {
  channelKey: string;
  resurfaced: string[];
  /** The step's resurfacings, by handle and title (the log's lines; unset in results of older workers). */
  found?: ResurfacedSummary[];
  /** Renames (and restorations under a new handle) the step's probes saw. */
  followed?: FollowedSummary[];
  /** Candidates left over: the channel's next step is queued at once. */
  more?: boolean;
  /** Else the channel's next step runs this many ms after this one (when its next candidate falls due). */
  nextInMs?: number;
}

/** The discovery stage's queue (created in ./stage-queues.ts). */
export type DiscoveryQueue = Queue<DiscoveryJobData, DiscoveryJobResult>;

/**
 * One waiting job per removed channel: ticks that arrive while one waits are merged into it (same id). Jobs are
 * removed when they end, so the next tick can add a new one.
 */
export function discoveryJobId(channelKey: string): string {
  return `discovery__${jobIdPart(channelKey)}`;
}
