import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import { SourceConfigError } from '../../src/core/errors';
import type { TelegramApiCaller } from '../../src/core/telegram-api';
import type { ChannelSnapshot, CrawlContext, CrawlOutcome, Crawler, ParsedPost } from '../types';
import { classifyApiError } from './api-errors';
import { channelSnapshot, otherPeerSnapshot, stateSnapshot } from './map-channel';
import { mapMessage } from './map-message';
import { peerDirectory, peerId, primaryUsername } from './peers';
import type { TelegramApiSource } from './source';

const LINK_BASE = 'https://t.me';

/** The settings a crawl of a telegram-api source needs and a worker without them lacks (named in the error). */
export const NOT_CONFIGURED =
  'Telegram API is not configured in this worker: set telegramApi.apiId and telegramApi.apiHash (or HYDRAWATCH_TG_API_ID and ' +
  'HYDRAWATCH_TG_API_HASH) in config/settings.yaml, and log in once with "hydrawatch telegram login"';

/**
 * A public group or channel through Telegram's API (docs/platforms.md, "telegram-api"): the handle resolved, the
 * chat's full info (member count, description), then its history newest first down to the last message seen (the
 * first crawl: `backfillMessages`, later ones at most `maxMessagesPerCheck`). `read: comments` reads the channel's
 * linked discussion group instead, without the channel posts the group holds copies of. An error that tells the
 * chat's state (private, gone, no such handle) is the outcome's channel status.
 */
export const telegramApiCrawler: Crawler<TelegramApiSource> = {
  platform: 'telegram-api',
  async crawl(source: TelegramApiSource, ctx: CrawlContext): Promise<CrawlOutcome> {
    const access = ctx.telegramApi;
    if (!access) throw new SourceConfigError(NOT_CONFIGURED);
    return access.session(ctx.signal, async (api) => {
      try {
        return await crawlChat(api, source, ctx);
      } catch (err) {
        const c = classifyApiError(err);
        if (c.kind !== 'chat') throw err;
        return { channel: stateSnapshot(source.handle, c.state, c.code), posts: [], pagesFetched: 1, cursor: ctx.cursor };
      }
    });
  },
};

interface Target {
  channel: Api.Channel;
  full: Api.ChannelFull;
  /** Comments: the channel whose posts the group discusses. */
  parent?: Api.Channel;
}

async function crawlChat(api: TelegramApiCaller, source: TelegramApiSource, ctx: CrawlContext): Promise<CrawlOutcome> {
  const resolved = await api.invoke('telegram-api.resolve', new Api.contacts.ResolveUsername({ username: source.handle }));
  const entity = resolvedEntity(resolved);
  if (!(entity instanceof Api.Channel)) {
    const snap = entity
      ? otherPeerSnapshot(source.handle, entity)
      : stateSnapshot(source.handle, { status: 'not_found', detail: 'the handle resolved to nothing' }, 'EMPTY');
    return { channel: snap, posts: [], pagesFetched: 1, cursor: ctx.cursor };
  }
  let requests = 1;
  const own = await fullChannel(api, entity);
  requests += 1;
  if (own.channel.restrictionReason?.some((r) => r.platform === 'all')) {
    return { channel: channelSnapshot(source.handle, own.channel, own.full), posts: [], pagesFetched: requests, cursor: ctx.cursor };
  }
  let target: Target = own;
  if (source.read === 'comments') {
    const group = own.linked;
    if (!own.channel.broadcast) throw new SourceConfigError(`"${source.handle}" is a group, not a channel: read its messages (read: messages), not comments`);
    if (!group) return { channel: channelSnapshot(source.handle, own.channel, own.full), posts: [], pagesFetched: requests, cursor: ctx.cursor };
    const g = await fullChannel(api, group);
    requests += 1;
    target = { ...g, parent: own.channel };
  }
  const read = await readHistory(api, target, source, ctx);
  const handle = primaryUsername(target.channel) ?? (target.parent ? `${source.handle}/comments` : source.handle);
  const channel: ChannelSnapshot = channelSnapshot(handle, target.channel, target.full);
  return {
    channel,
    posts: read.posts,
    pagesFetched: requests + read.requests,
    cursor: {
      ...(read.newest !== undefined
        ? { newestPostId: String(read.newest) }
        : ctx.cursor.newestPostId !== undefined
          ? { newestPostId: ctx.cursor.newestPostId }
          : {}),
      backfilled: true,
    },
  };
}

function resolvedEntity(r: Api.contacts.ResolvedPeer): Api.Channel | Api.ChannelForbidden | Api.Chat | Api.ChatForbidden | Api.User | undefined {
  const id = peerId(r.peer);
  if (r.peer instanceof Api.PeerUser) return r.users.find((u): u is Api.User => u instanceof Api.User && u.id.toString() === id);
  return r.chats.find((c): c is Api.Channel | Api.ChannelForbidden | Api.Chat | Api.ChatForbidden => !(c instanceof Api.ChatEmpty) && c.id.toString() === id);
}

