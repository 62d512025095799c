import type { Settings, TelegramSource } from '../config/schema';
import { telegramCrawler } from '../../crawlers/telegram';
import { telegramStatusTask } from '../../crawlers/telegram/parse-tasks';
import { hashImageUrl } from '../media/hash-url';
import type { Fetcher } from '../core/fetcher';
import { inThreadParser, type PageParser } from '../core/parse-task';
import { retryUpsert, withDocLock } from '../store/capped-set';
import type { Store } from '../store/store';
import { followChannelId, type FollowedChannel } from './follow-channel';
import { isFresh, photoUrls, probeFromCrawl, probeFromStatusPage } from './probe-snapshot';
import { findProbe, PROBE_CACHE, probeId, saveProbe, type ProbeDoc, type ProbePhoto } from '../store/repos/probe-cache';

export interface ProbeDeps {
  store: Store;
  /** Gated by `resurface.probeBudget` (its own per-host budget, shared by all workers). */
  fetcher: Fetcher;
  settings: Settings;
  now: () => Date;
  /** Where the probed pages are parsed (the worker's parse pool: nesting cap and time budget); unset: this thread. */
  parser?: PageParser;
}

export interface ProbeResult {
  doc: ProbeDoc;
  /** True when this call went to the network; false when another search's probe was reused. */
  network: boolean;
  /** A watched channel's id seen under this handle: its rename (or restoration under a new handle) was followed. */
  followed?: FollowedChannel;
}

const HTML = ['text/html'] as const;

/**
 * One network probe. `t.me/<handle>` first: a missing, removed or private handle, a user, a bot or a group is told
 * apart by that page alone (one request, where `t.me/s/<handle>` would redirect there: two). Only a live channel's
 * preview is fetched then (its id, description and latest posts), with its avatar and first pictures hashed.
 */
async function probeNetwork(deps: ProbeDeps, source: TelegramSource, handle: string): Promise<ProbeDoc> {
  const at = deps.now();
  const base = source.options.baseUrl.replace(/\/+$/, '');
  const req = { accept: HTML, userAgent: source.userAgent, proxy: source.proxy };
  const page = await deps.fetcher.fetchText({ ...req, url: `${base}/${encodeURIComponent(handle)}`, timeoutName: 'resurface.probe' });
  const parser = deps.parser ?? inThreadParser();
  const cls = await parser.run(telegramStatusTask, { html: page.text, url: page.finalUrl });
  if (cls.status !== 'active') return probeFromStatusPage(handle, cls, at);
  const probe = { ...source, id: `${source.id}~probe`, handle, options: { ...source.options, backfillPages: 0, maxPagesPerCheck: 1 } };
  const out = await telegramCrawler.crawl(probe, { fetcher: deps.fetcher, cursor: {}, now: deps.now, parse: parser });
  const doc = probeFromCrawl(handle, out, at, 1 + out.pagesFetched);
  if (doc.status !== 'active') return doc;
  if (doc.avatarUrl) {
    const a = await hashImageUrl(deps.fetcher, doc.avatarUrl, deps.settings, 'resurface.avatar');
    doc.requests += 1;
    if (a) doc.avatar = { hash: a.hash, quality: a.quality };
  }
  if (deps.settings.media.enabled) {
    const photos: ProbePhoto[] = [];
    for (const url of photoUrls(out)) {
      const h = await hashImageUrl(deps.fetcher, url, deps.settings, 'resurface.media');
      doc.requests += 1;
      if (h) photos.push({ url, variants: h.variants, quality: h.quality });
    }
    doc.photos = photos;
  }
  return doc;
}

/**
 * The handle's page as every removed channel's search sees it: the stored probe while it is younger than
 * `resurface.probeCacheSeconds`, else one new probe (one prober per handle at a time, under the document's lock, so
 * that searches of several removed channels wanting the same handle at once make one request, not one each).
 * A live channel whose numeric id is a watched channel's under another handle is followed there (rename,
 * restoration under a new handle). With `after`, a stored probe older than that moment is not reused.
 */
export async function probeHandle(deps: ProbeDeps, source: TelegramSource, handle: string, opts: { after?: Date } = {}): Promise<ProbeResult> {
  const id = probeId(handle);
  const ttlMs = deps.settings.resurface.probeCacheSeconds * 1000;
  // `after`: a stored probe made before that moment does not answer the question asked (the page then is not news)
  const usable = (d: ProbeDoc | null | undefined): d is ProbeDoc =>
    isFresh(d, deps.now(), ttlMs) && (!opts.after || (d as ProbeDoc).probedAt.getTime() > opts.after.getTime());
  const cached = await findProbe(deps.store, handle);
  if (usable(cached)) return { doc: cached, network: false };
  return withDocLock(deps.store, `${PROBE_CACHE}/${id}`, async () => {
    const again = await findProbe(deps.store, handle);
    if (usable(again)) return { doc: again, network: false };
    const doc = await probeNetwork(deps, source, handle);
    await retryUpsert(() => saveProbe(deps.store, doc));
    const followed =
      doc.status === 'active' && doc.platformId
        ? await followChannelId(deps.store, { handle, platformId: doc.platformId, ...(doc.title ? { title: doc.title } : {}) }, doc.probedAt, 'probe')
        : undefined;
    return { doc, network: true, ...(followed ? { followed } : {}) };
  });
}
