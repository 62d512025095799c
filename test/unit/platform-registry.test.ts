/**
 * crawlers/registry.ts: one module per platform, and what the rest of hydrawatch reads through it (the source union,
 * labels, base URLs, channel keys, parse tasks, crawlers, simulator pointers).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  PLATFORM_MODULES,
  PLATFORMS,
  channelKeyFor,
  isPlatform,
  platformModules,
  sourceBaseUrl,
  sourceLabel,
  sourceLinkBase,
  sourceListLabel,
} from '../../crawlers/registry';
import { defaultCrawlers } from '../../src/app/crawler-registry';
import { sourceSchema, type Source } from '../../src/config/schema';
import { sourceUrls } from '../../src/config/source-egress';
import { registeredTasks } from '../../src/parse/task-registry';

const ROOT = join(__dirname, '..', '..');
const common = { schedule: '*/5 * * * *' };
const sources: Record<string, Source> = {
  telegram: sourceSchema.parse({ ...common, id: 'tg', platform: 'telegram', handle: 'Sim_Alpha' }),
  rss: sourceSchema.parse({ ...common, id: 'feed', platform: 'rss', url: 'https://example.org/feed.xml' }),
  html: sourceSchema.parse({ ...common, id: 'forum', platform: 'html', url: 'https://example.org/board', options: { selectors: { post: 'li', text: 'p' } } }),
  browser: sourceSchema.parse({ ...common, id: 'js', platform: 'browser', url: 'https://example.org/app', options: { selectors: { post: 'li', text: 'p' } } }),
  youtube: sourceSchema.parse({ ...common, id: 'yt', platform: 'youtube', playlistId: 'PLsynthetic0001' }),
  archive: sourceSchema.parse({ ...common, id: 'ia', platform: 'archive', query: 'synthetic', collection: 'synthetic_test' }),
  'telegram-api': sourceSchema.parse({ ...common, id: 'tga', platform: 'telegram-api', handle: 'Sim_Group', read: 'comments' }),
};

describe('the platform registry (crawlers/registry.ts)', () => {
  it('lists every platform once, in order, each under its own name', () => {
    expect(PLATFORMS).toEqual(['telegram', 'rss', 'html', 'browser', 'youtube', 'archive', 'telegram-api']);
    for (const [key, m] of Object.entries(platformModules)) expect(m.platform).toBe(key);
    expect(sourceSchema.options.map((o) => o.shape.platform.value)).toEqual(PLATFORMS);
  });

  it('labels each source and names the base URL its crawler connects to, as before the registry', () => {
    expect(Object.keys(sources)).toEqual(PLATFORMS);
    expect(Object.values(sources).map(sourceLabel)).toEqual([
      'Sim_Alpha',
      'https://example.org/feed.xml',
      'https://example.org/board',
      'https://example.org/app',
      'PLsynthetic0001',
      '(synthetic) AND collection:"synthetic_test"',
      'Sim_Group (comments)',
    ]);
    expect(Object.values(sources).map(sourceBaseUrl)).toEqual([
      'https://t.me',
      'https://example.org/feed.xml',
      'https://example.org/board',
      'https://example.org/app',
      'https://www.youtube.com',
      'https://archive.org',
      'https://telegram-api.invalid', // MTProto, not HTTP: only the host limiter's key
    ]);
  });

  it('names the URLs each source connects to for the egress check (proxy included), and how `sources list` shows it', () => {
    const withProxy = { ...(sources.rss as Source), proxy: 'http://proxy.example.org:3128' };
    expect(Object.values(sources).map(sourceUrls)).toEqual([
      [{ key: ['options', 'baseUrl'], url: 'https://t.me' }],
      [{ key: ['url'], url: 'https://example.org/feed.xml' }],
      [{ key: ['url'], url: 'https://example.org/board' }],
      [{ key: ['url'], url: 'https://example.org/app' }],
      [
        { key: ['options', 'baseUrl'], url: 'https://www.youtube.com' },
        { key: ['options', 'thumbBaseUrl'], url: 'https://i.ytimg.com' },
      ],
      [{ key: ['options', 'baseUrl'], url: 'https://archive.org' }],
      [],
    ]);
    expect(sourceUrls(withProxy)).toEqual([
      { key: ['url'], url: 'https://example.org/feed.xml' },
      { key: ['proxy'], url: 'http://proxy.example.org:3128' },
    ]);
    expect(Object.values(sources).map(sourceListLabel)).toEqual([
      '@Sim_Alpha',
      ...Object.values(sources).slice(1, -1).map(sourceLabel),
      '@Sim_Group (comments)',
    ]);
    const mirror = sourceSchema.parse({ ...common, id: 'm', platform: 'telegram', handle: 'sim_m', options: { baseUrl: 'http://127.0.0.1:8000' } });
    expect([...Object.values(sources), mirror].map(sourceLinkBase)).toEqual([...PLATFORMS.map(() => 'https://t.me'), 'http://127.0.0.1:8000']);
    expect([isPlatform('youtube'), isPlatform('myspace'), isPlatform('toString')]).toEqual([true, false, false]);
  });

  it("derives channel keys through the platform's hook: Telegram's id, known key or handle; the source id elsewhere", () => {
    const tg = sources.telegram as Source;
    expect(channelKeyFor(tg, { platformId: '1006503122', handle: 'sim_alpha' }, 'tg:@old')).toBe('tg:1006503122');
    expect(channelKeyFor(tg, { handle: 'Sim_Renamed' }, 'tg:42')).toBe('tg:42');
    expect(channelKeyFor(tg, { handle: 'Sim_Renamed' })).toBe('tg:@sim_renamed');
    expect(channelKeyFor(tg, undefined, '')).toBe('tg:@sim_alpha');
    // the API's chats land on the same keys as the web preview's: a channel read both ways is one channel
    const api = sources['telegram-api'] as Source;
    expect(channelKeyFor(api, { platformId: '1006503122', handle: 'sim_group' })).toBe('tg:1006503122');
    expect(channelKeyFor(api, undefined)).toBe('tg:@sim_group/comments'); // a comments source reads the discussion group, not the channel
    for (const p of ['rss', 'html', 'browser', 'youtube', 'archive']) {
      const s = sources[p] as Source;
      expect(channelKeyFor(s, { platformId: 'x', handle: 'h' }, 'tg:1')).toBe(`${p}:${s.id}`);
    }
  });

  it("registers each module's parse tasks for the parse threads, and every task a parse-tasks file exports is a module's", async () => {
    expect(registeredTasks).toEqual(PLATFORM_MODULES.flatMap((m) => m.parseTasks));
    const files = readdirSync(join(ROOT, 'crawlers'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'crawlers', d.name, 'parse-tasks.ts')))
      .map((d) => join(ROOT, 'crawlers', d.name, 'parse-tasks'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    const exported = (await Promise.all(files.map(async (f) => Object.values((await import(f)) as Record<string, unknown>)))).flat();
    const listed = PLATFORM_MODULES.flatMap((m) => m.parseTasks);
    expect(new Set(listed)).toEqual(new Set(exported));
  });

  it("dispatches to each module's crawler, and points at simulator files and fixtures that exist", () => {
    for (const m of PLATFORM_MODULES) {
      expect(defaultCrawlers[m.platform]).toBe(m.crawler);
      expect(m.crawler.platform).toBe(m.platform);
      for (const path of [...(m.simulator?.markup ?? []), ...(m.simulator?.fixtures ? [m.simulator.fixtures] : [])])
        expect([path, existsSync(join(ROOT, path))]).toEqual([path, true]);
    }
  });
});
