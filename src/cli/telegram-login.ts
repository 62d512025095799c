import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Api } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { loadSettings } from '../config/load-settings';
import { createTelegramClient } from '../telegram-api/client';
import { withNamedTimeout } from '../telegram-api/guarded-access';
import { loadSession, saveSession, SessionConfigError, sessionFilePath, sessionKey } from '../telegram-api/session-store';
import type { CliIo } from './sources-command';

/** Asks one question on the terminal (a password without echo). */
export type Ask = (question: string, secret?: boolean) => Promise<string>;

const USAGE = 'usage: hydrawatch telegram login [--phone +<number>] | status';

/**
 * `hydrawatch telegram login`: logs the analyst's account in once (phone number, the code Telegram sends, then the
 * 2FA password if the account has one) and writes the session encrypted with HYDRAWATCH_TG_SESSION_KEY to
 * `telegramApi.sessionFile`. `status`: who the saved login is. The session string is never printed.
 */
export async function runTelegramCommand(argv: string[], io: CliIo, ask: Ask = terminalAsk): Promise<number> {
  const [sub, ...args] = argv;
  if (sub !== 'login' && sub !== 'status') {
    io.err(USAGE);
    return 2;
  }
  const settings = loadSettings(join(io.configDir, 'settings.yaml'));
  const t = settings.telegramApi;
  if (!t?.apiId || !t.apiHash) {
    io.err(
      `telegramApi.apiId and telegramApi.apiHash (HYDRAWATCH_TG_API_ID, HYDRAWATCH_TG_API_HASH) must be set first: the api_id and api_hash of your Telegram app (my.telegram.org → API development tools)`,
    );
    return 2;
  }
  const path = sessionFilePath(settings);
  try {
    if (sub === 'status') return await status(io, await loadSession(path, process.env), t.apiId, t.apiHash, t.requestTimeoutMs);
    const key = sessionKey(process.env); // before the login: a missing key would waste a code
    const i = args.indexOf('--phone');
    const phone = i >= 0 ? args[i + 1] : undefined;
    const session = new StringSession('');
    const client = createTelegramClient(session, t.apiId, t.apiHash);
    try {
      await client.start({
        phoneNumber: phone ?? (() => ask('Phone number (international format, +…): ')),
        phoneCode: () => ask('The code Telegram sent: '),
        password: (hint) => ask(`Two-step verification password${hint ? ` (hint: ${hint})` : ''}: `, true),
        onError: (err) => {
          io.err(`Telegram: ${err.message}`);
          return Promise.resolve(true); // stop: a wrong code or password is typed again by running login again
        },
      });
      const me = await withNamedTimeout(client.getMe(), 'telegram-api.get-me', t.requestTimeoutMs);
      await saveSession(path, session.save(), key);
      io.out(`logged in as ${describeMe(me)}; the session is saved, encrypted, in ${path}`);
      return 0;
    } finally {
      await client.destroy().catch(() => undefined);
    }
  } catch (err) {
    if (err instanceof SessionConfigError) {
      io.err(err.message);
      return 2;
    }
    throw err;
  }
}

async function status(io: CliIo, session: string, apiId: number, apiHash: string, timeoutMs: number): Promise<number> {
  const client = createTelegramClient(session, apiId, apiHash);
  try {
    await withNamedTimeout(client.connect(), 'telegram-api.connect', timeoutMs);
    const me = await withNamedTimeout(client.getMe(), 'telegram-api.get-me', timeoutMs);
    io.out(`the saved login works: ${describeMe(me)}`);
    return 0;
  } catch (err) {
    io.err(`the saved login does not work: ${(err as Error).message} (log in again with "hydrawatch telegram login")`);
    return 1;
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

function describeMe(me: Api.User): string {
  const name = [me.firstName, me.lastName].filter(Boolean).join(' ');
  return `${name || 'an account'}${me.username ? ` (@${me.username})` : ''}, id ${me.id.toString()}`;
}

/** Reads an answer from the terminal; a secret one is not echoed. */
async function terminalAsk(question: string, secret = false): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (secret) {
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput.bind(rl);
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => write(s.startsWith(question) ? s : '');
  }
  try {
    return (await rl.question(question)).trim();
  } finally {
    if (secret) process.stdout.write('\n');
    rl.close();
  }
}
