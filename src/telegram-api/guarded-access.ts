import { Api } from 'telegram';
import type { DownloadMediaInterface } from 'telegram/client/downloads';
import { classifyApiError } from '../../crawlers/telegram-api/api-errors';
import { AccountWaitError, ApiSessionError, SourceConfigError, TimeoutError, TooLargeError } from '../core/errors';
import type { TelegramApiAccess, TelegramApiCaller } from '../core/telegram-api';
import { sleep } from '../queue/host-limiter';
import type { AccountGuard } from './account-guard';
import { waitDecision } from './guard-math';

/** What of a GramJS client the guards call (TelegramClient has it; tests give a stand-in that throws GramJS's errors). */
export interface ApiClient {
  invoke<R extends Api.AnyRequest>(request: R): Promise<R['__response']>;
  downloadMedia(message: Api.Message, params?: DownloadMediaInterface): Promise<string | Buffer | undefined>;
}

/** A connected client, and the tag of its login (the guard's revoked flag is per login: a new one starts clean). */
export interface ConnectedClient {
  client: ApiClient;
  sessionTag: string;
}

export interface GuardedAccessOptions {
  requestTimeoutMs: number;
  maxInlineWaitMs: number;
}

/** Rejects with the named TimeoutError when `p` takes longer than `ms` (the request is abandoned, not cancelled). */
export function withNamedTimeout<T>(p: Promise<T>, name: string, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(name, ms)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/**
 * The account as crawls use it: `session` holds the login's lease (one worker at a time) and connects the client;
 * every request then takes its turn from the guard (flood wait, backoff, budget, revoked login), runs under its named
 * timeout, and records what went wrong: a flood wait for every worker, a revoked login for every source, a backoff
 * after other errors. A wait longer than `maxInlineWaitMs` ends the crawl with an AccountWaitError (retried after it).
 */
export function guardedAccess(guard: AccountGuard, connect: () => Promise<ConnectedClient>, opts: GuardedAccessOptions): TelegramApiAccess {
  return {
    async session(signal, work) {
      const token = await takeLease(guard, opts.maxInlineWaitMs, signal);
      try {
        const { client, sessionTag } = await connect();
        return await work(guardedCaller(guard, client, { ...opts, sessionTag }, signal));
      } finally {
        await guard.releaseLease(token);
      }
    },
  };
}

async function takeLease(guard: AccountGuard, maxInlineWaitMs: number, signal: AbortSignal | undefined): Promise<string> {
  let waited = 0;
  for (;;) {
    const lease = await guard.acquireLease();
    if ('token' in lease) return lease.token;
    if (waited + Math.min(lease.waitMs, 500) > maxInlineWaitMs) {
      throw new AccountWaitError('lease', lease.waitMs, 'another worker holds the login (telegramApi.leaseMs)');
    }
    const step = Math.min(lease.waitMs, 500);
    await sleep(step, signal);
    waited += step;
  }
}

type CallOptions = GuardedAccessOptions & { sessionTag: string };

function guardedCaller(guard: AccountGuard, client: ApiClient, opts: CallOptions, signal: AbortSignal | undefined): TelegramApiCaller {
  const guarded = async <T>(timeoutName: string, timeoutMs: number, call: () => Promise<T>): Promise<T> => {
    for (;;) {
      await waitForTurn(guard, opts, signal);
      try {
        const answer = await withNamedTimeout(call(), timeoutName, timeoutMs);
        await guard.recordSuccess();
        return answer;
      } catch (err) {
        const again = await onRequestError(guard, opts, timeoutName, err);
        if (again === 'throw') throw err;
        await sleep(again, signal);
      }
    }
  };
  return {
    invoke: (timeoutName, request) => guarded(timeoutName, opts.requestTimeoutMs, () => client.invoke(request)),
    async download(timeoutName, message, limits) {
      const size = documentSize(message);
      const where = `tg-api message ${message.id}`;
      if (size !== undefined && size > limits.maxBytes) throw new TooLargeError(where, limits.maxBytes);
      const bytes = await guarded(timeoutName, limits.timeoutMs, () => client.downloadMedia(message, {}));
      if (!Buffer.isBuffer(bytes)) throw new TooLargeError(where, 0); // nothing downloadable (a web page, a contact)
      if (bytes.length > limits.maxBytes) throw new TooLargeError(where, limits.maxBytes);
      return bytes;
    },
  };
}

/** The size a message's document states (photos state none that matters: their largest size is small). */
function documentSize(message: Api.Message): number | undefined {
  const media = message.media;
  if (media instanceof Api.MessageMediaDocument && media.document instanceof Api.Document) return Number(media.document.size.toString());
  return undefined;
}

/** Waits out what holds the account back when short, else ends the crawl (AccountWaitError) or the login (revoked). */
async function waitForTurn(guard: AccountGuard, opts: CallOptions, signal: AbortSignal | undefined): Promise<void> {
  for (;;) {
    const turn = await guard.takeTurn(opts.sessionTag);
    if ('revoked' in turn) throw new ApiSessionError(turn.revoked);
    if (turn.go) return;
    if (waitDecision(turn.waitMs, opts.maxInlineWaitMs) === 'retry') {
      throw new AccountWaitError(turn.why, turn.waitMs, turn.why === 'budget' ? 'telegramApi.requestsPerHour spent' : 'recorded by a worker');
    }
    await sleep(turn.waitMs, signal);
  }
}

/**
 * What a failed request means: a short flood wait is waited out and the request sent again (returns the wait); a
 * chat's state goes back to the crawler as GramJS threw it ('throw'); everything else becomes the crawl's error.
 */
async function onRequestError(guard: AccountGuard, opts: CallOptions, name: string, err: unknown): Promise<number | 'throw'> {
  const c = classifyApiError(err);
  switch (c.kind) {
    case 'flood': {
      const ms = await guard.recordFloodWait(c.seconds);
      if (waitDecision(ms, opts.maxInlineWaitMs) !== 'retry') return ms;
      throw new AccountWaitError('flood_wait', ms, `Telegram asked for a wait of ${c.seconds} s (${c.code}) on ${name}`);
    }
    case 'chat':
    case 'stale_reference':
      await guard.recordSuccess();
      return 'throw';
    case 'session':
      await guard.markRevoked(opts.sessionTag, c.code);
      throw new ApiSessionError(c.code);
    case 'credentials':
      throw new SourceConfigError(`Telegram refused the API credentials (${c.code}): check ${c.setting}`);
    case 'other': {
      const ms = await guard.recordError();
      const message = err instanceof Error ? err.message : String(err);
      throw new AccountWaitError('backoff', ms, `${name} failed (${c.code}): ${message}`);
    }
  }
}
