import { Api } from 'telegram';
import type { ChannelSnapshot } from '../types';
import type { ChatStateFromError } from './api-errors';
import { primaryUsername } from './peers';

const PLATFORM = 'telegram-api';

/**
 * Pure: a channel or supergroup (and its full info, when read) as a channel snapshot. Its numeric id is the platform
 * id, the same the web preview reads (`tg:<id>`), so that a channel read both ways is one channel. A chat blocked for
 * everyone (a restriction on platform `all`) is removed, with Telegram's words; a restriction on some apps only is not.
 */
export function channelSnapshot(handle: string, channel: Api.Channel, full?: Api.ChannelFull): ChannelSnapshot {
  const subscribers = full?.participantsCount ?? channel.participantsCount;
  const blocked = channel.restrictionReason?.find((r) => r.platform === 'all');
  return {
    platform: PLATFORM,
    handle: primaryUsername(channel) ?? handle,
    platformId: channel.id.toString(),
    title: channel.title,
    ...(full?.about ? { description: full.about } : {}),
    ...(subscribers !== undefined ? { subscribers } : {}),
    kind: channel.megagroup || channel.gigagroup ? 'group' : 'channel',
    ...(blocked
      ? { status: 'removed' as const, statusDetail: blocked.text, ...(blocked.reason === 'terms' ? { reason: 'tos_violation' as const } : {}) }
      : { status: 'active' as const }),
  };
}

/** Pure: what a resolved handle is when it is not a readable channel or group (a user, a bot, a forbidden chat). */
export function otherPeerSnapshot(handle: string, entity: Api.User | Api.ChannelForbidden | Api.Chat | Api.ChatForbidden): ChannelSnapshot {
  if (entity instanceof Api.User) {
    return { platform: PLATFORM, handle, platformId: entity.id.toString(), status: 'not_channel', kind: entity.bot ? 'bot' : 'user' };
  }
  if (entity instanceof Api.ChannelForbidden) {
    return {
      platform: PLATFORM,
      handle,
      platformId: entity.id.toString(),
      title: entity.title,
      status: 'private',
      kind: entity.megagroup ? 'group' : 'channel',
      statusDetail: 'the chat is private, or this account was banned from it',
    };
  }
  return { platform: PLATFORM, handle, platformId: entity.id.toString(), status: 'private', kind: 'group', statusDetail: 'a basic group, not public' };
}

/** Pure: a chat's state told by an API error (the handle is free, the chat private, gone). */
export function stateSnapshot(handle: string, state: ChatStateFromError, code: string): ChannelSnapshot {
  return { platform: PLATFORM, handle, status: state.status, statusDetail: `${code}: ${state.detail}` };
}
