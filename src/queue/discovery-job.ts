import type { TelegramSource } from '../config/schema';
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
  /** Candidates left over: the channel's next step is queued at once. */
  more?: boolean;
}

/**
 * One waiting job per removed channel: ticks that arrive while one waits are merged into it (same id). Jobs are
 * removed when they end, so the next tick can add a new one.
 */
export function discoveryJobId(channelKey: string): string {
  return `discovery__${jobIdPart(channelKey)}`;
}
