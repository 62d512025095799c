import { Api } from 'telegram';
import type { ParsedPost, ServiceInfo } from '../types';
import { mapMedia } from './map-media';
import { apiMediaUrl } from './media-ref';
import { describePeer, messageUrl, peerId, type PeerDirectory } from './peers';

/** The chat a message was read from, and where its links point. */
export interface MessageContext {
  /** The chat's numeric id (decimal). */
  readonly chatId: string;
  /** The chat's public handle, when it has one. */
  readonly handle?: string;
  /** Base of message links (`https://t.me`). */
  readonly linkBase: string;
  /** The chats and users of the answer the message came in. */
  readonly peers: PeerDirectory;
  /** The chat's access hash for this account, kept in media references (the media stage reads the message by it). */
  readonly accessHash?: string;
}

/**
 * Pure: one of GramJS's messages as a hydrawatch post (what the web-preview parser gives for the same message): text,
 * links, hashtags and mentions from the message's entities, views, media, forward and reply, reaction counts; a
 * service message as a post with `service` set (an event, never a post). An empty message slot: undefined.
 */
export function mapMessage(msg: Api.TypeMessage, ctx: MessageContext): ParsedPost | undefined {
  if (msg instanceof Api.MessageEmpty) return undefined;
  const chat = { id: ctx.chatId, ...(ctx.handle ? { handle: ctx.handle } : {}) };
  const base = {
    postId: String(msg.id),
    url: messageUrl(ctx.linkBase, chat, msg.id),
    publishedAt: new Date(msg.date * 1000),
  };
  if (msg instanceof Api.MessageService) {
    const service = serviceInfo(msg.action, msg.replyTo);
    return { ...base, text: serviceText(msg.action), links: [], hashtags: [], mentions: [], media: [], service };
  }
  const text = msg.message;
  const marks = entityMarks(text, msg.entities ?? []);
  const mapped = mapMedia(msg.media, apiMediaUrl(ctx.chatId, msg.id, ctx.accessHash));
  const reactions = reactionCounts(msg.reactions);
  const forwardedFrom = msg.fwdFrom ? forwardOf(msg.fwdFrom, ctx) : undefined;
  const replyTo = msg.replyTo ? replyOf(msg.replyTo, ctx) : undefined;
  return {
    ...base,
    text: text || (mapped.poll ? [mapped.poll.question, ...mapped.poll.options].join('\n') : ''),
    ...marks,
    ...(msg.views !== undefined ? { views: msg.views } : {}),
    media: mapped.media,
    ...(forwardedFrom ? { forwardedFrom } : {}),
    ...(replyTo ? { replyTo } : {}),
    ...(mapped.linkPreview ? { linkPreview: mapped.linkPreview } : {}),
    ...(mapped.poll ? { poll: mapped.poll } : {}),
    ...(mapped.location ? { location: mapped.location } : {}),
    ...(reactions.length ? { reactions } : {}),
  };
}

