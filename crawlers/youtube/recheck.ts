import { offlineHowFromReason, type TargetCheck } from '../../src/core/report-case';
import { fetchOrGone, NOT_FOUND_404, pathParts, UnknownTargetUrlError, type RecheckContext, type RecheckTarget } from '../recheck-fetch';
import { youtubeChannelTask, youtubeWatchTask } from './parse-tasks';

const HTML = ['text/html'] as const;

/** A reported video (`/watch?v=<id>`: its watch page's playability) or channel (`/channel/<id>`: its error alert). */
export async function recheckYoutubeTarget(ctx: RecheckContext, t: RecheckTarget): Promise<TargetCheck> {
  const u = new URL(t.url);
  const videoId = u.searchParams.get('v');
  if (videoId) {
    const page = await fetchOrGone(ctx, `${u.origin}/watch?v=${encodeURIComponent(videoId)}`, HTML);
    if (page === 'gone') return NOT_FOUND_404;
    const w = await ctx.parser.run(youtubeWatchTask, { html: page.text, videoId, url: page.finalUrl });
    if (w.state === 'available') return { state: 'online', ...(w.views !== undefined ? { views: w.views } : {}) };
    if (w.state === 'gone') return { state: 'offline', how: offlineHowFromReason(w.reason), words: w.reasonText };
    return { state: 'unknown', why: w.reasonText ?? `playability ${w.playability}` };
  }
  const [kind, id] = pathParts(u);
  if (kind !== 'channel' || !id) throw new UnknownTargetUrlError(t.url, 'youtube', 'expected /watch?v=<id> or /channel/<id>');
  const page = await fetchOrGone(ctx, `${u.origin}/channel/${encodeURIComponent(id)}`, HTML);
  if (page === 'gone') return NOT_FOUND_404;
  const c = await ctx.parser.run(youtubeChannelTask, { html: page.text, url: page.finalUrl });
  return c.state === 'active' ? { state: 'online' } : { state: 'offline', how: offlineHowFromReason(c.reason), words: c.reasonText };
}
