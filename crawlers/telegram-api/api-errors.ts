import { errors } from 'telegram';
import type { ChannelStatus } from '../types';

/** A chat's state an API error stands for, with the words shown for it. */
export interface ChatStateFromError {
  readonly status: Extract<ChannelStatus, 'removed' | 'private' | 'not_found'>;
  readonly detail: string;
}

/**
 * The errors that tell a chat's state (docs/platforms.md, "telegram-api"): the handle is free or malformed (not
 * found), the chat is private or this account is banned from it (private), or the chat is gone or blocked (removed).
 */
export const CHAT_STATE_OF_ERROR: Readonly<Record<string, ChatStateFromError>> = {
  USERNAME_NOT_OCCUPIED: { status: 'not_found', detail: 'no account, channel or group has this handle' },
  USERNAME_INVALID: { status: 'not_found', detail: 'the handle is not a valid Telegram username' },
  CHANNEL_PRIVATE: { status: 'private', detail: 'the chat is private, or this account was banned from it' },
  CHAT_FORBIDDEN: { status: 'private', detail: 'this account may not read the chat' },
  CHANNEL_INVALID: { status: 'removed', detail: 'the chat the handle pointed at no longer exists' },
  CHANNEL_PUBLIC_GROUP_NA: { status: 'removed', detail: 'the public group is not available (blocked)' },
  CHAT_ID_INVALID: { status: 'not_found', detail: 'the chat id is not valid' },
  PEER_ID_INVALID: { status: 'not_found', detail: 'the chat id is not valid' },
  MSG_ID_INVALID: { status: 'not_found', detail: 'the message does not exist' },
};

/** Errors that mean the login is gone: the session was revoked, expired or the account deactivated. */
export const SESSION_ERRORS: readonly string[] = [
  'AUTH_KEY_UNREGISTERED',
  'AUTH_KEY_INVALID',
  'AUTH_KEY_PERM_EMPTY',
  'AUTH_KEY_DUPLICATED',
  'SESSION_REVOKED',
  'SESSION_EXPIRED',
  'USER_DEACTIVATED',
  'USER_DEACTIVATED_BAN',
];

/** Errors that mean the configured `api_id` / `api_hash` are wrong: the setting to fix. */
export const CREDENTIAL_ERRORS: Readonly<Record<string, string>> = {
  API_ID_INVALID: 'telegramApi.apiId / telegramApi.apiHash (HYDRAWATCH_TG_API_ID / HYDRAWATCH_TG_API_HASH)',
  API_ID_PUBLISHED_FLOOD: 'telegramApi.apiId (HYDRAWATCH_TG_API_ID): this api_id was published and is refused; register your own',
};

/** What an error of a GramJS call means for the crawl. */
export type ApiErrorKind =
  | { readonly kind: 'flood'; readonly seconds: number; readonly code: string }
  | { readonly kind: 'chat'; readonly state: ChatStateFromError; readonly code: string }
  | { readonly kind: 'session'; readonly code: string }
  | { readonly kind: 'credentials'; readonly code: string; readonly setting: string }
  /** A media's file reference expired (`FILE_REFERENCE_EXPIRED`…): the message is read again for a fresh one. */
  | { readonly kind: 'stale_reference'; readonly code: string }
  /** Anything else (timeouts, network, 5xx, unknown 4xx): retried with backoff. */
  | { readonly kind: 'other'; readonly code: string };

/** Pure: the RPC error code of an error (`CHANNEL_PRIVATE`, `FLOOD_WAIT`…), or the error's name. */
export function apiErrorCode(err: unknown): string {
  if (err instanceof errors.FloodWaitError) return 'FLOOD_WAIT';
  if (err instanceof errors.RPCError) return err.errorMessage;
  return err instanceof Error ? err.name : 'UNKNOWN';
}

/** Pure: what an error thrown by a GramJS call means (flood wait, a chat's state, a lost login, bad credentials, other). */
export function classifyApiError(err: unknown): ApiErrorKind {
  if (err instanceof errors.FloodWaitError) return { kind: 'flood', seconds: err.seconds, code: 'FLOOD_WAIT' };
  const code = apiErrorCode(err);
  const flood = /^(?:FLOOD_WAIT|FLOOD_PREMIUM_WAIT|SLOWMODE_WAIT)_(\d+)$/.exec(code);
  if (flood) return { kind: 'flood', seconds: Number(flood[1]), code };
  const state = CHAT_STATE_OF_ERROR[code];
  if (state) return { kind: 'chat', state, code };
  if (SESSION_ERRORS.includes(code)) return { kind: 'session', code };
  if (/^FILE_REFERENCE_/.test(code)) return { kind: 'stale_reference', code };
  const setting = CREDENTIAL_ERRORS[code];
  if (setting) return { kind: 'credentials', code, setting };
  return { kind: 'other', code };
}
