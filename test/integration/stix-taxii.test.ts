import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken } from '../../src/api/auth';
import { buildApi, type Api } from '../../src/api/server';
import { settingsSchema } from '../../src/config/schema';
import { ensureIndexes, openStore, type Store } from '../../src/store/store';
import { EXTENSIONS, PDQ_HASH_KEY, type StixObject } from '../../src/share/stix/objects';
import { tlpMarkingId } from '../../src/share/stix/tlp';
import { mongoUrl, uniqueName } from '../support/services';
import { STIX_SEED, seedStixDb } from '../support/stix-seed';
import { listenOnFreePort } from '../support/listen';

const RESEARCHER = 'researcher-token-stix-0123456789';

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** The STIX export and the TAXII 2.1 routes over real HTTP on FerretDB, on the research seed plus a video. */
describe('STIX export and TAXII 2.1', () => {
  let store: Store;
  let app: Api;
  let base: string;

  const get = async (path: string, token: string | null = RESEARCHER, accept?: string): Promise<Answer> => {
    const res = await fetch(`${base}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(accept ? { accept } : {}) } });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body, headers: res.headers };
  };
  const bundle = async (query = ''): Promise<StixObject[]> => {
    const r = await get(`/api/v1/export/stix${query}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/stix+json;version=2.1');
    expect(r.body.type).toBe('bundle');
    return r.body.objects as StixObject[];
  };

  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwstix') });
    await ensureIndexes(store);
    await seedStixDb(store);
    const configDir = mkdtempSync(join(tmpdir(), 'hw-stix-config-'));
    writeFileSync(join(configDir, 'sources.yaml'), 'sources: []\n');
    writeFileSync(join(configDir, 'settings.yaml'), 'mongoDb: test\n');
    app = await buildApi({
      store,
      settings: settingsSchema.parse({ dataDir: configDir, share: { tlp: 'green' } }),
      tokens: [{ name: 'rea', role: 'researcher', sha256: hashToken(RESEARCHER) }],
      sourcesPath: join(configDir, 'sources.yaml'),
      settingsPath: join(configDir, 'settings.yaml'),
    });
    base = await listenOnFreePort(app);
  });
  afterAll(async () => {
    await app.close();
    await store.db.dropDatabase();
    await store.close();
  });

  it('exports every kind as one bundle, TLP-marked, ids stable across exports', async () => {
    const objects = await bundle();
    const count = (type: string): number => objects.filter((o) => o.type === type).length;
    expect(count('user-account')).toBe(STIX_SEED.channels);
    expect(count('url')).toBe(STIX_SEED.posts);
    expect(count('relationship')).toBe(STIX_SEED.resurfacings);
    expect(count('observed-data')).toBe(STIX_SEED.takedowns);
    expect(count('identity')).toBe(1);
    // two pictures (the research seed) and the video
    expect(count('file')).toBe(3);
    for (const o of objects.filter((x) => x.type !== 'marking-definition')) expect(o.object_marking_refs).toEqual([tlpMarkingId('green')]);
    expect(new Set(objects.map((o) => o.id)).size).toBe(objects.length);
    const video = objects.find((o) => o.type === 'file' && (o.hashes as Record<string, string>)['SHA-256'] === STIX_SEED.videoSha256);
    expect((video?.extensions as Record<string, { frame_pdqs: string[] }>)[EXTENSIONS.frameBag.id]?.frame_pdqs).toEqual(STIX_SEED.frames);
    expect(objects.some((o) => o.id === EXTENSIONS.frameBag.id)).toBe(true);
    expect(objects.find((o) => o.type === 'file' && (o.hashes as Record<string, string>)[PDQ_HASH_KEY])).toBeDefined();
    expect(objects.find((o) => o.account_type === 'youtube')?.display_name).toBe(STIX_SEED.hostileTitle);
    expect((await bundle()).map((o) => o.id)).toEqual(objects.map((o) => o.id));
  });

  it('filters by kind, tag, channel and time; refuses a bad filter before streaming', async () => {
    const rel = await bundle('?kind=resurfacings');
    expect(rel.filter((o) => o.type === 'relationship')).toHaveLength(2);
    // the channels they link come along
    expect(rel.filter((o) => o.type === 'user-account')).toHaveLength(3);
    expect((await bundle('?kind=posts&tag=net-b')).filter((o) => o.type === 'url')).toHaveLength(3);
    expect((await bundle('?kind=posts&channel=@alpha_news1')).filter((o) => o.type === 'url')).toHaveLength(1);
    expect((await bundle('?kind=posts&from=2026-11-03&to=2026-11-04')).filter((o) => o.type === 'url')).toHaveLength(3);
    const takedowns = await bundle('?kind=takedowns&tag=net-v');
    expect(takedowns.filter((o) => o.type === 'observed-data')).toHaveLength(1);
    expect(takedowns.find((o) => o.type === 'url')?.value).toBe('https://www.youtube.com/watch?v=vid00000001');
    expect((await get('/api/v1/export/stix?kind=posts,nope')).status).toBe(400);
    expect((await get('/api/v1/export/stix?channel=@never_seen')).status).toBe(400);
    expect((await get('/api/v1/export/stix', null)).status).toBe(401);
  });
});
