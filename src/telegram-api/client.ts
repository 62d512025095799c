import type { Redis } from 'ioredis';
import { TelegramClient } from 'telegram';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import { StringSession } from 'telegram/sessions';
import type { Settings } from '../config/schema';
import type { TelegramApiAccess } from '../core/telegram-api';
import type { TelegramApiSettings } from '../config/telegram-api-schema';
import { AccountGuard } from './account-guard';
import { guardedAccess, withNamedTimeout, type ConnectedClient } from './guarded-access';
import { loadSession, SessionConfigError, sessionFilePath, sessionTag } from './session-store';
import { SourceConfigError } from '../core/errors';

/**
 * A GramJS client for the analyst's login: flood waits are never slept inside the library (floodSleepThreshold 0:
 * the guards record them for every worker), few retries of its own, and no logging (nothing of the session reaches
 * a log).
 */
export function createTelegramClient(session: string | StringSession, apiId: number, apiHash: string): TelegramClient {
  return new TelegramClient(typeof session === 'string' ? new StringSession(session) : session, apiId, apiHash, {
    connectionRetries: 2,
    requestRetries: 1,
    floodSleepThreshold: 0,
    baseLogger: new Logger(LogLevel.NONE),
    deviceModel: 'hydrawatch',
    appVersion: 'hydrawatch',
  });
}

/** The worker's Telegram API account, and how to close its connection. */
export interface TelegramApiRuntime {
  access: TelegramApiAccess;
  close(): Promise<void>;
}

/**
 * The account for this process's crawls, when `telegramApi` has an api_id and api_hash (else undefined: the platform is
 * off). The session is read at every crawl (a new login in the session file is picked up without a restart); the
 * client connects on the first crawl and again when the login changed.
 */
export function openTelegramApi(settings: Settings, redis: Redis, env: NodeJS.ProcessEnv = process.env): TelegramApiRuntime | undefined {
  const t = settings.telegramApi;
  if (!t?.apiId || !t.apiHash) return undefined;
  const { apiId, apiHash } = t;
  const guard = new AccountGuard(redis, { prefix: `${settings.queue.prefix}:tgapi:${t.account}`, ...guardLimits(t) });
  let current: { tag: string; client: Promise<TelegramClient> } | undefined;
  const connect = async (): Promise<ConnectedClient> => {
    const session = await loadSession(sessionFilePath(settings), env).catch((err: unknown) => {
      throw err instanceof SessionConfigError ? new SourceConfigError(err.message) : err; // no retry mends a missing login
    });
    const tag = sessionTag(session);
    if (current?.tag !== tag) {
      const old = current;
      const client = createTelegramClient(session, apiId, apiHash);
      const entry = { tag, client: withNamedTimeout(client.connect(), 'telegram-api.connect', t.requestTimeoutMs).then(() => client) };
      entry.client.catch(() => {
        if (current === entry) current = undefined; // the next crawl connects again
      });
      current = entry;
      if (old) void old.client.then((c) => c.disconnect()).catch(() => undefined);
    }
    return { client: await current.client, sessionTag: tag };
  };
  return {
    access: guardedAccess(guard, connect, { requestTimeoutMs: t.requestTimeoutMs, maxInlineWaitMs: t.maxInlineWaitMs }),
    async close() {
      const c = current;
      current = undefined;
      if (c) await c.client.then((client) => client.destroy()).catch(() => undefined);
    },
  };
}

function guardLimits(t: TelegramApiSettings): { requestsPerHour: number; backoffBaseMs: number; backoffMaxMs: number; leaseMs: number } {
  return { requestsPerHour: t.requestsPerHour, backoffBaseMs: t.backoffBaseMs, backoffMaxMs: t.backoffMaxMs, leaseMs: t.leaseMs };
}
