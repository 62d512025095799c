import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue } from '../../src/config/format-issues';
import { parseSourcesYaml } from '../../src/config/load-sources';
import { loadSettings } from '../../src/config/load-settings';
import { diffSources, watchSources } from '../../src/config/sources-watcher';
import { runSourcesCommand } from '../../src/cli/sources-command';
import { sourceSchema } from '../../src/config/schema';
import { waitFor } from '../support/wait-for';

const good = `sources:
  - id: alpha
    platform: telegram
    handle: sim_alpha
    schedule: "*/5 * * * *"
    tags: [a]
`;

function errorsOf(text: string): string[] {
  const r = parseSourcesYaml(text, 'config/sources.yaml');
  if (r.ok) throw new Error('expected errors');
  return r.errors.map(formatIssue);
}

describe('sources.yaml validation', () => {
  it('accepts a good file and applies defaults', () => {
    const r = parseSourcesYaml(good, 'f.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.sources[0]).toMatchObject({
      id: 'alpha',
      language: 'und',
      enabled: true,
      retention: 'hash-only',
      rateLimit: { requests: 1, perSeconds: 2 },
      options: { baseUrl: 'https://t.me', backfillPages: 3 },
    });
  });
  it('names file, line, column, path and value of a bad cron', () => {
    expect(errorsOf(good.replace('"*/5 * * * *"', 'every five minutes'))).toEqual([
      'config/sources.yaml:5:15 sources[0].schedule: not a valid cron expression (5 or 6 fields, e.g. "*/5 * * * *") (got "every five minutes")',
    ]);
  });
  it('bad handle, wrong type, unknown key, missing key, duplicate id', () => {
    const text = `sources:
  - id: alpha
    platform: telegram
    handle: "@bad handle"
    schedule: "* * * * *"
    tags: weather
  - id: beta
    platform: rss
    schedule: "* * * * *"
    colour: blue
  - id: alpha
    platform: rss
    url: http://example.org/feed
    schedule: "* * * * *"
`;
    const errs = errorsOf(text);
    expect(errs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^config\/sources\.yaml:4:13 sources\[0\]\.handle: .*Telegram handle.* \(got "@bad handle"\)$/),
        expect.stringMatching(/^config\/sources\.yaml:6:11 sources\[0\]\.tags: .*array.*\(got "weather"\)$/),
        expect.stringMatching(/^config\/sources\.yaml:10:\d+ sources\[1\]: unknown key "colour"$/),
        expect.stringMatching(/^config\/sources\.yaml:7:\d+ sources\[1\]\.url: missing required key "url"$/),
        expect.stringMatching(/^config\/sources\.yaml:11:9 sources\[2\]\.id: duplicate source id "alpha"/),
      ]),
    );
  });
  it('YAML syntax errors give file:line:col', () => {
    expect(errorsOf('sources:\n  - id: a\n    tags: [unclosed\n')[0]).toMatch(/^config\/sources\.yaml:\d+:\d+ \(root\): YAML syntax/);
  });
  it('an unknown platform is named', () => {
    expect(errorsOf(good.replace('platform: telegram', 'platform: myspace')).join('\n')).toMatch(/sources\[0\]\.platform/);
  });
});

describe('settings', () => {
  it('defaults without a file; env wins over the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-set-'));
    writeFileSync(join(dir, 'settings.yaml'), 'mongoDb: fromfile\nworker: { concurrency: 8 }\n');
    const s = loadSettings(join(dir, 'settings.yaml'), { MONGO_DB: 'fromenv', REDIS_URL: 'redis://127.0.0.1:1' });
    expect(s.mongoDb).toBe('fromenv');
    expect(s.redisUrl).toBe('redis://127.0.0.1:1');
    expect(s.worker.concurrency).toBe(8);
    expect(s.worker.hostConcurrency).toBe(2);
    expect(loadSettings(join(dir, 'missing.yaml'), {}).mongoDb).toBe('hydrawatch');
  });
  it('a bad settings key names the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-set-'));
    writeFileSync(join(dir, 'settings.yaml'), 'worker:\n  concurrency: -3\n');
    expect(() => loadSettings(join(dir, 'settings.yaml'), {})).toThrow(/settings\.yaml:2:16 worker\.concurrency: .*\(got -3\)/);
  });
});

