/** A message's media as the media stage finds it again: the chat, the message, and the chat's access hash. */
export interface ApiMediaRef {
  chatId: string;
  messageId: number;
  /** The chat's access hash for this account (what the API needs to read the chat by id); not a secret of its own. */
  accessHash?: string;
}

/**
 * Pure: the reference the media stage downloads a message's media by, `tg-api://<chat id>/<message id>?access=<hash>`:
 * it reads the message again (a fresh file reference) and downloads through the API.
 */
export function apiMediaUrl(chatId: string, messageId: number, accessHash?: string): string {
  return `tg-api://${chatId}/${messageId}${accessHash ? `?access=${accessHash}` : ''}`;
}

/** Pure: the parts of an `apiMediaUrl`, or undefined for any other URL. */
export function parseApiMediaUrl(url: string): ApiMediaRef | undefined {
  const m = /^tg-api:\/\/(\d{1,20})\/(\d{1,12})(?:\?access=(-?\d{1,20}))?$/.exec(url);
  if (!m) return undefined;
  return { chatId: m[1] ?? '', messageId: Number(m[2]), ...(m[3] ? { accessHash: m[3] } : {}) };
}
