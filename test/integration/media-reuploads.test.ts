import { sourceSchema } from '../../src/config/schema';
import { ingestMediaRef } from '../../src/media/intake';
import { MediaMatcher } from '../../src/media/media-matcher';
import { exportHashList, importHashList, parseHashList } from '../../src/media/hash-lists';
import { runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { topClusters } from '../../src/research/trends';
import { harnessDeps, startHarness, tgSource, type Harness } from '../support/pipeline-harness';

/**
 * Re-uploads across channels on the simulator, through the real pipeline (FerretDB, sharp, ffmpeg): one channel
 * re-posts synthetic images another posted first — recompressed, resized, cropped, captioned, mirrored — and a
 * re-encoded video, after the original channel was removed.
 */
describe('re-uploaded media', () => {
  let h: Harness;
  let deps: PipelineDeps;
  beforeAll(async () => {
    h = await startHarness('media-test.yaml');
    deps = harnessDeps(h);
  });
  afterAll(async () => h?.close());

  const origin = () => sourceSchema.parse(tgSource(h.sim, 'origin', 'sim_origin', { rateLimit: { requests: 100, perSeconds: 1 } }));
  const copycat = () => sourceSchema.parse(tgSource(h.sim, 'copycat', 'sim_copycat', { rateLimit: { requests: 100, perSeconds: 1 } }));

  it('finds every edited re-upload in the original cluster, with its sighting timeline; unrelated images start new clusters', async () => {
    h.sim.advanceTo(1);
    await runCrawl(deps, origin(), { jobId: 'o1', attempt: 1 });
    const originSightings = await h.rt.store.sightings.find({ channelKey: 'tg:1700000101' }).toArray();
    expect(originSightings).toHaveLength(6); // 5 photos + 1 video
    expect(originSightings.every((s) => s.matchedVia === 'new')).toBe(true);
    const clusterOfPhoto = new Map(originSightings.map((s) => [s._id, s.clusterId]));

    h.sim.advanceTo(2); // origin removed
    await runCrawl(deps, origin(), { jobId: 'o2', attempt: 1 });
    h.sim.advanceTo(3); // copycat re-uploads
    await runCrawl(deps, copycat(), { jobId: 'c1', attempt: 1 });

    const reup = await h.rt.store.posts.findOne({ channelKey: 'tg:1700000102', text: 'Re-upload' });
    const unrelated = await h.rt.store.posts.findOne({ channelKey: 'tg:1700000102', text: 'Unrelated pictures' });
    const clip = await h.rt.store.posts.findOne({ channelKey: 'tg:1700000102', text: 'Clip again' });
    const originPost = await h.rt.store.posts.findOne({ channelKey: 'tg:1700000101', text: 'Original photo set' });
    const originClip = await h.rt.store.posts.findOne({ channelKey: 'tg:1700000101', text: 'Original clip' });
    expect(reup && unrelated && clip && originPost && originClip).toBeTruthy();

    const edits = ['jpeg', 'resize', 'crop', 'caption', 'mirror'];
    for (let i = 0; i < 5; i++) {
      const s = await h.rt.store.sightings.findOne({ _id: `${reup?._id}:m${i}` });
      expect({ edit: edits[i], cluster: s?.clusterId }).toEqual({ edit: edits[i], cluster: clusterOfPhoto.get(`${originPost?._id}:m${i}`) });
      expect(s?.afterOriginRemoved).toBe(true);
      expect(s?.distance).toBeLessThanOrEqual(31);
    }
    expect((await h.rt.store.sightings.findOne({ _id: `${reup?._id}:m4` }))?.matchedVia).toBe('pdq-dihedral'); // the mirror
    const video = await h.rt.store.sightings.findOne({ _id: `${clip?._id}:m0` });
    expect(video?.matchedVia).toBe('video');
    expect(video?.clusterId).toBe(clusterOfPhoto.get(`${originClip?._id}:m0`));

    const known = new Set(clusterOfPhoto.values());
    for (let i = 0; i < 2; i++) {
      const s = await h.rt.store.sightings.findOne({ _id: `${unrelated?._id}:m${i}` });
      expect(s?.matchedVia).toBe('new');
      expect(known.has(s?.clusterId as string)).toBe(false);
    }

    // timeline of one cluster: first seen in the origin, then the copy; 2 channels
    const cluster = clusterOfPhoto.get(`${originPost?._id}:m2`) as string;
    const timeline = await h.rt.store.sightings.find({ clusterId: cluster }).sort({ at: 1 }).toArray();
    expect(timeline.map((s) => s.channelKey)).toEqual(['tg:1700000101', 'tg:1700000102']);
    const perChannel = await h.rt.store.sightings
      .aggregate<{ _id: string; n: number }>([{ $match: { clusterId: cluster } }, { $group: { _id: '$channelKey', n: { $sum: 1 } } }])
      .toArray();
    expect(perChannel).toHaveLength(2);
    // hash-only retention: no file kept
    expect(await h.rt.store.mediaItems.countDocuments({ filePath: { $exists: true } })).toBe(0);
  }, 120000);

  it('cluster figures: channels, sightings and re-uploads after the takedown, computed from sightings', async () => {
    const top = await topClusters(h.rt.store, 20);
    const shared = top.filter((c) => c.channels === 2);
    expect(shared).toHaveLength(6); // 5 photos + the video
    for (const c of shared) expect(c).toMatchObject({ sightings: 2, afterTakedown: 1 });
    expect(top.filter((c) => c.channels === 1)).toHaveLength(2); // the two unrelated pictures
    expect(shared[0]?.firstSeen.getTime()).toBeLessThan(shared[0]?.lastSeen.getTime() as number);
  });

  it('a known-hash list match is an event; lists export and re-import', async () => {
    const originPost = await h.rt.store.posts.findOne({ channelKey: 'tg:1700000101', text: 'Original photo set' });
    const sighting = await h.rt.store.sightings.findOne({ _id: `${originPost?._id}:m2` }); // photo 203
    const item = await h.rt.store.mediaItems.findOne({ _id: sighting?.mediaId as string });
    expect(item?.pdq).toBeDefined();
    const tsv = `type\thash\tlabel\tentity\tcampaign\npdq\t${item?.pdq}\tsynthetic-test-label\tentity-x\tcampaign-y\nmd5\t${'0'.repeat(32)}\tnothing\t\t\n`;
    const rows = parseHashList(tsv, 'list.tsv');
    expect(rows).toHaveLength(2);
    await importHashList(h.rt.store, 'test-list', rows);
    await deps.matcher?.reloadLists();
    // a fresh sighting of the same picture in another post triggers the list match
    h.sim.apply({ step: 4, action: 'post', channel: 'sim_copycat', post: { text: 'Once more', photos: [203], links: [] } });
    await runCrawl(deps, copycat(), { jobId: 'c2', attempt: 1 });
    const ev = await h.rt.store.events.find({ type: 'hashlist_match' }).toArray();
    expect(ev.length).toBeGreaterThanOrEqual(1);
    expect(ev[0]?.data).toMatchObject({ list: 'test-list', label: 'synthetic-test-label', hashType: 'pdq', entity: 'entity-x', campaign: 'campaign-y' });
    const exported = await exportHashList(h.rt.store, 'test-list');
    expect(parseHashList(exported, 'export.tsv')).toEqual(expect.arrayContaining(rows));
    expect(() => parseHashList('hash,label\nzzzz,x\n', 'bad.csv')).toThrow(/bad\.csv:2: cannot tell the hash type of "zzzz"/);
  }, 60000);

  it('broken or hostile files get a per-item error and the post is kept', async () => {
    const source = copycat();
    const base = {
      postKey: 'tg:1700000102:999',
      index: 0,
      channelKey: 'tg:1700000102',
      sourceId: 'copycat',
      kind: 'photo' as const,
      firstSeenAt: new Date(),
      buckets: { hour: 'x', day: 'x', week: 'x', month: 'x' },
    };
    const cases: Array<[string, RegExp]> = [
      ['/media/broken.png', /IMAGE_CORRUPT/],
      ['/media/not-an-image.png', /BAD_MAGIC/],
      ['/nowhere.png', /HTTP_STATUS/],
    ];
    for (const [k, [path, code]] of cases.entries()) {
      const ref = { ...base, index: k, _id: `tg:1700000102:999:m${k}`, url: `${h.sim.url}${path}` };
      await h.rt.store.media.insertOne(ref);
      const out = await ingestMediaRef(
        { store: h.rt.store, fetcher: h.rt.fetcher, matcher: deps.matcher as MediaMatcher, settings: h.rt.settings },
        source,
        ref,
        new Date(),
      );
      expect(out.error?.code).toMatch(code);
      const stored = await h.rt.store.media.findOne({ _id: ref._id });
      expect(stored?.error?.code).toMatch(code);
    }
  }, 60000);
});