describe('hot reload', () => {
  const src = (id: string, schedule = '* * * * *') => sourceSchema.parse({ id, platform: 'rss', url: `http://example.org/${id}`, schedule });
  it('diffSources tells added, removed and changed', () => {
    const d = diffSources([src('a'), src('b'), src('c')], [src('a'), src('b', '*/2 * * * *'), src('d')]);
    expect(d.added.map((s) => s.id)).toEqual(['d']);
    expect(d.removed.map((s) => s.id)).toEqual(['c']);
    expect(d.changed.map((s) => s.id)).toEqual(['b']);
  });
  it('applies good edits, keeps the last good list on a bad edit, then recovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-watch-'));
    const file = join(dir, 'sources.yaml');
    writeFileSync(file, good);
    const changes: string[][] = [];
    const errors: string[] = [];
    const w = await watchSources(file, { pollMs: 100, onChange: (d) => changes.push(d.all.map((s) => s.id)), onError: (e) => errors.push(e.message) });
    try {
      expect(w.current().map((s) => s.id)).toEqual(['alpha']);
      writeFileSync(file, `${good}  - id: beta\n    platform: rss\n    url: http://example.org/f\n    schedule: "* * * * *"\n`);
      await waitFor('beta added', () => w.current().length === 2, 5000);
      writeFileSync(file, `${good}  - id: beta\n    platform: rss\n    schedule: "nope"\n`);
      await waitFor('error reported', () => errors.length === 1, 5000);
      expect(errors[0]).toMatch(/sources\[1\]\.schedule/);
      expect(w.current().map((s) => s.id)).toEqual(['alpha', 'beta']);
      writeFileSync(file, good);
      await waitFor('beta removed', () => w.current().length === 1, 5000);
      expect(changes.at(-1)).toEqual(['alpha']);
    } finally {
      w.close();
    }
  });
});

describe('sources CLI', () => {
  it('adds a source, keeps comments, refuses duplicates and bad input without touching the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-cli-'));
    const file = join(dir, 'sources.yaml');
    writeFileSync(file, `# watch list comment\n${good}`);
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s), configDir: dir };
    expect(
      await runSourcesCommand(
        ['add', '--id', 'beta', '--platform', 'telegram', '--handle', '@sim_beta', '--schedule', '*/10 * * * *', '--tags', 'x,y', '--rate', '1/5'],
        io,
      ),
    ).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# watch list comment/);
    const r = parseSourcesYaml(text, file);
    expect(r.ok && r.sources.map((s) => s.id)).toEqual(['alpha', 'beta']);
    expect(r.ok && r.sources[1]).toMatchObject({ handle: 'sim_beta', tags: ['x', 'y'], rateLimit: { requests: 1, perSeconds: 5 } });
    expect(await runSourcesCommand(['add', '--id', 'beta', '--handle', 'sim_other'], io)).toBe(1);
    expect(err.join('\n')).toMatch(/duplicate source id "beta"/);
    expect(await runSourcesCommand(['add', '--id', 'gamma', '--handle', 'sim_gamma', '--schedule', 'bad cron'], io)).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(await runSourcesCommand(['list'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/beta\s+telegram\s+@sim_beta/);
  });
  it("sets each platform's own keys from its flags (the platform module's addFlags) and lists them by label", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-cli-'));
    const file = join(dir, 'sources.yaml');
    writeFileSync(file, 'sources: []\n');
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s), configDir: dir };
    const add = (...args: string[]): Promise<number> => runSourcesCommand(['add', ...args], io);
    expect(await add('--id', 'yt', '--platform', 'youtube', '--playlist-id', 'PLsynthetic0001')).toBe(0);
    expect(await add('--id', 'ia', '--platform', 'archive', '--collection', 'synthetic_test', '--uploader', 'sim@example.org')).toBe(0);
    expect(await add('--id', 'feed', '--platform', 'rss', '--url', 'https://example.org/feed.xml')).toBe(0);
    const r = parseSourcesYaml(readFileSync(file, 'utf8'), file);
    expect(r.ok && r.sources).toMatchObject([
      { id: 'yt', platform: 'youtube', playlistId: 'PLsynthetic0001' },
      { id: 'ia', platform: 'archive', collection: 'synthetic_test', uploader: 'sim@example.org' },
      { id: 'feed', platform: 'rss', url: 'https://example.org/feed.xml' },
    ]);
    expect(r.ok && Object.keys(r.sources[0] ?? {})).not.toContain('channelId');
    expect(await runSourcesCommand(['list'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/ia\s+archive\s+collection:"synthetic_test" AND uploader:"sim@example.org"/);
  });
});
