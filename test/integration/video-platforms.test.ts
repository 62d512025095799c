import { join } from 'node:path';
import { sourceSchema, type Source } from '../../src/config/schema';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { takedownsByPlatform, viewVelocity } from '../../src/research/video-trends';
import { postTakedowns, postViews } from '../../src/store/repos/post-checks';
import { harnessDeps, startHarness, tgSource, type Harness } from '../support/pipeline-harness';
import { hashToken } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { runQueryCommand } from '../../src/cli/query-command';
import { listenOnFreePort } from '../support/listen';

const T0 = Date.parse('2026-11-20T00:00:00Z');
const HOUR = 3600_000;

/**
 * YouTube and the Internet Archive on the simulator, through the real pipeline (FerretDB, Redis, sharp, ffmpeg):
 * checks at +0, +1, +6, +24, +30 and +48 h of a simulated clock. Views grow on a known schedule; at +30 h videos are
 * removed (terms of service, private, deleted by the uploader) and Archive items go dark or missing; at +48 h the
 * YouTube channel is terminated. A picture and a video first posted on Telegram are re-uploaded to both platforms.
 */
describe('YouTube and Internet Archive sources', () => {
  let h: Harness;
  let deps: PipelineDeps;
  let clock = T0;
  const base = { schedule: '*/5 * * * *', rateLimit: { requests: 200, perSeconds: 1 } };
  let yt: Source;
  let ia: Source;
  let pl: Source;

  beforeAll(async () => {
    h = await startHarness('video-platforms-test.yaml');
    deps = harnessDeps(h, { now: () => new Date(clock) });
    yt = sourceSchema.parse({
      ...base,
      id: 'yt-reupload',
      platform: 'youtube',
      channelId: 'UCsynthReuploadChannel01',
      options: { baseUrl: h.sim.url, thumbBaseUrl: h.sim.url },
    });
    pl = sourceSchema.parse({
      ...base,
      id: 'yt-festival-list',
      platform: 'youtube',
      playlistId: 'PLsynthFestival01',
      options: { baseUrl: h.sim.url, thumbBaseUrl: h.sim.url },
    });
    ia = sourceSchema.parse({
      ...base,
      id: 'ia-festival',
      platform: 'archive',
      collection: 'synthetic_test_collection',
      options: { baseUrl: h.sim.url, downloadVideo: true },
    });
  }, 120000);
  afterAll(async () => h?.close());

  const checkAll = async (step: number, atHours: number): Promise<void> => {
    h.sim.advanceTo(step);
    clock = T0 + atHours * HOUR;
    await runCrawl(deps, yt, { jobId: `yt-${step}`, attempt: 1 });
    await runCrawl(deps, ia, { jobId: `ia-${step}`, attempt: 1 });
  };

  it('stores new videos and items with their pictures, duration and views; the Telegram original joins the same clusters', async () => {
    const origin = sourceSchema.parse(tgSource(h.sim, 'origin-tv', 'sim_origin_tv', { rateLimit: { requests: 200, perSeconds: 1 } }));
    clock = T0 - 2 * HOUR;
    await runCrawl(deps, origin, { jobId: 'tg-0', attempt: 1 });
    await checkAll(0, 0);
    const r = await runCrawl(deps, pl, { jobId: 'pl-0', attempt: 1 });
    expect(r).toMatchObject({ status: 'active', postsNew: 2 });
    expect((await h.rt.store.posts.find({ channelKey: 'youtube:yt-festival-list' }).toArray()).map((p) => p.postId).sort()).toEqual([
      'SynthVidAAA',
      'SynthVidBBB',
    ]);

    const videos = await h.rt.store.posts.find({ sourceId: 'yt-reupload' }).sort({ postId: 1 }).toArray();
    expect(videos.map((v) => v.postId)).toEqual(['SynthVidAAA', 'SynthVidBBB', 'SynthVidCCC', 'SynthVidDDD']);
    expect(videos[0]).toMatchObject({
      channelKey: 'youtube:yt-reupload',
      platform: 'youtube',
      views: 100,
      durationSec: 613,
      url: `${h.sim.url}/watch?v=SynthVidAAA`,
    });
    expect(videos[0]?.media).toEqual([{ kind: 'photo', url: `${h.sim.url}/vi/SynthVidAAA/hqdefault.jpg`, durationSec: 613 }]);
    expect(videos[0]?.text).toBe('Synthetic harvest festival footage from the northern valley\nfull recording with the parade and the market');
    const ch = await h.rt.store.channels.findOne({ _id: 'youtube:yt-reupload' });
    expect(ch).toMatchObject({ status: 'active', title: 'Reupload Channel (synthetic)', platform: 'youtube' });

    const items = await h.rt.store.posts.find({ sourceId: 'ia-festival' }).sort({ postId: 1 }).toArray();
    expect(items.map((i) => i.postId)).toEqual(['synthetic-harvest-festival', 'synthetic-tractor-manual']);
    expect(items[0]).toMatchObject({
      platform: 'archive',
      views: 10,
      text: 'Synthetic harvest festival footage\nfull recording with the parade and the market',
    });
    expect(items[0]?.media.map((m) => m.kind)).toEqual(['photo', 'video']);

    // one picture: Telegram photo, YouTube thumbnail, Archive image; one video: Telegram clip, Archive file
    const tgPosts = await h.rt.store.posts.find({ sourceId: 'origin-tv' }).sort({ postId: 1 }).toArray();
    const sightingOf = async (postKey: string, index = 0) => (await h.rt.store.sightings.findOne({ _id: `${postKey}:m${index}` }))?.clusterId;
    const picture = await sightingOf(tgPosts[0]?._id as string);
    expect(picture).toBeDefined();
    expect(await sightingOf('youtube:yt-reupload:SynthVidAAA')).toBe(picture);
    expect(await sightingOf('archive:ia-festival:synthetic-harvest-festival')).toBe(picture);
    expect(await sightingOf('youtube:yt-reupload:SynthVidBBB')).not.toBe(picture);
    const clip = await sightingOf(tgPosts[1]?._id as string);
    expect(clip).toBeDefined();
    expect(await sightingOf('archive:ia-festival:synthetic-harvest-festival', 1)).toBe(clip);
    // the titles and descriptions are near-duplicates of the Telegram text: one text cluster
    const sig = async (k: string) => (await h.rt.store.textSigs.findOne({ _id: k }))?.clusterId;
    const textCluster = await sig(tgPosts[0]?._id as string);
    expect(textCluster).toBeDefined();
    expect(await sig('youtube:yt-reupload:SynthVidAAA')).toBe(textCluster);
  }, 180000);

  it('refreshes views at each check into the views timeline; velocity at 1, 6 and 24 h comes out with known values', async () => {
    await checkAll(1, 1);
    await checkAll(2, 6);
    await checkAll(3, 24);
    expect((await h.rt.store.posts.findOne({ _id: 'youtube:yt-reupload:SynthVidAAA' }))?.views).toBe(13000);
    expect((await h.rt.store.posts.findOne({ _id: 'archive:ia-festival:synthetic-harvest-festival' }))?.views).toBe(400);
    const samples = await postViews(h.rt.store).find({ postKey: 'youtube:yt-reupload:SynthVidAAA' }).sort({ at: 1 }).toArray();
    expect(samples.map((s) => [s.hour, s.views])).toEqual([
      ['2026-11-20T00', 100],
      ['2026-11-20T01', 2000],
      ['2026-11-20T06', 6000],
      ['2026-11-21T00', 13000],
    ]);

    const v = await viewVelocity(h.rt.store, {}, { platform: 'youtube' });
    expect(v.posts.find((p) => p.postKey === 'youtube:yt-reupload:SynthVidAAA')).toMatchObject({ h1: 2000, h6: 6000, h24: 13000, latestViews: 13000 });
    expect(v.channels.find((c) => c.channelKey === 'youtube:yt-reupload')).toMatchObject({ posts: 4, reached24h: 4, max24h: 13000 });
    const ia = await viewVelocity(h.rt.store, { sourceIds: ['ia-festival'] });
    expect(ia.posts.find((p) => p.postKey === 'archive:ia-festival:synthetic-harvest-festival')).toMatchObject({ h1: 40, h6: 40, h24: 400 });
  }, 180000);

  it('each takedown reason becomes the right event, with the time from first seen; a terminated channel is removed', async () => {
    await checkAll(4, 30);
    const gone = await postTakedowns(h.rt.store).find({}).sort({ _id: 1 }).toArray();
    expect(gone.map((t) => [t.postId, t.platform, t.reason, t.timeToTakedownMs / HOUR])).toEqual([
      ['synthetic-harvest-festival', 'archive', 'dark', 30],
      ['synthetic-tractor-manual', 'archive', 'not_found', 30],
      ['SynthVidBBB', 'youtube', 'tos_violation', 30],
      ['SynthVidCCC', 'youtube', 'private', 30],
      ['SynthVidDDD', 'youtube', 'deleted_by_uploader', 30],
    ]);
    expect(gone.find((t) => t.postId === 'SynthVidBBB')?.reasonText).toBe("This video has been removed for violating YouTube's Terms of Service");
    expect((await h.rt.store.posts.findOne({ _id: 'youtube:yt-reupload:SynthVidCCC' }))?.removal).toEqual({ reason: 'private', text: 'This video is private' });
    // a second check does not repeat them
    clock = T0 + 31 * HOUR;
    await runCrawl(deps, yt, { jobId: 'yt-4b', attempt: 1 });
    expect(await postTakedowns(h.rt.store).countDocuments({})).toBe(5);

    await checkAll(5, 48);
    const ch = await h.rt.store.channels.findOne({ _id: 'youtube:yt-reupload' });
    expect(ch).toMatchObject({
      status: 'removed',
      statusDetail: "This account has been terminated for a violation of YouTube's Terms of Service.",
      timeToTakedownMs: 48 * HOUR,
    });
    const ev = await h.rt.store.events.findOne({ channelKey: 'youtube:yt-reupload', type: 'removed' });
    expect(ev?.data).toMatchObject({ reason: 'account_terminated', timeToTakedownMs: 48 * HOUR });
    expect(await postTakedowns(h.rt.store).findOne({ _id: 'youtube:yt-reupload:SynthVidAAA' })).toMatchObject({
      reason: 'account_terminated',
      timeToTakedownMs: 48 * HOUR,
    });

    const byPlatform = await takedownsByPlatform(h.rt.store);
    expect(byPlatform.map((p) => [p.platform, p.channels.count, p.channels.p50, p.posts.count, p.posts.p50, p.posts.max, p.reasons])).toEqual([
      ['archive', 0, undefined, 2, 30, 30, { dark: 1, not_found: 1 }],
      ['youtube', 1, 48, 4, 30, 48, { tos_violation: 1, private: 1, deleted_by_uploader: 1, account_terminated: 1 }],
    ]);
  }, 180000);

  it('view velocity and time to takedown per platform come out of the API and the query command', async () => {
    const token = 'researcher-token-0123456789abcdef';
    const app = await buildApi({
      store: h.rt.store,
      settings: h.rt.settings,
      tokens: [{ name: 'rea', role: 'researcher', sha256: hashToken(token) }],
      sourcesPath: join(h.configDir, 'sources.yaml'),
      settingsPath: join(h.configDir, 'settings.yaml'),
    });
    try {
      const api = await listenOnFreePort(app);
      const get = async (path: string) => {
        const res = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } });
        return { status: res.status, body: (await res.json()) as any };
      };
      const v = await get('/api/v1/trends/view-velocity?platform=youtube&channel=youtube:yt-reupload');
      expect(v.status).toBe(200);
      expect(v.body.hours).toEqual([1, 6, 24]);
      expect(v.body.posts[0]).toMatchObject({
        postKey: 'youtube:yt-reupload:SynthVidAAA',
        h1: 2000,
        h6: 6000,
        h24: 13000,
        firstSeenAt: '2026-11-20T00:00:00.000Z',
      });
      expect(v.body.channels).toEqual([
        { channelKey: 'youtube:yt-reupload', platform: 'youtube', posts: 4, reached24h: 4, h1: 40, h6: 40, h24: 40, max24h: 13000 },
      ]); // nearest-rank median of 30, 40, 50, 13000
      const t = await get('/api/v1/trends/takedowns-by-platform');
      expect(t.status).toBe(200);
      expect(t.body.platforms.find((p: { platform: string }) => p.platform === 'youtube')).toMatchObject({
        channels: { count: 1, p50: 48 },
        posts: { count: 4, p50: 30, max: 48 },
      });
      expect((await get('/api/v1/trends/view-velocity?platform=myspace')).status).toBe(400);
      // the picture: Telegram 20:00, YouTube (published) 23:00, the Archive 23:30
      const picture = (await h.rt.store.sightings.findOne({ _id: 'youtube:yt-reupload:SynthVidAAA:m0' }))?.clusterId as string;
      const x = await get(`/api/v1/trends/cross-platform?cluster=${encodeURIComponent(picture)}`);
      expect(x.status).toBe(200);
      expect(
        x.body.clusters[0].platforms.map((p: { platform: string; delayHours: number; firstSeen: string }) => [p.platform, p.firstSeen, p.delayHours]),
      ).toEqual([
        ['telegram', '2026-11-19T20:00:00.000Z', 0],
        ['youtube', '2026-11-19T23:00:00.000Z', 3],
        ['archive', '2026-11-19T23:30:00.000Z', 3.5],
      ]);
    } finally {
      await app.close();
    }
    const out: string[] = [];
    const io = {
      isTty: false,
      out: (s: string) => {
        out.push(s);
      },
      err: () => undefined,
      write: async (c: string) => {
        out.push(c);
      },
    };
    expect(await runQueryCommand(h.rt.store, ['trends', 'view-velocity', '--by', 'channel', '--platform', 'archive', '--format', 'csv'], io)).toBe(0);
    expect(out.join('')).toContain('archive:ia-festival,archive,2,');
    out.length = 0;
    await runQueryCommand(h.rt.store, ['trends', 'takedowns-by-platform', '--format', 'csv'], io);
    expect(out.join('')).toMatch(/youtube,1,48,4,30,48,account_terminated:1 deleted_by_uploader:1 private:1 tos_violation:1\r\n/);
    await expect(runQueryCommand(h.rt.store, ['trends', 'view-velocity', '--platform', 'myspace'], io)).rejects.toThrow(/--platform must be one of/);
  });

  it("a watch page that does not parse loses only that video's check, named in the run", async () => {
    const garden = sourceSchema.parse({
      ...base,
      id: 'yt-garden',
      platform: 'youtube',
      channelId: 'UCsynthGardenChannel0001',
      options: { baseUrl: h.sim.url, thumbBaseUrl: h.sim.url },
    });
    clock = T0 + 50 * HOUR;
    h.sim.setFault('/watch', { kind: 'garbage', times: 1 });
    const r = await runCrawl(deps, garden, { jobId: 'garden-1', attempt: 1 });
    h.sim.setFault('/watch', undefined);
    expect(r).toMatchObject({ status: 'active', postsNew: 2 });
    const run = await h.rt.store.runs.findOne({ _id: 'run:garden-1' });
    expect(run?.postsChecked).toBe(2);
    expect(run?.checkErrors).toEqual([{ postId: 'SynthGard02', message: expect.stringMatching(/watch page .*no ytInitialPlayerResponse/) }]);
    expect(await h.rt.store.posts.findOne({ _id: 'youtube:yt-garden:SynthGard01' })).toMatchObject({ views: 7, durationSec: 120 });
    expect((await h.rt.store.posts.findOne({ _id: 'youtube:yt-garden:SynthGard02' }))?.views).toBe(9); // the feed's count
    expect(await postTakedowns(h.rt.store).countDocuments({ channelKey: 'youtube:yt-garden' })).toBe(0);
    // the next check reads it again
    clock = T0 + 51 * HOUR;
    await runCrawl(deps, garden, { jobId: 'garden-2', attempt: 1 });
    expect((await h.rt.store.runs.findOne({ _id: 'run:garden-2' }))?.checkErrors).toBeUndefined();
    expect((await h.rt.store.posts.findOne({ _id: 'youtube:yt-garden:SynthGard02' }))?.durationSec).toBe(130);
  });

  it('a playlist that does not exist is not found, not a crash', async () => {
    const missing = sourceSchema.parse({
      ...base,
      id: 'yt-missing-list',
      platform: 'youtube',
      playlistId: 'PLdoesNotExist00',
      options: { baseUrl: h.sim.url, thumbBaseUrl: h.sim.url },
    });
    expect((await runCrawl(deps, missing, { jobId: 'pl-2', attempt: 1 })).status).toBe('not_found');
  });
});
