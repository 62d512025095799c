import type { TargetCheck } from '../../src/core/report-case';
import { fetchOrGone, NOT_FOUND_404, pathParts, UnknownTargetUrlError, type RecheckContext, type RecheckTarget } from '../recheck-fetch';
import { archiveMetadataTask } from './parse-tasks';

const JSON_TYPES = ['application/json', 'text/plain', 'text/json'] as const;

/** A reported item (`/details/<identifier>`), read through its metadata: `{}` is gone, `is_dark` taken dark. */
export async function recheckArchiveTarget(ctx: RecheckContext, t: RecheckTarget): Promise<TargetCheck> {
  const u = new URL(t.url);
  const [kind, identifier] = pathParts(u);
  if (kind !== 'details' || !identifier) throw new UnknownTargetUrlError(t.url, 'archive', 'expected /details/<identifier>');
  const url = `${u.origin}/metadata/${encodeURIComponent(identifier)}`;
  const page = await fetchOrGone(ctx, url, JSON_TYPES);
  if (page === 'gone') return NOT_FOUND_404;
  const md = await ctx.parser.run(archiveMetadataTask, { body: page.text, identifier, url: page.finalUrl });
  if (md.state === 'public') return { state: 'online' };
  return md.state === 'dark'
    ? { state: 'offline', how: 'gone', words: 'the item was taken dark' }
    : { state: 'offline', how: 'not_found', words: 'no such item' };
}
