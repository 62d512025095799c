import type { Settings, Source } from '../config/schema';
import { loadSession, SessionConfigError, sessionFilePath } from './session-store';

/** A setting the Telegram API collector lacks or has wrong, and what to do about it. */
export interface TelegramApiProblem {
  /** The setting (and its variable): `telegramApi.apiId (HYDRAWATCH_TG_API_ID)`. */
  readonly setting: string;
  readonly message: string;
}

/**
 * What keeps the enabled `telegram-api` sources from being crawled: a missing api_id or api_hash, a session that is
 * missing or cannot be decrypted. None when no such source is enabled (the platform is off, and nothing asks for it).
 * Checked by `hydrawatch sources validate` (an error) and at start (logged; the other platforms crawl as before).
 */
export async function telegramApiProblems(settings: Settings, sources: readonly Source[], env: NodeJS.ProcessEnv = process.env): Promise<TelegramApiProblem[]> {
  const ids = sources.filter((s) => s.platform === 'telegram-api' && s.enabled).map((s) => s.id);
  if (ids.length === 0) return [];
  const who = `source${ids.length > 1 ? 's' : ''} ${ids.map((i) => `"${i}"`).join(', ')} of platform telegram-api`;
  const t = settings.telegramApi;
  const problems: TelegramApiProblem[] = [];
  if (!t?.apiId) {
    problems.push({
      setting: 'telegramApi.apiId (HYDRAWATCH_TG_API_ID)',
      message: `not set: ${who} need the api_id of your Telegram app (my.telegram.org → API development tools)`,
    });
  }
  if (!t?.apiHash) {
    problems.push({ setting: 'telegramApi.apiHash (HYDRAWATCH_TG_API_HASH)', message: `not set: ${who} need the api_hash of your Telegram app` });
  }
  if (problems.length) return problems;
  try {
    await loadSession(sessionFilePath(settings), env);
  } catch (err) {
    if (!(err instanceof SessionConfigError)) throw err;
    problems.push({
      setting: 'telegramApi.sessionFile (HYDRAWATCH_TG_SESSION_KEY, HYDRAWATCH_TG_SESSION)',
      message: `${err.message}; ${who} cannot be crawled`,
    });
  }
  return problems;
}

/**
 * At a worker's start: a configured collector whose login cannot be read (no session, a wrong key). Undefined when
 * the collector is off or its login reads. The worker starts either way; the telegram-api crawls fail naming the setting.
 */
export async function telegramApiSessionProblem(settings: Settings, env: NodeJS.ProcessEnv = process.env): Promise<TelegramApiProblem | undefined> {
  if (!settings.telegramApi?.apiId || !settings.telegramApi.apiHash) return undefined;
  try {
    await loadSession(sessionFilePath(settings), env);
    return undefined;
  } catch (err) {
    if (!(err instanceof SessionConfigError)) throw err;
    return { setting: 'telegramApi.sessionFile (HYDRAWATCH_TG_SESSION_KEY, HYDRAWATCH_TG_SESSION)', message: err.message };
  }
}
