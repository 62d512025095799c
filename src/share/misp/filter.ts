import { parseBound } from '../../research/query-filter';
import type { MispFilter } from './read';

/** Query string → the export's filter (from/to as the timelines take them). */
export function mispFilterOf(q: { from?: string | undefined; to?: string | undefined; tag?: string | undefined; channel?: string | undefined }): MispFilter {
  return {
    ...(q.from ? { from: parseBound(q.from, 'from') } : {}),
    ...(q.to ? { to: parseBound(q.to, 'to') } : {}),
    ...(q.tag ? { tag: q.tag } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
  };
}
