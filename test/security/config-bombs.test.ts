import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hashToken } from '../../src/api/auth';
import { buildApi, type Api } from '../../src/api/server';
import { ConfigError, formatIssue } from '../../src/config/format-issues';
import { CONFIG_LIMITS, loadSourcesFile, parseSourcesYaml } from '../../src/config/load-sources';
import { MAX_ALIASES } from '../../src/config/yaml-budget';
import { loadSettings } from '../../src/config/load-settings';
import { settingsSchema } from '../../src/config/schema';
import { watchSources } from '../../src/config/sources-watcher';
import { openStore, type Store } from '../../src/store/store';
import { listenOnFreePort } from '../support/listen';
import { mongoUrl, uniqueName } from '../support/services';
import { waitFor } from '../support/wait-for';
import { storeDb } from '../../src/store/db-handle';

const GOOD = `sources:
  - id: alpha
    platform: telegram
    handle: sim_alpha
    schedule: "*/5 * * * *"
`;

/** "Billion laughs" as the issue found it: 213 bytes that would expand to 9^6 (531,441) strings. */
const BOMB = [
  'a: &a [lo,lo,lo,lo,lo,lo,lo,lo,lo]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'sources: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  '',
].join('\n');

/** A sources file over the size cap: one long valid list. */
function oversize(): string {
  const entry = (i: number): string => `  - {id: s${i}, platform: telegram, handle: handle_${i}, schedule: "*/5 * * * *"}\n`;
  let text = 'sources:\n';
  for (let i = 0; text.length <= CONFIG_LIMITS.maxBytes + 1024; i++) text += entry(i);
  return text;
}