/** A channel's full info, and its linked chat (a channel's discussion group) when the answer carries it. */
async function fullChannel(api: TelegramApiCaller, channel: Api.Channel): Promise<{ channel: Api.Channel; full: Api.ChannelFull; linked?: Api.Channel }> {
  const input = new Api.InputChannel({ channelId: channel.id, accessHash: channel.accessHash ?? returnBigInt(0) });
  const answer = await api.invoke('telegram-api.full-channel', new Api.channels.GetFullChannel({ channel: input }));
  const full = answer.fullChat;
  if (!(full instanceof Api.ChannelFull)) throw new SourceConfigError(`"${channel.title}" answered with the full info of a basic group`);
  const chats = answer.chats.filter((c): c is Api.Channel => c instanceof Api.Channel);
  const self = chats.find((c) => c.id.equals(channel.id)) ?? channel;
  const linkedId = full.linkedChatId;
  const linked = linkedId ? chats.find((c) => c.id.equals(linkedId)) : undefined;
  return { channel: self, full, ...(linked ? { linked } : {}) };
}

/** The chat's messages newer than the cursor, newest first, within the source's bound; service messages kept. */
async function readHistory(
  api: TelegramApiCaller,
  target: Target,
  source: TelegramApiSource,
  ctx: CrawlContext,
): Promise<{ posts: ParsedPost[]; newest?: number; requests: number }> {
  const known = ctx.cursor.newestPostId !== undefined ? Number(ctx.cursor.newestPostId) : 0;
  const cap = ctx.cursor.backfilled ? source.options.maxMessagesPerCheck : Math.max(1, source.options.backfillMessages);
  const peer = new Api.InputPeerChannel({ channelId: target.channel.id, accessHash: target.channel.accessHash ?? returnBigInt(0) });
  const msgs: Api.TypeMessage[] = [];
  const chats: Api.TypeChat[] = [];
  const users: Api.TypeUser[] = [];
  let offsetId = 0;
  let requests = 0;
  while (msgs.length < cap) {
    const limit = Math.min(source.options.pageSize, cap - msgs.length);
    const page = await api.invoke('telegram-api.history', new Api.messages.GetHistory({ peer, offsetId, limit, minId: known }));
    requests += 1;
    if (page instanceof Api.messages.MessagesNotModified) break;
    const fresh = page.messages.filter((m) => m.id > known);
    msgs.push(...fresh);
    chats.push(...page.chats);
    users.push(...page.users);
    const oldest = Math.min(...page.messages.map((m) => m.id));
    if (fresh.length < limit || !Number.isFinite(oldest) || oldest <= known + 1) break;
    offsetId = oldest;
  }
  const newest = msgs.length ? Math.max(...msgs.map((m) => m.id)) : undefined;
  const handle = primaryUsername(target.channel);
  const accessHash = target.channel.accessHash?.toString();
  const context = {
    chatId: target.channel.id.toString(),
    ...(handle ? { handle } : {}),
    ...(accessHash ? { accessHash } : {}),
    linkBase: LINK_BASE,
    peers: peerDirectory(chats, users),
  };
  const parentId = target.parent?.id.toString();
  const roots = new Map<number, number>();
  const posts: ParsedPost[] = [];
  for (const m of [...msgs].sort((a, b) => a.id - b.id)) {
    const copy = parentId !== undefined && m instanceof Api.Message ? channelPostOf(m, parentId) : undefined;
    if (copy !== undefined) {
      roots.set(m.id, copy); // the group's copy of a channel post: the thread's root, not a comment
      continue;
    }
    const p = mapMessage(m, context);
    if (p) posts.push(target.parent ? threadToPost(p, m, roots, target.parent, source.handle) : p);
  }
  return { posts, ...(newest !== undefined ? { newest } : {}), requests };
}

/** The channel post a discussion-group message is the automatic copy of, when it is one. */
function channelPostOf(m: Api.Message, parentId: string): number | undefined {
  const fwd = m.fwdFrom;
  if (!fwd?.savedFromPeer || fwd.savedFromMsgId === undefined) return undefined;
  return peerId(fwd.savedFromPeer) === parentId ? fwd.savedFromMsgId : undefined;
}

/** A comment's reply link points at the channel post its thread discusses, when the thread's root was read. */
function threadToPost(p: ParsedPost, m: Api.TypeMessage, roots: ReadonlyMap<number, number>, parent: Api.Channel, handle: string): ParsedPost {
  if (!(m instanceof Api.Message) || !m.replyTo) return p;
  const root = m.replyTo.replyToTopId ?? m.replyTo.replyToMsgId;
  const post = root !== undefined ? roots.get(root) : undefined;
  if (post === undefined) return p;
  const channelHandle = primaryUsername(parent) ?? handle;
  return { ...p, replyTo: { postId: String(root), url: `${LINK_BASE}/${channelHandle}/${String(post)}?comment=${p.postId}` } };
}
