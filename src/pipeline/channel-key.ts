import type { Source } from '../config/schema';
import type { ChannelSnapshot } from '../../crawlers/types';

/**
 * Natural key of the channel a source points at. Telegram: the numeric channel id when known (so renames keep the
 * key), else the lowercased handle. Other platforms: the source id.
 */
export function channelKeyFor(source: Source, snap: Pick<ChannelSnapshot, 'platformId' | 'handle'> | undefined, knownKeyForHandle?: string): string {
  if (source.platform !== 'telegram') return `${source.platform}:${source.id}`;
  if (snap?.platformId) return `tg:${snap.platformId}`;
  if (knownKeyForHandle) return knownKeyForHandle;
  return `tg:@${(snap?.handle ?? source.handle).toLowerCase()}`;
}
