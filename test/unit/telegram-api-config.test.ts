/**
 * The Telegram API collector's settings: the session encrypted at rest (AES-256-GCM, key from the environment), the
 * api_id / api_hash from the settings or the environment (a bad value names the setting and the variable), and the
 * problems `sources validate` and the start report, naming the setting, only when a telegram-api source is enabled.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSourcesCommand } from '../../src/cli/sources-command';
import { runTelegramCommand } from '../../src/cli/telegram-login';
import { ConfigError } from '../../src/config/format-issues';
import { loadSettings } from '../../src/config/load-settings';
import { settingsSchema, sourceSchema, type Source } from '../../src/config/schema';
import { telegramApiProblems, telegramApiSessionProblem } from '../../src/telegram-api/config-check';
import { decryptSession, encryptSession, loadSession, saveSession, sessionKey, sessionTag, SessionConfigError } from '../../src/telegram-api/session-store';

const KEY_B64 = Buffer.alloc(32, 7).toString('base64');
const SESSION = '1BVtsOKABu0synthetic-session-string==';
const HASH = '0123456789abcdef0123456789abcdef';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'hw-tgapi-'));
}

describe('the Telegram API session at rest', () => {
  it('encrypts and decrypts with the key from HYDRAWATCH_TG_SESSION_KEY (base64 or hex), never in clear', async () => {
    const key = sessionKey({ HYDRAWATCH_TG_SESSION_KEY: KEY_B64 });
    expect(sessionKey({ HYDRAWATCH_TG_SESSION_KEY: key.toString('hex') })).toEqual(key);
    const path = join(dir(), 'nested', 'session.enc');
    await saveSession(path, SESSION, key);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(SESSION);
    expect(text.startsWith('hwtg1:')).toBe(true);
    expect(await loadSession(path, { HYDRAWATCH_TG_SESSION_KEY: KEY_B64 })).toBe(SESSION);
    expect(decryptSession(encryptSession(SESSION, key), key, 'x')).toBe(SESSION);
  });

  it('names the variable when the key is missing, malformed or wrong, and the setting when the file is missing', async () => {
    expect(() => sessionKey({})).toThrow(/HYDRAWATCH_TG_SESSION_KEY is not set/);
    expect(() => sessionKey({ HYDRAWATCH_TG_SESSION_KEY: 'c2hvcnQ=' })).toThrow(/HYDRAWATCH_TG_SESSION_KEY must be 32 bytes/);
    const enc = encryptSession(SESSION, Buffer.alloc(32, 1));
    expect(() => decryptSession(enc, Buffer.alloc(32, 2), 'session.enc')).toThrow(/HYDRAWATCH_TG_SESSION_KEY is not the key/);
    const tampered = enc.slice(0, -4) + (enc.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => decryptSession(tampered, Buffer.alloc(32, 1), 'session.enc')).toThrow(SessionConfigError);
    await expect(loadSession(join(dir(), 'none.enc'), { HYDRAWATCH_TG_SESSION_KEY: KEY_B64 })).rejects.toThrow(
      /telegramApi.sessionFile.*hydrawatch telegram login/,
    );
  });

  it('takes HYDRAWATCH_TG_SESSION in place of the file, and tags sessions without revealing them', async () => {
    expect(await loadSession('/nonexistent', { HYDRAWATCH_TG_SESSION: SESSION })).toBe(SESSION);
    expect(sessionTag(SESSION)).toMatch(/^[0-9a-f]{16}$/);
    expect(sessionTag(SESSION)).not.toBe(sessionTag(`${SESSION}x`));
  });
});

describe('telegramApi settings', () => {
  it('is off by default, and on with the api_id and api_hash from the environment', () => {
    expect(loadSettings(undefined, {}).telegramApi).toBeUndefined();
    const s = loadSettings(undefined, { HYDRAWATCH_TG_API_ID: '12345', HYDRAWATCH_TG_API_HASH: HASH });
    expect(s.telegramApi).toMatchObject({ apiId: 12345, apiHash: HASH, account: 'default', requestsPerHour: 1000 });
  });

  it('refuses a bad value naming the setting and its variable', () => {
    const bad = (env: NodeJS.ProcessEnv): string => {
      try {
        loadSettings(undefined, env);
        return '';
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
    };
    expect(bad({ HYDRAWATCH_TG_API_ID: 'abc' })).toContain('telegramApi.apiId (HYDRAWATCH_TG_API_ID)');
    expect(bad({ HYDRAWATCH_TG_API_ID: '1', HYDRAWATCH_TG_API_HASH: 'not-a-hash' })).toContain('telegramApi.apiHash (HYDRAWATCH_TG_API_HASH)');
  });
});

describe('what keeps telegram-api sources from being crawled', () => {
  const tgApi = sourceSchema.parse({ id: 'grp', platform: 'telegram-api', schedule: '*/5 * * * *', handle: 'sim_group' });
  const rss = sourceSchema.parse({ id: 'feed', platform: 'rss', schedule: '*/5 * * * *', url: 'https://example.org/feed.xml' });
  const off: Source = { ...tgApi, enabled: false };

  it('is nothing when no telegram-api source is enabled (the platform is off, the others are not concerned)', async () => {
    expect(await telegramApiProblems(settingsSchema.parse({}), [rss, off], {})).toEqual([]);
  });

  it('names telegramApi.apiId and apiHash (and their variables) when they are missing', async () => {
    const p = await telegramApiProblems(settingsSchema.parse({}), [rss, tgApi], {});
    expect(p.map((x) => x.setting)).toEqual(['telegramApi.apiId (HYDRAWATCH_TG_API_ID)', 'telegramApi.apiHash (HYDRAWATCH_TG_API_HASH)']);
    expect(p[0]?.message).toContain('"grp"');
  });

  it('names the session settings when there is no login, or it cannot be decrypted', async () => {
    const d = dir();
    const settings = settingsSchema.parse({ dataDir: d, telegramApi: { apiId: 1, apiHash: HASH } });
    const none = await telegramApiProblems(settings, [tgApi], { HYDRAWATCH_TG_SESSION_KEY: KEY_B64 });
    expect(none).toHaveLength(1);
    expect(none[0]?.setting).toContain('telegramApi.sessionFile');
    expect(none[0]?.message).toContain('hydrawatch telegram login');
    await saveSession(join(d, 'telegram-api', 'session.enc'), SESSION, Buffer.alloc(32, 9));
    const wrongKey = await telegramApiProblems(settings, [tgApi], { HYDRAWATCH_TG_SESSION_KEY: KEY_B64 });
    expect(wrongKey[0]?.message).toContain('HYDRAWATCH_TG_SESSION_KEY is not the key');
    expect(await telegramApiProblems(settings, [tgApi], { HYDRAWATCH_TG_SESSION_KEY: Buffer.alloc(32, 9).toString('base64') })).toEqual([]);
    expect(await telegramApiProblems(settings, [tgApi], { HYDRAWATCH_TG_SESSION: SESSION })).toEqual([]);
  });

  it('makes `sources validate` fail naming the setting, with the file fine otherwise', async () => {
    const d = dir();
    writeFileSync(
      join(d, 'sources.yaml'),
      'sources:\n  - { id: feed, platform: rss, url: "https://example.org/feed.xml", schedule: "*/5 * * * *" }\n  - { id: grp, platform: telegram-api, handle: sim_group, schedule: "*/5 * * * *" }\n',
    );
    const out: string[] = [];
    const err: string[] = [];
    const saved = { id: process.env.HYDRAWATCH_TG_API_ID, hash: process.env.HYDRAWATCH_TG_API_HASH };
    delete process.env.HYDRAWATCH_TG_API_ID;
    delete process.env.HYDRAWATCH_TG_API_HASH;
    try {
      const code = await runSourcesCommand(['validate'], { out: (s) => out.push(s), err: (s) => err.push(s), configDir: d });
      expect(code).toBe(1);
      expect(err.join('\n')).toContain('telegramApi.apiId (HYDRAWATCH_TG_API_ID): not set');
      writeFileSync(join(d, 'sources.yaml'), 'sources:\n  - { id: feed, platform: rss, url: "https://example.org/feed.xml", schedule: "*/5 * * * *" }\n');
      expect(await runSourcesCommand(['validate'], { out: (s) => out.push(s), err: (s) => err.push(s), configDir: d })).toBe(0);
    } finally {
      if (saved.id !== undefined) process.env.HYDRAWATCH_TG_API_ID = saved.id;
      if (saved.hash !== undefined) process.env.HYDRAWATCH_TG_API_HASH = saved.hash;
    }
  });
});

