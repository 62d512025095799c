/**
 * The telegram-api crawler against a stand-in of Telegram that answers the API's requests with GramJS's own objects:
 * a public group (member count, backfill bound, incremental reads), a channel's comments (its discussion group, the
 * group's copies of the channel posts left out), a chat's state from an API error, a handle that is a user, and a
 * worker without the settings.
 */
import { Api, errors } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import { apiMediaUrl, downloadApiMedia, parseApiMediaUrl, telegramApiCrawler, type TelegramApiSource } from '../../crawlers/telegram-api';
import type { CrawlContext, CrawlCursor } from '../../crawlers/types';
import { SourceConfigError } from '../../src/core/errors';
import type { TelegramApiAccess, TelegramApiCaller } from '../../src/core/telegram-api';
import { sourceSchema } from '../../src/config/schema';
import type { Fetcher } from '../../src/core/fetcher';

const big = returnBigInt;
const DATE = 1_700_000_000;

function chan(id: number, over: Record<string, unknown>): Api.Channel {
  return new Api.Channel({ id: big(id), accessHash: big(id * 10), photo: new Api.ChatPhotoEmpty(), date: DATE, title: `Chat ${id}`, ...over });
}

function full(id: number, over: Record<string, unknown> = {}): Api.ChannelFull {
  return new Api.ChannelFull({
    id: big(id),
    about: `About ${id}`,
    readInboxMaxId: 0,
    readOutboxMaxId: 0,
    unreadCount: 0,
    chatPhoto: new Api.PhotoEmpty({ id: big(0) }),
    notifySettings: new Api.PeerNotifySettings({}),
    botInfo: [],
    pts: 1,
    ...over,
  });
}

function msg(chat: number, id: number, over: Record<string, unknown> = {}): Api.Message {
  return new Api.Message({ id, peerId: new Api.PeerChannel({ channelId: big(chat) }), date: DATE + id, message: `message ${id}`, ...over });
}

/** Telegram as the crawler sees it: handles, chats with their full info, and each chat's history. */
class FakeTelegram implements TelegramApiCaller {
  readonly requests: string[] = [];
  constructor(
    private readonly world: {
      handles: Record<string, Api.Channel | Api.User | Error>;
      chats: Api.Channel[];
      full: Record<number, Api.ChannelFull>;
      history: Record<number, Api.TypeMessage[]>;
    },
  ) {}

  download(): Promise<Buffer> {
    return Promise.reject(new Error('the crawler downloads nothing'));
  }

  invoke<R extends Api.AnyRequest>(name: string, req: R): Promise<R['__response']> {
    this.requests.push(name);
    return Promise.resolve(this.answer(req) as R['__response']);
  }

  private answer(req: Api.AnyRequest): unknown {
    if (req instanceof Api.contacts.ResolveUsername) {
      const e = this.world.handles[req.username.toLowerCase()] ?? new errors.RPCError('USERNAME_NOT_OCCUPIED', req, 400);
      if (e instanceof Error) throw e;
      const peer = e instanceof Api.User ? new Api.PeerUser({ userId: e.id }) : new Api.PeerChannel({ channelId: e.id });
      return new Api.contacts.ResolvedPeer({ peer, chats: e instanceof Api.Channel ? [e] : [], users: e instanceof Api.User ? [e] : [] });
    }
    if (req instanceof Api.channels.GetFullChannel) {
      const id = Number((req.channel as Api.InputChannel).channelId.toString());
      const f = this.world.full[id];
      if (!f) throw new errors.RPCError('CHANNEL_INVALID', req, 400);
      return new Api.messages.ChatFull({ fullChat: f, chats: this.world.chats, users: [] });
    }
    if (req instanceof Api.messages.GetHistory) {
      const id = Number((req.peer as Api.InputPeerChannel).channelId.toString());
      const all = (this.world.history[id] ?? []).filter((m) => m.id > (req.minId ?? 0) && (!req.offsetId || m.id < req.offsetId));
      const page = [...all].sort((a, b) => b.id - a.id).slice(0, req.limit ?? 100);
      return new Api.messages.ChannelMessages({ pts: 1, count: all.length, messages: page, topics: [], chats: this.world.chats, users: [] });
    }
    throw new Error(`unexpected request ${req.className}`);
  }
}

