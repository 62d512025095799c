import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { itemPost, parseAdvancedSearch, parseItemMetadata, searchUrl, smallestVideo } from '../../crawlers/archive';
import { archiveQuery } from '../../crawlers/archive';
import { sourceSchema } from '../../src/config/schema';

const fx = (name: string): string => readFileSync(join(__dirname, '../fixtures/archive', name), 'utf8');

describe('Internet Archive advanced search JSON', () => {
  it('reads docs (string or list fields, HTML descriptions), skips a bad identifier', () => {
    const r = parseAdvancedSearch(fx('advancedsearch.json'), 'u');
    expect(r.numFound).toBe(3);
    expect(r.docs.map((d) => d.identifier)).toEqual(['synthetic-garden-walk-2026', 'synthetic_rain_notes']);
    expect(r.docs[0]).toMatchObject({
      title: 'Synthetic garden walk',
      description: 'A synthetic walk through a raised bed.',
      downloads: 42,
      uploader: 'synthetic.uploader@example.org',
      mediatype: 'movies',
    });
    expect(r.docs[0]?.publicdate?.toISOString()).toBe('2026-11-20T06:00:00.000Z');
    expect(r.docs[1]).toMatchObject({ title: 'Rain notes', description: 'Notes on a synthetic rainy week.' });
  });
  it('errors name what is wrong', () => {
    expect(() => parseAdvancedSearch('<html>', 'u')).toThrow(/not JSON/);
    expect(() => parseAdvancedSearch('{"error":"bad query syntax"}', 'u')).toThrow(/answered an error: bad query syntax/);
    expect(() => parseAdvancedSearch('{"response":{}}', 'u')).toThrow(/no response.docs array/);
  });
  it('the query of a source, and its URL', () => {
    const s = sourceSchema.parse({
      id: 'ia',
      platform: 'archive',
      schedule: '*/5 * * * *',
      query: 'synthetic garden',
      collection: 'synthetic_test_collection',
    });
    if (s.platform !== 'archive') throw new Error('schema');
    expect(archiveQuery(s)).toBe('(synthetic garden) AND collection:"synthetic_test_collection"');
    expect(searchUrl('https://archive.org', archiveQuery(s), 50)).toBe(
      'https://archive.org/advancedsearch.php?q=(synthetic%20garden)%20AND%20collection%3A%22synthetic_test_collection%22&fl[]=identifier&fl[]=title&fl[]=description&fl[]=publicdate&fl[]=uploader&fl[]=downloads&fl[]=mediatype&sort[]=publicdate+desc&rows=50&page=1&output=json',
    );
    expect(sourceSchema.safeParse({ id: 'ia', platform: 'archive', schedule: '*/5 * * * *' }).success).toBe(false);
    expect(sourceSchema.safeParse({ id: 'ia', platform: 'archive', schedule: '*/5 * * * *', collection: 'a" OR "b' }).success).toBe(false);
  });
});

describe('Internet Archive metadata JSON', () => {
  it('a public item: metadata, files (a path-escaping name dropped), the smallest video', () => {
    const md = parseItemMetadata(fx('metadata-item.json'), 'synthetic-garden-walk-2026');
    if (md.state !== 'public') throw new Error(`expected public, got ${md.state}`);
    expect(md).toMatchObject({
      title: 'Synthetic garden walk',
      uploader: 'synthetic.uploader@example.org',
      mediatype: 'movies',
      collections: ['synthetic_test_collection', 'community_video'],
    });
    expect(md.description).toBe('A synthetic walk through a raised bed.\nNo real content.');
    expect(md.publicdate?.toISOString()).toBe('2026-11-20T06:00:00.000Z');
    expect(md.files.map((f) => f.name)).not.toContain('../../etc/passwd');
    expect(smallestVideo(md.files, 50_000_000)?.name).toBe('garden-walk.ia.mp4');
    expect(smallestVideo(md.files, 1000)).toBeUndefined();
    const doc = parseAdvancedSearch(fx('advancedsearch.json')).docs[0];
    if (!doc) throw new Error('doc');
    const post = itemPost(doc, md, { base: 'https://archive.org', downloadVideo: true, maxVideoBytes: 50_000_000 });
    expect(post).toMatchObject({ postId: 'synthetic-garden-walk-2026', url: 'https://archive.org/details/synthetic-garden-walk-2026', views: 42 });
    expect(post.media).toEqual([
      { kind: 'photo', url: 'https://archive.org/services/img/synthetic-garden-walk-2026' },
      { kind: 'video', url: 'https://archive.org/download/synthetic-garden-walk-2026/garden-walk.ia.mp4', fileName: 'garden-walk.ia.mp4' },
    ]);
  });
  it('dark (is_dark) and missing ({})', () => {
    expect(parseItemMetadata(fx('metadata-dark.json'), 'synthetic-garden-walk-2026')).toEqual({ state: 'dark' });
    expect(parseItemMetadata(fx('metadata-missing.json'), 'synthetic-garden-walk-2026')).toEqual({ state: 'missing' });
  });
  it('another identifier, or an unknown shape, is an error', () => {
    expect(() => parseItemMetadata(fx('metadata-item.json'), 'other-item')).toThrow(/about "synthetic-garden-walk-2026", not "other-item"/);
    expect(() => parseItemMetadata('[]', 'x')).toThrow(/not a JSON object/);
    expect(() => parseItemMetadata('{"files":[]}', 'x')).toThrow(/neither "metadata", "is_dark" nor an empty object/);
  });
});
