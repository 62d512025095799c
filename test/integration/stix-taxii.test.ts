import { mkdtempSync, writeFileSync } from 'node:fs';
import { storeDb } from '../../src/store/db-handle';
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
import { runExportCommand } from '../../src/cli/export-command';

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
    await storeDb(store).dropDatabase();
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

  const TAXII = 'application/taxii+json;version=2.1';

  async function collections(): Promise<Array<{ id: string; title: string; can_read: boolean; can_write: boolean }>> {
    const r = await get('/taxii2/api/collections/', RESEARCHER, TAXII);
    expect(r.status).toBe(200);
    return r.body.collections;
  }

  /** Every page of a collection's objects with `limit`, and the pages' answers. */
  async function pages(id: string, limit: number, query = ''): Promise<{ objects: StixObject[]; answers: Answer[] }> {
    const objects: StixObject[] = [];
    const answers: Answer[] = [];
    let next: string | undefined;
    for (let i = 0; i < 100; i++) {
      const r = await get(`/taxii2/api/collections/${id}/objects/?limit=${limit}${query}${next ? `&next=${encodeURIComponent(next)}` : ''}`, RESEARCHER, TAXII);
      expect(r.status).toBe(200);
      answers.push(r);
      objects.push(...(r.body.objects as StixObject[]));
      if (!r.body.more) return { objects, answers };
      expect(r.body.objects).toHaveLength(limit);
      next = r.body.next;
    }
    throw new Error('more than 100 pages');
  }

  it('TAXII: discovery, API root and a collection per tag plus all, with the TAXII media type', async () => {
    const d = await get('/taxii2/', RESEARCHER, TAXII);
    expect(d.status).toBe(200);
    expect(d.headers.get('content-type')).toBe(TAXII);
    expect(d.body.api_roots).toEqual([`${base}/taxii2/api/`]);
    const root = await get('/taxii2/api/', RESEARCHER, TAXII);
    expect(root.body.versions).toEqual([TAXII]);
    const cols = await collections();
    expect(cols.map((c) => c.title)).toEqual(['all', 'net-a', 'net-b', 'net-v']);
    expect(cols.every((c) => c.can_read && !c.can_write)).toBe(true);
    const one = await get(`/taxii2/api/collections/${cols[1]?.id}/`, RESEARCHER, TAXII);
    expect(one.body.title).toBe('net-a');
    expect((await get('/taxii2/api/collections/00000000-0000-4000-8000-000000000000/objects/')).status).toBe(404);
  });

  it('TAXII: pages a collection with limit and next, in date_added order, with the date headers', async () => {
    const all = (await collections())[0]?.id as string;
    const { objects, answers } = await pages(all, 7);
    // 5 static objects (producer, marking, 3 extension definitions) + 5 channels + 10 posts + 5 sightings + 2 + 3
    expect(objects).toHaveLength(30);
    expect(answers.length).toBe(5);
    const whole = await pages(all, 1000);
    expect(whole.objects.map((o) => o.id)).toEqual(objects.map((o) => o.id));
    for (const a of answers) {
      expect(a.headers.get('content-type')).toBe(TAXII);
      expect(Date.parse(a.headers.get('x-taxii-date-added-first') ?? '')).toBeLessThanOrEqual(Date.parse(a.headers.get('x-taxii-date-added-last') ?? ''));
    }
    const firsts = answers.map((a) => Date.parse(a.headers.get('x-taxii-date-added-first') ?? ''));
    expect([...firsts].sort((x, y) => x - y)).toEqual(firsts);
    for (const o of objects.filter((x) => x.type !== 'marking-definition')) expect(o.object_marking_refs).toEqual([tlpMarkingId('green')]);
    // a tag's collection holds only what its sources recorded
    const netV = (await collections()).find((c) => c.title === 'net-v')?.id as string;
    const v = await pages(netV, 100);
    expect(v.objects.filter((o) => o.type === 'user-account').map((o) => o.account_type)).toEqual(['youtube']);
    expect(v.objects.filter((o) => o.type === 'observed-data')).toHaveLength(1);
  });

  it('TAXII: added_after returns only what was added later; the manifest matches; objects read back by id', async () => {
    const all = (await collections())[0]?.id as string;
    const manifest = await get(`/taxii2/api/collections/${all}/manifest/?limit=1000`, RESEARCHER, TAXII);
    expect(manifest.status).toBe(200);
    const entries = manifest.body.objects as Array<{ id: string; date_added: string; version: string; media_type: string }>;
    expect(entries).toHaveLength(30);
    const cut = entries[12]?.date_added as string;
    const later = await pages(all, 4, `&added_after=${cut}`);
    expect(later.objects.map((o) => o.id)).toEqual(entries.filter((e) => e.date_added > cut).map((e) => e.id));
    expect(later.objects.length).toBeGreaterThan(0);
    expect(later.objects.length).toBeLessThan(30);
    const rel = entries.find((e) => e.id.startsWith('relationship--')) as { id: string; date_added: string };
    const one = await get(`/taxii2/api/collections/${all}/objects/${rel.id}/`, RESEARCHER, TAXII);
    expect(one.status).toBe(200);
    expect(one.body.objects).toHaveLength(1);
    expect(one.body.objects[0].id).toBe(rel.id);
    expect(one.headers.get('x-taxii-date-added-first')).toBe(rel.date_added);
    expect((await get(`/taxii2/api/collections/${all}/objects/relationship--00000000-0000-4000-8000-000000000000/`)).status).toBe(404);
    // in the net-b collection, a net-a resurfacing is not found
    const netB = (await collections()).find((c) => c.title === 'net-b')?.id as string;
    expect((await get(`/taxii2/api/collections/${netB}/objects/${rel.id}/`)).status).toBe(404);
  });

  it('TAXII: 401 without a token, 400 on a bad next, added_after or limit', async () => {
    const all = (await collections())[0]?.id as string;
    for (const path of [
      '/taxii2/',
      '/taxii2/api/',
      '/taxii2/api/collections/',
      `/taxii2/api/collections/${all}/objects/`,
      `/taxii2/api/collections/${all}/manifest/`,
    ]) {
      expect((await get(path, null)).status).toBe(401);
    }
    expect((await get(`/taxii2/api/collections/${all}/objects/?next=bm90LWEtdG9rZW4`)).status).toBe(400);
    expect((await get(`/taxii2/api/collections/${all}/objects/?added_after=yesterday`)).status).toBe(400);
    expect((await get(`/taxii2/api/collections/${all}/objects/?limit=0`)).status).toBe(400);
  });

  it('CLI: hydrawatch export stix writes the same bundle, with its filters; a bad option is exit code 2', async () => {
    let text = '';
    const errs: string[] = [];
    const io = { out: () => undefined, err: (l: string) => errs.push(l), write: async (c: string) => void (text += c) };
    expect(await runExportCommand(store, 'red', ['stix', '--kind', 'resurfacings', '--tag', 'net-a', '--config', '/unused'], io)).toBe(0);
    const objects = (JSON.parse(text) as { objects: StixObject[] }).objects;
    expect(objects.filter((o) => o.type === 'relationship').map((o) => o.id)).toEqual(
      (await bundle('?kind=resurfacings&tag=net-a')).filter((o) => o.type === 'relationship').map((o) => o.id),
    );
    expect(objects.every((o) => o.type === 'marking-definition' || (o.object_marking_refs as string[])[0] === tlpMarkingId('red'))).toBe(true);
    await expect(runExportCommand(store, 'red', ['stix', '--kind', 'nope'], io)).rejects.toThrow(/--kind/);
    await expect(runExportCommand(store, 'red', ['stix', '--bogus', 'x'], io)).rejects.toThrow(/--bogus/);
    expect(await runExportCommand(store, 'red', ['csv'], io)).toBe(2);
  });
});
