import type { Api } from 'telegram';

/**
 * One request to Telegram's API on the logged-in account, under the account's guards (src/telegram-api/): it waits
 * out a flood wait any worker recorded, takes one request of the account's budget, runs under the named timeout, and
 * records what went wrong (a flood wait for every worker, a revoked login, backoff). Errors that tell a chat's state
 * (`CHANNEL_PRIVATE`, `USERNAME_NOT_OCCUPIED`…) reach the caller as GramJS threw them.
 */
export interface TelegramApiCaller {
  invoke<R extends Api.AnyRequest>(timeoutName: string, request: R): Promise<R['__response']>;
  /**
   * A message's media bytes (the largest photo size, or the document), under the same guards; a document larger than
   * `maxBytes` is refused before the download (TooLargeError). An expired file reference reaches the caller.
   */
  download(timeoutName: string, message: Api.Message, limits: { maxBytes: number; timeoutMs: number }): Promise<Buffer>;
}

/** The logged-in account, as a crawl gets it: `session` holds the account's lease (one worker at a time) around `work`. */
export interface TelegramApiAccess {
  session<T>(signal: AbortSignal | undefined, work: (api: TelegramApiCaller) => Promise<T>): Promise<T>;
}
