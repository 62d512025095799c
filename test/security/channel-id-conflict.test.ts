import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultCrawlers } from '../../src/app/crawler-registry';
import { sourceSchema } from '../../src/config/schema';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { buildChannelPage, buildMessage, dataView } from '../fixtures/telegram/build-page';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';

/**
 * A page that claims a watched channel's numeric id (and even its handle in its header) must not overwrite that
 * channel's posts: its posts are kept apart and the claimed channel gets one `channel_id_conflict` event.
 */
describe('pages that claim the same Telegram channel id', () => {
  const victimId = '1700000003'; // sim_gamma in config/scenarios/pipeline-test.yaml
  let h: Harness;
  let deps: PipelineDeps;
  let server: Server;
  let base = '';

  beforeAll(async () => {
    h = await startHarness('pipeline-test.yaml', { media: { enabled: false } });
    deps = { store: h.rt.store, crawlers: defaultCrawlers, fetcher: h.rt.fetcher, limiter: h.rt.limiter, settings: h.rt.settings };
    server = createServer((req, res) => {
      if (req.url !== '/s/impostor_page') {
        res.writeHead(404);
        res.end();
        return;
      }
      const messages = [1, 2, 3].map((id) =>
        buildMessage({ id, handle: 'sim_gamma', textHtml: `impostor text ${id}`, dataView: dataView(victimId, id) }, base),
      );
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(buildChannelPage({ handle: 'sim_gamma', title: 'Not Gamma', base, messages }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await h?.close();
  });

  it('keeps the impostor posts apart, leaves the watched channel intact, records one conflict event', async () => {
    await runCrawl(deps, sourceSchema.parse(tgSource(h.sim, 'gamma', 'sim_gamma')), { jobId: 'c-gamma', attempt: 1 });
    const before = await h.rt.store.posts
      .find({ channelKey: `tg:${victimId}` })
      .sort({ _id: 1 })
      .toArray();
    expect(before.length).toBeGreaterThan(0);

    const impostor = sourceSchema.parse(tgSource(h.sim, 'impostor', 'impostor_page', { options: { baseUrl: base, backfillPages: 0 } }));
    await runCrawl(deps, impostor, { jobId: 'c-imp-1', attempt: 1 });
    await runCrawl(deps, impostor, { jobId: 'c-imp-2', attempt: 1 });

    const after = await h.rt.store.posts
      .find({ channelKey: `tg:${victimId}` })
      .sort({ _id: 1 })
      .toArray();
    expect(after.map((p) => [p._id, p.text])).toEqual(before.map((p) => [p._id, p.text]));
    const apart = await h.rt.store.posts
      .find({ channelKey: `tg:${victimId}~impostor_page` })
      .sort({ _id: 1 })
      .toArray();
    expect(apart.map((p) => p.text)).toEqual(['impostor text 1', 'impostor text 2', 'impostor text 3']);
    const victim = await h.rt.store.channels.findOne({ _id: `tg:${victimId}` });
    expect(victim?.handle).toBe('sim_gamma');
    expect(victim?.sourceIds).toEqual(['gamma']);
    const conflicts = await h.rt.store.events.find({ channelKey: `tg:${victimId}`, type: 'channel_id_conflict' }).toArray();
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.data).toMatchObject({
      platformId: victimId,
      boundTo: 'sim_gamma',
      claimedBy: 'impostor_page',
      sourceId: 'impostor',
      keptAs: `tg:${victimId}~impostor_page`,
    });

    // the watched channel's own crawl still lands on its own key
    const again = await runCrawl(deps, sourceSchema.parse(tgSource(h.sim, 'gamma', 'sim_gamma')), { jobId: 'c-gamma-2', attempt: 1 });
    expect(again.status).toBe('active');
    expect((await h.rt.store.channels.findOne({ _id: `tg:${victimId}` }))?.title).not.toBe('Not Gamma');
  });
});
