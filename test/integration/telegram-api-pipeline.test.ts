/**
 * The telegram-api platform through the crawl pipeline, on the real store and Redis: a channel read through the web
 * preview and through the API lands on one channel (`tg:<id>`) and one timeline; a revoked login fails the sources at
 * once with a `crawl_failing` alert and loses nothing; a worker without the settings fails only the telegram-api
 * sources, and the other platforms crawl on. Telegram is a stand-in answering with GramJS's own objects.
 */
import { Api, errors } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import { defaultCrawlers } from '../../src/app/crawler-registry';
import { sourceSchema } from '../../src/config/schema';
import { ApiSessionError, SourceConfigError } from '../../src/core/errors';
import { recordCrawlFailure, runCrawl, type PipelineDeps } from '../../src/pipeline/crawl-source';
import { alertsCollection } from '../../src/store/repos/alerts';
import { AccountGuard } from '../../src/telegram-api/account-guard';
import { guardedAccess, type ApiClient } from '../../src/telegram-api/guarded-access';
import { MediaMatcher } from '../../src/media/media-matcher';
import { runMediaJob } from '../../src/pipeline/media-stage';
import { generateImage } from '../../src/simulator/png';
import { startHarness, tgSource, type Harness } from '../support/pipeline-harness';
import { uniqueName } from '../support/services';

const big = returnBigInt;
const BETA = 1700000002; // sim_beta of config/scenarios/pipeline-test.yaml
const beta = new Api.Channel({
  id: big(BETA),
  accessHash: big(1),
  title: 'Beta Football Corner (synthetic)',
  username: 'sim_beta',
  photo: new Api.ChatPhotoEmpty(),
  date: 1,
  broadcast: true,
});

function betaMessage(id: number, over: Record<string, unknown> = {}): Api.Message {
  return new Api.Message({
    id,
    peerId: new Api.PeerChannel({ channelId: big(BETA) }),
    date: 1_764_000_000 + id,
    message: `api message ${id}`,
    views: 100 + id,
    ...over,
  });
}

/** Telegram as a client sees it: sim_beta, its full info and messages 4–6 (6 is newer than the web preview's). */
function betaClient(history: Api.Message[]): ApiClient & { calls: number } {
  const c = {
    calls: 0,
    downloadMedia: () => Promise.resolve(Buffer.from('bytes')),
    invoke<R extends Api.AnyRequest>(req: R): Promise<R['__response']> {
      c.calls += 1;
      const answer = (): unknown => {
        if (req instanceof Api.contacts.ResolveUsername)
          return new Api.contacts.ResolvedPeer({ peer: new Api.PeerChannel({ channelId: beta.id }), chats: [beta], users: [] });
        if (req instanceof Api.channels.GetFullChannel) {
          const full = new Api.ChannelFull({
            id: beta.id,
            about: 'Synthetic test channel about football',
            participantsCount: 951,
            readInboxMaxId: 0,
            readOutboxMaxId: 0,
            unreadCount: 0,
            chatPhoto: new Api.PhotoEmpty({ id: big(0) }),
            notifySettings: new Api.PeerNotifySettings({}),
            botInfo: [],
            pts: 1,
          });
          return new Api.messages.ChatFull({ fullChat: full, chats: [beta], users: [] });
        }
        if (req instanceof Api.messages.GetHistory) {
          const page = history.filter((m) => m.id > (req.minId ?? 0)).sort((a, b) => b.id - a.id);
          return new Api.messages.ChannelMessages({ pts: 1, count: page.length, messages: page, topics: [], chats: [beta], users: [] });
        }
        throw new Error(`unexpected ${req.className}`);
      };
      return Promise.resolve(answer() as R['__response']);
    },
  };
  return c;
}

function revokedClient(): ApiClient & { calls: number } {
  const c = {
    calls: 0,
    downloadMedia: () => Promise.reject(new Error('no download with a revoked login')),
    invoke<R extends Api.AnyRequest>(req: R): Promise<R['__response']> {
      c.calls += 1;
      return Promise.reject(new errors.RPCError('AUTH_KEY_UNREGISTERED', req, 401));
    },
  };
  return c;
}