/** Pure: links, hashtags and mentions, from the message's entities (offsets in UTF-16 units, as JavaScript strings). */
export function entityMarks(text: string, entities: readonly Api.TypeMessageEntity[]): Pick<ParsedPost, 'links' | 'hashtags' | 'mentions'> {
  const links: string[] = [];
  const hashtags: string[] = [];
  const mentions: string[] = [];
  const add = (list: string[], v: string): void => {
    if (v && !list.includes(v)) list.push(v);
  };
  for (const e of entities) {
    const slice = text.slice(e.offset, e.offset + e.length);
    if (e instanceof Api.MessageEntityTextUrl) add(links, e.url);
    else if (e instanceof Api.MessageEntityUrl) add(links, /^[a-z][a-z0-9+.-]*:\/\//i.test(slice) ? slice : `https://${slice}`);
    else if (e instanceof Api.MessageEntityHashtag) add(hashtags, slice.replace(/^#/, ''));
    else if (e instanceof Api.MessageEntityMention) add(mentions, slice.replace(/^@/, ''));
  }
  return { links, hashtags, mentions };
}

/** Pure: a message's reaction counts, largest first (an emoji, a custom emoji's document id, or paid stars). */
export function reactionCounts(reactions: Api.MessageReactions | undefined): NonNullable<ParsedPost['reactions']> {
  if (!reactions) return [];
  return reactions.results
    .map((r) => ({ reaction: reactionName(r.reaction), count: r.count }))
    .filter((r) => r.reaction !== undefined)
    .map((r) => ({ reaction: r.reaction ?? '', count: r.count }))
    .sort((a, b) => b.count - a.count);
}

function reactionName(r: Api.TypeReaction): string | undefined {
  if (r instanceof Api.ReactionEmoji) return r.emoticon;
  if (r instanceof Api.ReactionCustomEmoji) return `custom:${r.documentId.toString()}`;
  if (r instanceof Api.ReactionPaid) return 'paid';
  return undefined;
}

function forwardOf(fwd: Api.MessageFwdHeader, ctx: MessageContext): NonNullable<ParsedPost['forwardedFrom']> {
  const from = fwd.fromId ? describePeer(fwd.fromId, ctx.peers) : {};
  const name = from.name ?? fwd.fromName;
  const postId = fwd.channelPost !== undefined ? String(fwd.channelPost) : undefined;
  const base = ctx.linkBase.replace(/\/+$/, '');
  const url = from.handle ? `${base}/${from.handle}${postId ? `/${postId}` : ''}` : undefined;
  return { ...(name ? { name } : {}), ...(from.handle ? { handle: from.handle } : {}), ...(url ? { url } : {}), ...(postId ? { postId } : {}) };
}

function replyOf(reply: Api.MessageReplyHeader, ctx: MessageContext): ParsedPost['replyTo'] | undefined {
  if (reply.replyToMsgId === undefined) return undefined;
  const postId = String(reply.replyToMsgId);
  const other = reply.replyToPeerId && peerId(reply.replyToPeerId) !== ctx.chatId ? reply.replyToPeerId : undefined;
  if (!other) return { postId, url: messageUrl(ctx.linkBase, { id: ctx.chatId, ...(ctx.handle ? { handle: ctx.handle } : {}) }, reply.replyToMsgId) };
  const handle = describePeer(other, ctx.peers).handle;
  return { postId, url: messageUrl(ctx.linkBase, { id: peerId(other), ...(handle ? { handle } : {}) }, reply.replyToMsgId) };
}

/** Pure: what a service message's action says, as the web preview's service messages are classified. */
export function serviceInfo(action: Api.TypeMessageAction, replyTo?: Api.MessageReplyHeader): ServiceInfo {
  if (action instanceof Api.MessageActionChannelCreate || action instanceof Api.MessageActionChatCreate) return { type: 'channel_created' };
  if (action instanceof Api.MessageActionChatEditTitle) return { type: 'title_changed', ...(action.title ? { title: action.title } : {}) };
  if (action instanceof Api.MessageActionChatEditPhoto) return { type: 'photo_changed' };
  if (action instanceof Api.MessageActionChatDeletePhoto) return { type: 'photo_removed' };
  if (action instanceof Api.MessageActionPinMessage) {
    return { type: 'pinned', ...(replyTo?.replyToMsgId !== undefined ? { pinnedPostId: String(replyTo.replyToMsgId) } : {}) };
  }
  return { type: 'other' };
}

/** The sentence the apps show for a service message (the post's text). */
export function serviceText(action: Api.TypeMessageAction): string {
  if (action instanceof Api.MessageActionChannelCreate) return 'Channel created';
  if (action instanceof Api.MessageActionChatCreate) return 'Group created';
  if (action instanceof Api.MessageActionChatEditTitle) return `Channel name was changed to «${action.title}»`;
  if (action instanceof Api.MessageActionChatEditPhoto) return 'Channel photo updated';
  if (action instanceof Api.MessageActionChatDeletePhoto) return 'Channel photo removed';
  if (action instanceof Api.MessageActionPinMessage) return 'pinned a message';
  if (action instanceof Api.MessageActionChatAddUser || action instanceof Api.MessageActionChatJoinedByLink) return 'joined the group';
  if (action instanceof Api.MessageActionChatJoinedByRequest) return 'joined the group';
  if (action instanceof Api.MessageActionChatDeleteUser) return 'left the group';
  if (action instanceof Api.MessageActionChannelMigrateFrom) return 'Group migrated from a basic group';
  return action.className.replace(/^MessageAction/, '');
}