function access(tg: FakeTelegram): TelegramApiAccess {
  return { session: (_signal, work) => work(tg) };
}

const noFetch: Fetcher = {
  fetchText: () => Promise.reject(new Error('the API crawler fetches nothing over HTTP')),
  fetchBytes: () => Promise.reject(new Error('the API crawler fetches nothing over HTTP')),
} as unknown as Fetcher;

function ctx(tg: FakeTelegram | undefined, cursor: CrawlCursor = {}): CrawlContext {
  return { fetcher: noFetch, cursor, now: () => new Date(DATE * 1000), ...(tg ? { telegramApi: access(tg) } : {}) };
}

function src(over: Record<string, unknown>): TelegramApiSource {
  return sourceSchema.parse({ id: 'g', platform: 'telegram-api', schedule: '*/5 * * * *', handle: 'sim_group', ...over }) as TelegramApiSource;
}

const GROUP = 2001;
const group = chan(GROUP, { username: 'sim_group', megagroup: true, participantsCount: 40 });
const groupHistory = [
  new Api.MessageService({
    id: 1,
    peerId: new Api.PeerChannel({ channelId: big(GROUP) }),
    date: DATE,
    action: new Api.MessageActionChatCreate({ title: 'G', users: [] }),
  }),
  ...Array.from({ length: 9 }, (_, i) => msg(GROUP, i + 2)),
];