describe('config bombs', () => {
  it('the alias bomb is 213 bytes', () => {
    expect(Buffer.byteLength(BOMB)).toBe(213);
  });

  it('an alias bomb is refused fast with file and line, not expanded', () => {
    const t0 = Date.now();
    const r = parseSourcesYaml(BOMB, 'config/sources.yaml');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(formatIssue).join('\n')).toMatch(/^config\/sources\.yaml:\d+:\d+ \(root\): YAML: too many alias expansions/);
  });

  /** A flat alias flood: `n` aliases to one anchor (the re-run's 900 KB file held 400,000 and took 40 s and 3.2 GB). */
  function aliasFlood(n: number): string {
    const head = 'sources:\n  - id: s\n    platform: telegram\n    handle: some_handle\n    schedule: &a "*/5 * * * *"\n    tags: [';
    return head + Array.from({ length: n }, () => '*a').join(',') + ']\n';
  }

  it('an alias flood of 400,000 aliases to one anchor is refused before parsing, in a process capped at 100 MB of heap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-flood-'));
    const file = join(dir, 'sources.yaml');
    writeFileSync(file, aliasFlood(400_000));
    // a separate Node process whose heap may not pass 100 MB: a parse that expands the file dies there
    const loader = resolve(__dirname, '../../dist/src/config/load-sources.js');
    const script = `const t0 = Date.now(); require(${JSON.stringify(loader)}).loadSourcesFile(${JSON.stringify(file)}).then(
      () => console.log(JSON.stringify({ ok: true })),
      (e) => console.log(JSON.stringify({ ok: false, ms: Date.now() - t0, message: e.message })));`;
    const out = execFileSync(process.execPath, ['--max-old-space-size=100', '-e', script], { encoding: 'utf8', timeout: 20000 });
    const r = JSON.parse(out.trim()) as { ok: boolean; ms?: number; message?: string };
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(new RegExp(`sources\\.yaml:6:\\d+ \\(root\\): YAML: more than ${MAX_ALIASES} aliases in one file: refused before parsing`));
    // the 100 MB heap cap is what catches an expansion; the time only has to stay far from the 40 s the bug took
    // (a loose bound: a loaded CI machine must not fail it, a quadratic scan would)
    expect(r.ms).toBeLessThan(10_000);
  });

  it('a file just under the alias limit still loads, one anchored value reused by every alias', () => {
    const r = parseSourcesYaml(aliasFlood(2_000), 'config/sources.yaml');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.sources[0]?.tags).toHaveLength(2_000);
  });

  it('settings.yaml: the same bomb is a ConfigError, not a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-bomb-'));
    writeFileSync(join(dir, 'settings.yaml'), BOMB.replace('sources:', 'tags:'));
    expect(() => loadSettings(join(dir, 'settings.yaml'), {})).toThrow(ConfigError);
  });

  it('a file over the size cap is refused before it is parsed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-big-'));
    const file = join(dir, 'sources.yaml');
    writeFileSync(file, oversize());
    const t0 = Date.now();
    const err = await loadSourcesFile(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map(formatIssue)[0]).toMatch(
      new RegExp(`^${file}:1:1 \\(root\\): file is \\d+ bytes, over the ${CONFIG_LIMITS.maxBytes}-byte limit`),
    );
    writeFileSync(join(dir, 'settings.yaml'), `# ${'x'.repeat(CONFIG_LIMITS.maxBytes)}\n`);
    expect(() => loadSettings(join(dir, 'settings.yaml'), {})).toThrow(/over the \d+-byte limit/);
  });

  it('the running scheduler keeps its watch list through a bomb and an oversize file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-watch-bomb-'));
    const file = join(dir, 'sources.yaml');
    writeFileSync(file, GOOD);
    const errors: string[] = [];
    const w = await watchSources(file, { pollMs: 100, onChange: () => undefined, onError: (e) => errors.push(e.message) });
    try {
      expect(w.current().map((s) => s.id)).toEqual(['alpha']);
      writeFileSync(file, BOMB);
      await waitFor('bomb reported', () => errors.length === 1, 5000);
      expect(errors[0]).toMatch(/too many alias expansions/);
      writeFileSync(file, oversize());
      // a poll may catch the file half-written (another error first): wait for the size refusal itself
      await waitFor('oversize reported', () => errors.slice(1).some((e) => /byte limit/.test(e)), 5000);
      expect(w.current().map((s) => s.id)).toEqual(['alpha']);
      writeFileSync(file, GOOD.replace('alpha', 'beta'));
      await waitFor('good file picked up again', () => w.current()[0]?.id === 'beta', 5000);
    } finally {
      w.close();
    }
  });

  describe('API with a bomb in sources.yaml', () => {
    let store: Store;
    let app: Api;
    let base: string;
    const TOKEN = 'analyst-token-bomb-0123456789abcdef';
    beforeAll(async () => {
      store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwbomb') });
      const dir = mkdtempSync(join(tmpdir(), 'hw-api-bomb-'));
      writeFileSync(join(dir, 'sources.yaml'), BOMB);
      writeFileSync(join(dir, 'settings.yaml'), 'mongoDb: test\n');
      app = await buildApi({
        store,
        settings: settingsSchema.parse({}),
        tokens: [{ name: 'ana', role: 'analyst', sha256: hashToken(TOKEN) }],
        sourcesPath: join(dir, 'sources.yaml'),
        settingsPath: join(dir, 'settings.yaml'),
      });
      base = await listenOnFreePort(app);
    });
    afterAll(async () => {
      await app.close();
      await storeDb(store).dropDatabase();
      await store.close();
    });

    it('GET reports the config error; POST is refused with 422, never 500', async () => {
      const auth = { authorization: `Bearer ${TOKEN}` };
      const list = await fetch(`${base}/api/v1/sources`, { headers: auth });
      expect(list.status).toBe(200);
      const body = (await list.json()) as { configErrors: string[] };
      expect(body.configErrors.join('\n')).toMatch(/sources\.yaml:\d+:\d+ .*too many alias expansions/);
      const add = await fetch(`${base}/api/v1/sources`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'x', platform: 'telegram', handle: 'some_channel', schedule: '*/5 * * * *' }),
      });
      expect(add.status).toBe(422);
    });
  });
});
