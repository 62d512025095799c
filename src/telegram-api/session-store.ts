import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';

/** The variable holding the key the session file is encrypted with. */
export const SESSION_KEY_ENV = 'HYDRAWATCH_TG_SESSION_KEY';
/** The variable holding a session string in clear (containers, the live test): used instead of the file. */
export const SESSION_ENV = 'HYDRAWATCH_TG_SESSION';

const FORMAT = 'hwtg1';

/** A session that cannot be read: the message names the setting or variable to fix. */
export class SessionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionConfigError';
  }
}

/** The 32-byte key from `HYDRAWATCH_TG_SESSION_KEY` (base64 or 64 hex digits). */
export function sessionKey(env: NodeJS.ProcessEnv): Buffer {
  const raw = env[SESSION_KEY_ENV]?.trim();
  if (!raw)
    throw new SessionConfigError(`${SESSION_KEY_ENV} is not set: the Telegram API session is encrypted with it (32 bytes, e.g. "openssl rand -base64 32")`);
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new SessionConfigError(`${SESSION_KEY_ENV} must be 32 bytes, as base64 or 64 hex digits (it decodes to ${key.length} bytes)`);
  return key;
}

/** Pure: the session string encrypted with AES-256-GCM: `hwtg1:<iv>:<tag>:<ciphertext>` (base64 parts). */
export function encryptSession(session: string, key: Buffer, iv: Buffer = randomBytes(12)): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(session, 'utf8'), cipher.final()]);
  return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
}

/** Pure: the session string back; a wrong key or a changed file is an error naming the key's variable. */
export function decryptSession(text: string, key: Buffer, where: string): string {
  const [format, iv, tag, body] = text.trim().split(':');
  if (format !== FORMAT || !iv || !tag || body === undefined)
    throw new SessionConfigError(`${where} is not a hydrawatch session file (run "hydrawatch telegram login")`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SessionConfigError(`cannot decrypt ${where}: ${SESSION_KEY_ENV} is not the key it was written with, or the file was changed`);
  }
}

/** Where the session file is: `telegramApi.sessionFile`, else `<dataDir>/telegram-api/session.enc`. */
export function sessionFilePath(settings: { dataDir: string; telegramApi?: { sessionFile?: string | undefined } | undefined }): string {
  const file = settings.telegramApi?.sessionFile;
  if (file) return file;
  return join(isAbsolute(settings.dataDir) ? settings.dataDir : join(process.cwd(), settings.dataDir), 'telegram-api', 'session.enc');
}

/** Writes the encrypted session (owner-only, replaced atomically). */
export async function saveSession(path: string, session: string, key: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${encryptSession(session, key)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

/** The session string: `HYDRAWATCH_TG_SESSION` when set, else the session file decrypted. Never logged. */
export async function loadSession(path: string, env: NodeJS.ProcessEnv): Promise<string> {
  const inEnv = env[SESSION_ENV]?.trim();
  if (inEnv) return inEnv;
  const key = sessionKey(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new SessionConfigError(
      `no Telegram API session at ${path} (telegramApi.sessionFile): log in once with "hydrawatch telegram login", or set ${SESSION_ENV}`,
    );
  }
  return decryptSession(text, key, path);
}

/** Pure: a short tag of a session (its revoked flag's key), from which the session cannot be recovered. */
export function sessionTag(session: string): string {
  return createHash('sha256').update(session).digest('hex').slice(0, 16);
}