describe('telegram-api through the crawl pipeline', () => {
  let h: Harness;
  let base: PipelineDeps;
  beforeAll(async () => {
    h = await startHarness('pipeline-test.yaml', { alerts: { rules: [{ name: 'ops', to: ['ops@example.org'], kinds: ['crawl_failing'] }] } });
    base = { store: h.rt.store, crawlers: defaultCrawlers, fetcher: h.rt.fetcher, limiter: h.rt.limiter, settings: h.rt.settings };
  });
  afterAll(async () => h?.close());

  const guard = (): AccountGuard =>
    new AccountGuard(h.rt.redis, { prefix: uniqueName('hwtest:tgapi'), requestsPerHour: 1000, backoffBaseMs: 100, backoffMaxMs: 1000, leaseMs: 10_000 });
  const apiSource = (id: string, handle: string) => sourceSchema.parse({ id, platform: 'telegram-api', handle, schedule: '*/5 * * * *', tags: ['test'] });

  it('merges a channel read through the web preview and through the API into one channel and one timeline', async () => {
    const web = sourceSchema.parse(tgSource(h.sim, 'beta-web', 'sim_beta'));
    await runCrawl(base, web, { jobId: 'beta-web-1', attempt: 1 });
    const before = await h.rt.store.posts.find({ channelKey: `tg:${BETA}` }).toArray();
    expect(before.length).toBeGreaterThan(0);
    const newest = Math.max(...before.map((p) => Number(p.postId)));
    const reactions = new Api.MessageReactions({ results: [new Api.ReactionCount({ reaction: new Api.ReactionEmoji({ emoticon: '👍' }), count: 4 })] });
    const client = betaClient([betaMessage(newest, { reactions }), betaMessage(newest + 1)]);
    const access = guardedAccess(guard(), () => Promise.resolve({ client, sessionTag: 't1' }), { requestTimeoutMs: 5000, maxInlineWaitMs: 0 });
    const r = await runCrawl({ ...base, telegramApi: access }, apiSource('beta-api', 'sim_beta'), { jobId: 'beta-api-1', attempt: 1 });
    expect(r.status).toBe('active');
    const after = await h.rt.store.posts.find({ channelKey: `tg:${BETA}` }).toArray();
    expect(after).toHaveLength(before.length + 1); // the shared message merged, the newer one added
    const shared = after.find((p) => p.postId === String(newest));
    expect(shared?.reactions).toEqual([{ reaction: '👍', count: 4 }]);
    expect(await h.rt.store.channels.countDocuments({ _id: `tg:${BETA}` })).toBe(1);
    expect((await h.rt.store.channels.findOne({ _id: `tg:${BETA}` }))?.subscribers).toBe(951);
  });

  it('fails every source of a revoked login at once with a crawl_failing alert, and loses nothing', async () => {
    const g = guard();
    const first = revokedClient();
    const deps = {
      ...base,
      telegramApi: guardedAccess(g, () => Promise.resolve({ client: first, sessionTag: 'revoked' }), { requestTimeoutMs: 5000, maxInlineWaitMs: 0 }),
    };
    const source = apiSource('beta-api', 'sim_beta'); // the source of the test above: its channel, posts and cursor exist
    const cursorBefore = await h.rt.store.cursors.findOne({ _id: 'beta-api' });
    const postsBefore = await h.rt.store.posts.countDocuments({ channelKey: `tg:${BETA}` });
    const err = await runCrawl(deps, source, { jobId: 'beta-api-2', attempt: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiSessionError);
    expect((err as ApiSessionError).retryable).toBe(false); // the queue does not retry it: its final failure is recorded now
    await recordCrawlFailure(deps, source, { jobId: 'beta-api-2', attempt: 1 }, err as Error);
    const alerts = await alertsCollection(h.rt.store).find({ sourceId: 'beta-api', kind: 'crawl_failing' }).toArray();
    expect(alerts).toHaveLength(1); // at the first failure, not after alerts.crawlFailingAfter (3)
    expect(alerts[0]?.text).toContain('AUTH_KEY_UNREGISTERED');
    expect((await h.rt.store.channels.findOne({ _id: `tg:${BETA}` }))?.consecutiveFailures).toBe(1);
    expect(await h.rt.store.cursors.findOne({ _id: 'beta-api' })).toMatchObject({ cursor: { newestPostId: cursorBefore?.cursor.newestPostId } });
    expect(await h.rt.store.posts.countDocuments({ channelKey: `tg:${BETA}` })).toBe(postsBefore);
    // another source of the same login fails without a request to Telegram
    const other = await runCrawl(deps, apiSource('gamma-api', 'sim_gamma'), { jobId: 'gamma-api-1', attempt: 1 }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ApiSessionError);
    expect(first.calls).toBe(1);
  });

  it('fails only the telegram-api sources of a worker without the settings; the other platforms crawl on', async () => {
    const err = await runCrawl(base, apiSource('grp', 'sim_group'), { jobId: 'grp-1', attempt: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceConfigError);
    expect((err as Error).message).toContain('telegramApi.apiId');
    const web = sourceSchema.parse(tgSource(h.sim, 'gamma-web', 'sim_gamma'));
    await expect(runCrawl(base, web, { jobId: 'gamma-web-1', attempt: 1 })).resolves.toMatchObject({ status: 'active' });
  });

  it("hands a group's photos to the media stage, which downloads them through the API (an expired file reference fetched again)", async () => {
    const GROUP = 1900000001;
    const group = new Api.Channel({
      id: big(GROUP),
      accessHash: big(-5),
      title: 'Sim API Group',
      username: 'sim_api_group',
      photo: new Api.ChatPhotoEmpty(),
      date: 1,
      megagroup: true,
    });
    let reference = 0;
    const photoMessage = (): Api.Message =>
      new Api.Message({
        id: 3,
        peerId: new Api.PeerChannel({ channelId: big(GROUP) }),
        date: 1_764_000_000,
        message: 'a photo',
        media: new Api.MessageMediaPhoto({
          photo: new Api.Photo({ id: big(1), accessHash: big(2), fileReference: Buffer.from(`ref${(reference += 1)}`), date: 1, sizes: [], dcId: 2 }),
        }),
      });
    const downloads: string[] = [];
    const client: ApiClient = {
      invoke<R extends Api.AnyRequest>(req: R): Promise<R['__response']> {
        const chats = [group];
        const answer = (): unknown => {
          if (req instanceof Api.contacts.ResolveUsername)
            return new Api.contacts.ResolvedPeer({ peer: new Api.PeerChannel({ channelId: group.id }), chats, users: [] });
          if (req instanceof Api.channels.GetFullChannel) {
            const fullChat = new Api.ChannelFull({
              id: group.id,
              about: '',
              participantsCount: 12,
              readInboxMaxId: 0,
              readOutboxMaxId: 0,
              unreadCount: 0,
              chatPhoto: new Api.PhotoEmpty({ id: big(0) }),
              notifySettings: new Api.PeerNotifySettings({}),
              botInfo: [],
              pts: 1,
            });
            return new Api.messages.ChatFull({ fullChat, chats, users: [] });
          }
          if (req instanceof Api.messages.GetHistory || req instanceof Api.channels.GetMessages) {
            if (req instanceof Api.channels.GetMessages) expect((req.channel as Api.InputChannel).accessHash.toString()).toBe('-5');
            return new Api.messages.ChannelMessages({ pts: 1, count: 1, messages: [photoMessage()], topics: [], chats, users: [] });
          }
          throw new Error(`unexpected ${req.className}`);
        };
        return Promise.resolve(answer() as R['__response']);
      },
      downloadMedia(message: Api.Message): Promise<Buffer> {
        const ref =
          message.media instanceof Api.MessageMediaPhoto && message.media.photo instanceof Api.Photo ? message.media.photo.fileReference.toString() : '';
        downloads.push(ref);
        if (downloads.length === 1) return Promise.reject(new errors.RPCError('FILE_REFERENCE_EXPIRED', new Api.help.GetConfig(), 400));
        return Promise.resolve(generateImage(5));
      },
    };
    const access = guardedAccess(guard(), () => Promise.resolve({ client, sessionTag: 'media' }), { requestTimeoutMs: 5000, maxInlineWaitMs: 0 });
    const source = apiSource('api-group', 'sim_api_group');
    await runCrawl({ ...base, telegramApi: access }, source, { jobId: 'api-group-1', attempt: 1 });
    const refs = await h.rt.store.media.find({ channelKey: `tg:${GROUP}` }).toArray();
    expect(refs.map((r) => [r._id, r.kind, r.url])).toEqual([[`tg:${GROUP}:3:m0`, 'photo', `tg-api://${GROUP}/3?access=-5`]]);
    const matcher = new MediaMatcher(h.rt.store, h.rt.feed, { minQuality: 50 });
    const out = await runMediaJob(
      { store: h.rt.store, fetcher: h.rt.fetcher, limiter: h.rt.limiter, settings: h.rt.settings, matcher, telegramApi: access },
      { source, refId: `tg:${GROUP}:3:m0`, postAt: new Date().toISOString() },
    );
    expect(out).toMatchObject({ status: 'ingested' });
    expect(downloads).toEqual(['ref2', 'ref3']); // each download after a fresh read of the message; the expired one read again
    const ref = await h.rt.store.media.findOne({ _id: `tg:${GROUP}:3:m0` });
    expect(ref?.mediaId).toBeDefined();
    expect(ref?.error).toBeUndefined();
  });
});