describe("a worker's start with the collector configured", () => {
  it('names the session settings when the login cannot be read, and says nothing when the collector is off or reads', async () => {
    expect(await telegramApiSessionProblem(settingsSchema.parse({}), {})).toBeUndefined();
    const settings = settingsSchema.parse({ dataDir: dir(), telegramApi: { apiId: 1, apiHash: HASH } });
    const p = await telegramApiSessionProblem(settings, {});
    expect(p?.setting).toContain('HYDRAWATCH_TG_SESSION_KEY');
    expect(p?.message).toContain('HYDRAWATCH_TG_SESSION_KEY is not set');
    expect(await telegramApiSessionProblem(settings, { HYDRAWATCH_TG_SESSION: SESSION })).toBeUndefined();
  });
});

describe('hydrawatch telegram login', () => {
  it('names what is missing before it asks Telegram for a code: the app credentials, then the session key', async () => {
    const saved = { ...process.env };
    for (const k of ['HYDRAWATCH_TG_API_ID', 'HYDRAWATCH_TG_API_HASH', 'HYDRAWATCH_TG_SESSION_KEY', 'HYDRAWATCH_TG_SESSION']) delete process.env[k];
    const d = dir();
    const err: string[] = [];
    const io = { out: () => undefined, err: (s: string) => err.push(s), configDir: d };
    const ask = (): Promise<string> => Promise.reject(new Error('nothing is asked'));
    try {
      expect(await runTelegramCommand(['login'], io, ask)).toBe(2);
      expect(err.pop()).toContain('telegramApi.apiId and telegramApi.apiHash (HYDRAWATCH_TG_API_ID, HYDRAWATCH_TG_API_HASH)');
      writeFileSync(join(d, 'settings.yaml'), `telegramApi: { apiId: 12345, apiHash: "${HASH}" }\n`);
      expect(await runTelegramCommand(['login'], io, ask)).toBe(2);
      expect(err.pop()).toContain('HYDRAWATCH_TG_SESSION_KEY is not set');
      expect(await runTelegramCommand(['status'], io, ask)).toBe(2);
      expect(err.pop()).toContain('HYDRAWATCH_TG_SESSION_KEY is not set');
      expect(await runTelegramCommand(['logout'], io, ask)).toBe(2);
      expect(err.pop()).toContain('usage: hydrawatch telegram login');
    } finally {
      process.env = saved;
    }
  });
});