describe('the telegram-api crawler', () => {
  it("reads a public group: member count, the first crawl's backfill bound, then only what is new", async () => {
    const tg = new FakeTelegram({
      handles: { sim_group: group },
      chats: [group],
      full: { [GROUP]: full(GROUP, { participantsCount: 45 }) },
      history: { [GROUP]: groupHistory },
    });
    const source = src({ options: { backfillMessages: 6, pageSize: 4 } });
    const first = await telegramApiCrawler.crawl(source, ctx(tg));
    expect(first.channel).toMatchObject({
      platform: 'telegram-api',
      platformId: String(GROUP),
      handle: 'sim_group',
      kind: 'group',
      subscribers: 45,
      status: 'active',
      description: `About ${GROUP}`,
    });
    expect(first.posts.map((p) => p.postId)).toEqual(['5', '6', '7', '8', '9', '10']); // the six newest, oldest first
    expect(first.cursor).toEqual({ newestPostId: '10', backfilled: true });
    expect(tg.requests).toEqual(['telegram-api.resolve', 'telegram-api.full-channel', 'telegram-api.history', 'telegram-api.history']);
    // two new messages later: only they are read, from the cursor on
    groupHistory.push(msg(GROUP, 11), msg(GROUP, 12, { message: 'newest #tag', entities: [new Api.MessageEntityHashtag({ offset: 7, length: 4 })] }));
    const next = await telegramApiCrawler.crawl(source, ctx(tg, first.cursor));
    expect(next.posts.map((p) => [p.postId, p.hashtags])).toEqual([
      ['11', []],
      ['12', ['tag']],
    ]);
    expect(next.cursor).toEqual({ newestPostId: '12', backfilled: true });
    const idle = await telegramApiCrawler.crawl(source, ctx(tg, next.cursor));
    expect(idle.posts).toEqual([]);
    expect(idle.cursor).toEqual({ newestPostId: '12', backfilled: true });
  });

  it('reads service messages as events (the group created), not posts', async () => {
    const tg = new FakeTelegram({
      handles: { sim_group: group },
      chats: [group],
      full: { [GROUP]: full(GROUP) },
      history: { [GROUP]: groupHistory.slice(0, 3) },
    });
    const out = await telegramApiCrawler.crawl(src({}), ctx(tg));
    expect(out.posts.map((p) => [p.postId, p.service?.type])).toEqual([
      ['1', 'channel_created'],
      ['2', undefined],
      ['3', undefined],
    ]);
  });

  it("reads a channel's comments from its discussion group, without the group's copies of the channel posts", async () => {
    const CH = 3001;
    const DISC = 3002;
    const channel = chan(CH, { username: 'sim_channel', broadcast: true });
    const disc = chan(DISC, { megagroup: true, participantsCount: 77 }); // no public handle
    const copy = msg(DISC, 50, {
      fwdFrom: new Api.MessageFwdHeader({
        date: DATE,
        fromId: new Api.PeerChannel({ channelId: big(CH) }),
        channelPost: 9,
        savedFromPeer: new Api.PeerChannel({ channelId: big(CH) }),
        savedFromMsgId: 9,
      }),
    });
    const comment = msg(DISC, 51, {
      message: 'a comment',
      fromId: new Api.PeerUser({ userId: big(5) }),
      replyTo: new Api.MessageReplyHeader({ replyToMsgId: 50, replyToTopId: 50 }),
    });
    const reply = msg(DISC, 52, { message: 'a reply', replyTo: new Api.MessageReplyHeader({ replyToMsgId: 51, replyToTopId: 50 }) });
    const tg = new FakeTelegram({
      handles: { sim_channel: channel },
      chats: [channel, disc],
      full: { [CH]: full(CH, { linkedChatId: big(DISC) }), [DISC]: full(DISC, { participantsCount: 80 }) },
      history: { [DISC]: [copy, comment, reply] },
    });
    const out = await telegramApiCrawler.crawl(src({ handle: 'sim_channel', read: 'comments' }), ctx(tg));
    expect(out.channel).toMatchObject({ platformId: String(DISC), kind: 'group', subscribers: 80, handle: 'sim_channel/comments' });
    expect(out.posts.map((p) => p.postId)).toEqual(['51', '52']);
    expect(out.posts[0]?.url).toBe(`https://t.me/c/${DISC}/51`);
    expect(out.posts[0]?.replyTo).toEqual({ postId: '50', url: 'https://t.me/sim_channel/9?comment=51' });
    expect(out.posts[1]?.replyTo).toEqual({ postId: '50', url: 'https://t.me/sim_channel/9?comment=52' });
    expect(out.cursor.newestPostId).toBe('52');
  });

  it('reads a channel with comments off (no discussion group) as its own channel, with no posts', async () => {
    const channel = chan(4001, { username: 'quiet', broadcast: true });
    const tg = new FakeTelegram({ handles: { quiet: channel }, chats: [channel], full: { 4001: full(4001) }, history: {} });
    const out = await telegramApiCrawler.crawl(src({ handle: 'quiet', read: 'comments' }), ctx(tg));
    expect(out.channel).toMatchObject({ platformId: '4001', kind: 'channel', status: 'active' });
    expect(out.posts).toEqual([]);
  });

  it('records the state an API error tells, keeping the cursor', async () => {
    const tg = new FakeTelegram({
      handles: { closed: new errors.RPCError('CHANNEL_PRIVATE', new Api.help.GetConfig(), 400) },
      chats: [],
      full: {},
      history: {},
    });
    const cursor = { newestPostId: '7', backfilled: true };
    const priv = await telegramApiCrawler.crawl(src({ handle: 'closed' }), ctx(tg, cursor));
    expect(priv.channel).toMatchObject({ status: 'private', handle: 'closed', statusDetail: expect.stringContaining('CHANNEL_PRIVATE') });
    expect(priv.cursor).toEqual(cursor);
    const gone = await telegramApiCrawler.crawl(src({ handle: 'nobody_here' }), ctx(tg));
    expect(gone.channel.status).toBe('not_found');
  });

  it('says a handle that is a user or a bot is not a channel', async () => {
    const tg = new FakeTelegram({ handles: { sim_bot: new Api.User({ id: big(9), bot: true, username: 'sim_bot' }) }, chats: [], full: {}, history: {} });
    const out = await telegramApiCrawler.crawl(src({ handle: 'sim_bot' }), ctx(tg));
    expect(out.channel).toMatchObject({ status: 'not_channel', kind: 'bot' });
  });

  it('fails with the settings to set when the worker has no Telegram API account (not retried)', async () => {
    const err = await telegramApiCrawler.crawl(src({}), ctx(undefined)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceConfigError);
    expect((err as SourceConfigError).retryable).toBe(false);
    expect((err as Error).message).toContain('telegramApi.apiId');
    expect((err as Error).message).toContain('HYDRAWATCH_TG_API_HASH');
  });

  it('refuses an HTTP proxy on a telegram-api source', () => {
    const r = sourceSchema.safeParse({
      id: 'g',
      platform: 'telegram-api',
      schedule: '*/5 * * * *',
      handle: 'sim_group',
      proxy: 'http://proxy.example.org:3128',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['proxy']);
  });
});

describe('telegram-api media through the API', () => {
  const CHAT = 5001;
  const photo = new Api.MessageMediaPhoto({
    photo: new Api.Photo({ id: big(1), accessHash: big(2), fileReference: Buffer.from('old'), date: DATE, sizes: [], dcId: 2 }),
  });

  /** Answers getMessages with the message (a new file reference each time), and downloads as scripted. */
  function mediaCaller(downloads: Array<Buffer | Error>, media: Api.TypeMessageMedia | null = photo): TelegramApiCaller & { reads: number; downloads: number } {
    const c = {
      reads: 0,
      downloads: 0,
      invoke<R extends Api.AnyRequest>(_name: string, req: R): Promise<R['__response']> {
        if (!(req instanceof Api.channels.GetMessages)) return Promise.reject(new Error(`unexpected ${req.className}`));
        c.reads += 1;
        const m = msg(CHAT, 7, media ? { media } : {});
        return Promise.resolve(new Api.messages.ChannelMessages({ pts: 1, count: 1, messages: [m], topics: [], chats: [], users: [] }) as R['__response']);
      },
      download(): Promise<Buffer> {
        const next = downloads[c.downloads] ?? new Error('no more downloads');
        c.downloads += 1;
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
      },
    };
    return c;
  }

  it('keeps the chat, message and access hash in the reference, and reads nothing else as one', () => {
    expect(apiMediaUrl('5001', 7, '-123')).toBe('tg-api://5001/7?access=-123');
    expect(parseApiMediaUrl('tg-api://5001/7?access=-123')).toEqual({ chatId: '5001', messageId: 7, accessHash: '-123' });
    expect(parseApiMediaUrl('tg-api://5001/7')).toEqual({ chatId: '5001', messageId: 7 });
    for (const u of ['https://t.me/x/1', 'tg-api://abc/1', 'tg-api://1/2?access=x', 'tg-api://1/2/3']) expect(parseApiMediaUrl(u)).toBeUndefined();
  });

  it('reads the message again for a fresh file reference, and once more when it expired meanwhile', async () => {
    const expired = new errors.RPCError('FILE_REFERENCE_EXPIRED', new Api.help.GetConfig(), 400);
    const caller = mediaCaller([expired, Buffer.from('jpeg')]);
    const got = await downloadApiMedia(caller, apiMediaUrl(String(CHAT), 7, '9'), 1000, 1000);
    expect(got).toEqual({ bytes: Buffer.from('jpeg') });
    expect([caller.reads, caller.downloads]).toEqual([2, 2]);
    const twice = mediaCaller([expired, expired]);
    await expect(downloadApiMedia(twice, apiMediaUrl(String(CHAT), 7), 1000, 1000)).rejects.toBe(expired);
  });

  it('says a message whose media is gone is gone', async () => {
    const got = await downloadApiMedia(mediaCaller([], null), apiMediaUrl(String(CHAT), 7), 1000, 1000);
    expect(got).toEqual({ gone: 'the message or its media is no longer there' });
  });
});
