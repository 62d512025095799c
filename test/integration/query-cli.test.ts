import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQueryCommand, type QueryIo } from '../../src/cli/query-command';
import { timeBuckets } from '../../src/core/time-buckets';
import { QueryInputError } from '../../src/research/query-filter';
import { ensureIndexes, openStore, type Store } from '../../src/store/store';
import type { PostDoc } from '../../src/store/repos/posts';
import { mongoUrl, uniqueName } from '../support/services';
import { SEED, seedResearchDb } from '../support/research-seed';
import { storeDb } from '../../src/store/db-handle';

/** `hydrawatch query …` on FerretDB: tables, CSV/NDJSON/GEXF, progress on long exports, clear errors. */
describe('hydrawatch query', () => {
  let store: Store;
  const dir = mkdtempSync(join(tmpdir(), 'hw-query-'));

  function capture(isTty: boolean): QueryIo & { stdout: string; stderr: string[] } {
    const io = {
      stdout: '',
      stderr: [] as string[],
      isTty,
      out: (s: string) => {
        io.stdout += `${s}\n`;
      },
      err: (s: string) => {
        io.stderr.push(s);
      },
      write: async (chunk: string) => {
        io.stdout += chunk;
      },
    };
    return io;
  }

  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwquery') });
    await ensureIndexes(store);
    await seedResearchDb(store);
  });
  afterAll(async () => {
    await storeDb(store).dropDatabase();
    await store.close();
  });

  it('prints a table of the latest posts on a terminal, CSV in a pipe', async () => {
    const tty = capture(true);
    expect(await runQueryCommand(store, ['posts', '--tag', 'net-b', '--limit', '2'], tty)).toBe(0);
    const lines = tty.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+channel\s+handle/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^tg:200:3 /);
    expect(tty.stderr.join('\n')).toMatch(/more rows/);
    const pipe = capture(false);
    await runQueryCommand(store, ['posts', '--lang', 'eng'], pipe);
    expect(pipe.stdout.trimEnd().split('\r\n')).toHaveLength(1 + SEED.postsByLang.eng!);
  });

  it('trends as table and JSON, with filters', async () => {
    const t = capture(true);
    await runQueryCommand(store, ['trends', 'posts', '--period', 'day'], t);
    expect(t.stdout).toMatch(/2026-11-02\s+all\s+5/);
    const j = capture(false);
    await runQueryCommand(store, ['trends', 'hydra', '--format', 'json'], j);
    expect(JSON.parse(j.stdout)).toMatchObject({ takedowns: 2, successors: 2, chainLengths: { max: 3 } });
    const d = capture(false);
    await runQueryCommand(store, ['trends', 'takedown-time', '--format', 'ndjson'], d);
    expect(JSON.parse(d.stdout)).toMatchObject({ unit: 'hours', count: 2, min: 48, max: 69 });
    const l = capture(true);
    await runQueryCommand(store, ['lineage'], l);
    expect(l.stdout).toContain('chain: @alpha_news → @alpha_news1 → @alpha_news2');
  });

  it('exports every row to a file with progress on stderr, and GEXF for Gephi', async () => {
    const many: PostDoc[] = [];
    const t = new Date('2026-10-01T00:00:00Z');
    for (let i = 0; i < 2500; i++) {
      const at = new Date(t.getTime() + i * 60_000);
      many.push({
        _id: `tg:900:${i}`,
        channelKey: 'tg:900',
        postId: String(i),
        sourceId: 's-bulk',
        platform: 'telegram',
        handle: 'bulk_synthetic',
        at,
        publishedAt: at,
        text: `bulk ${i}`,
        lang: 'und',
        links: [],
        hashtags: [],
        mentions: [],
        media: [],
        tags: ['bulk'],
        firstSeenAt: at,
        lastSeenAt: at,
        buckets: timeBuckets(at),
      });
    }
    await store.posts.insertMany(many);
    const io = capture(false);
    const out = join(dir, 'bulk.ndjson');
    expect(await runQueryCommand(store, ['posts', '--tag', 'bulk', '--format', 'ndjson', '--out', out], io)).toBe(0);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { postId: string });
    expect(rows).toHaveLength(2500);
    expect(rows.map((r) => Number(r.postId))).toEqual([...Array(2500).keys()]);
    expect(io.stderr.some((l) => /exporting posts: \d+\/2500/.test(l))).toBe(true);
    expect(io.stderr.at(-1)).toBe(`wrote 2500 posts to ${out}`);
    const g = capture(false);
    const gexf = join(dir, 'net.gexf');
    await runQueryCommand(store, ['network', '--out', gexf], g);
    expect(readFileSync(gexf, 'utf8')).toMatch(/<gexf[\s\S]*<edge [\s\S]*<\/gexf>/);
  });

  it('names the bad option or value', async () => {
    const io = capture(true);
    await expect(runQueryCommand(store, ['posts', '--colour', 'red'], io)).rejects.toThrow(/unknown option --colour/);
    await expect(runQueryCommand(store, ['posts', '--from', 'last-week'], io)).rejects.toThrow(/--from: must be a date/);
    await expect(runQueryCommand(store, ['trends', 'posts', '--by', 'mood'], io)).rejects.toThrow(/--by must be one of total, channel, tag, lang/);
    await expect(runQueryCommand(store, ['posts', '--limit', '0'], io)).rejects.toThrow(QueryInputError);
    await expect(runQueryCommand(store, ['nonsense'], io)).rejects.toThrow(/unknown query "nonsense"/);
    await expect(runQueryCommand(store, ['events', '--lang', 'arb'], io)).rejects.toThrow(/lang filter applies to posts/);
  });
});
