import { Api } from 'telegram';
import { returnBigInt } from 'telegram/Helpers';
import type { TelegramApiCaller } from '../../src/core/telegram-api';
import { classifyApiError } from './api-errors';
import { parseApiMediaUrl } from './media-ref';

/** What the media stage gets for a `tg-api://` reference: the bytes, or why there are none. */
export type ApiMediaDownload = { bytes: Buffer } | { gone: string };

/**
 * A message's media through the API: the message read again (`channels.getMessages`, so that its file reference is
 * fresh), then its bytes (the largest photo size, or the document), at most `maxBytes`. A file reference that expired
 * in between (`FILE_REFERENCE_EXPIRED`) is fetched again once. A message or media no longer there: `gone`.
 */
export async function downloadApiMedia(api: TelegramApiCaller, url: string, maxBytes: number, timeoutMs: number): Promise<ApiMediaDownload> {
  const ref = parseApiMediaUrl(url);
  if (!ref) return { gone: `not a telegram-api media reference: ${url}` };
  const channel = new Api.InputChannel({ channelId: returnBigInt(ref.chatId), accessHash: returnBigInt(ref.accessHash ?? '0') });
  for (let attempt = 1; ; attempt += 1) {
    const answer = await api.invoke('telegram-api.message', new Api.channels.GetMessages({ channel, id: [new Api.InputMessageID({ id: ref.messageId })] }));
    const messages = answer instanceof Api.messages.MessagesNotModified ? [] : answer.messages;
    const msg = messages.find((m): m is Api.Message => m instanceof Api.Message && m.id === ref.messageId);
    if (!msg?.media) return { gone: 'the message or its media is no longer there' };
    try {
      return { bytes: await api.download('telegram-api.download', msg, { maxBytes, timeoutMs }) };
    } catch (err) {
      const c = classifyApiError(err);
      if (c.kind === 'stale_reference' && attempt < 2) continue; // read the message again: a new file reference
      throw err;
    }
  }
}
