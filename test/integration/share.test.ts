import { Redis } from 'ioredis';
import { storeDb } from '../../src/store/db-handle';
import { hashToken } from '../../src/api/auth';
import { buildApi, type Api } from '../../src/api/server';
import { timeBuckets } from '../../src/core/time-buckets';
import { decodeImage } from '../../src/media/decode-image';
import { pdqFromPixels, type PdqResult } from '../../src/media/pdq-hash';
import { transformedPhoto } from '../../src/simulator/media-variants';
import { ensureIndexes, openStore, type Store } from '../../src/store/store';
import { listenOnFreePort } from '../support/listen';
import { REUPLOAD_ID, seedMispExtras } from '../support/misp-seed';
import { testSettings } from '../support/pipeline-harness';
import { seedResearchDb } from '../support/research-seed';
import { mongoUrl, redisUrl, uniqueName } from '../support/services';

const TOKEN = 'researcher-token-0123456789abcdef';

interface MispObj {
  name: string;
  uuid: string;
  Attribute: { object_relation: string; value: string }[];
  ObjectReference: { relationship_type: string; referenced_uuid: string; comment: string }[];
}

async function pdqOf(bytes: Buffer): Promise<PdqResult> {
  const img = await decodeImage(bytes, { maxPixels: 50_000_000 });
  return pdqFromPixels(img.pixels, img.width, img.height, img.channels);
}

/** The MISP export and the HMA-style lookup through the API, on FerretDB and Redis, against seeded and simulated media. */
describe('sharing routes', () => {
  let store: Store;
  let redis: Redis;
  let app: Api;
  let base: string;
  const settings = testSettings();
  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwshare') });
    await ensureIndexes(store);
    await seedResearchDb(store);
    await seedMispExtras(store);
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 2 });
    app = await buildApi({
      store,
      settings,
      redis,
      tokens: [{ name: 'rea', role: 'researcher', sha256: hashToken(TOKEN) }],
      sourcesPath: '-',
      settingsPath: '-',
    });
    base = await listenOnFreePort(app);
  });
  afterAll(async () => {
    await app.close();
    redis.disconnect();
    await storeDb(store).dropDatabase();
    await store.close();
  });
  const get = (path: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const objects = async (path: string): Promise<MispObj[]> => {
    const res = await get(path);
    expect(res.status).toBe(200);
    return ((await res.json()) as { Event: { Object: MispObj[] } }).Event.Object;
  };

  it('exports one channel as MISP: its predecessor (successor-of), its re-upload (duplicate-of the original), shared-by', async () => {
    const objs = await objects('/api/v1/export/misp?channel=tg:102');
    const accounts = objs.filter((o) => o.name === 'telegram-account');
    const user = (o: MispObj) => o.Attribute.find((a) => a.object_relation === 'username')?.value;
    expect(accounts.map(user).sort()).toEqual(['alpha_news1', 'alpha_news2']);
    const succ = accounts.find((o) => user(o) === 'alpha_news2') as MispObj;
    const pred = accounts.find((o) => user(o) === 'alpha_news1') as MispObj;
    expect(succ.ObjectReference).toEqual([expect.objectContaining({ relationship_type: 'successor-of', referenced_uuid: pred.uuid })]);
    const files = objs.filter((o) => o.name === 'file');
    const sha = (o: MispObj) => o.Attribute.find((a) => a.object_relation === 'sha256')?.value;
    const copy = files.find((o) => sha(o) === REUPLOAD_ID.slice(7)) as MispObj;
    const original = files.find((o) => sha(o)?.startsWith('aaaa1111')) as MispObj;
    expect(copy.ObjectReference).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ relationship_type: 'duplicate-of', referenced_uuid: original.uuid, comment: 're-upload: matched by pdq, distance 6' }),
        expect.objectContaining({ relationship_type: 'shared-by', referenced_uuid: succ.uuid }),
      ]),
    );
    expect(copy.Attribute.some((a) => a.object_relation === 'text' && a.value.startsWith('pdq:'))).toBe(true);
  });

  it('filters by tag and by time range; a malformed bound is a 400 naming it', async () => {
    const tagged = await objects('/api/v1/export/misp?tag=net-b');
    expect(tagged.filter((o) => o.name === 'telegram-account').map((o) => o.Attribute.find((a) => a.object_relation === 'username')?.value)).toEqual([
      'beta_feed',
    ]);
    const none = await objects('/api/v1/export/misp?tag=net-a&from=2030-01-01');
    expect(none.filter((o) => o.name === 'file')).toHaveLength(0);
    const bad = await get('/api/v1/export/misp?from=yesterday');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^querystring\.from/);
  });

  it('looks up a re-encoded picture (HMA shape: bank → matches) with its distance, cluster and sightings', async () => {
    const original = await pdqOf((await transformedPhoto(4242, [])).bytes);
    const reencoded = await pdqOf((await transformedPhoto(4242, ['jpeg'])).bytes);
    const id = `sha256:eeee5555${'0'.repeat(56)}`;
    const at = new Date('2026-11-20T10:00:00Z');
    await store.clusters.insertOne({
      _id: 'mc:eeee5555',
      kind: 'image',
      firstMediaId: id,
      originChannelKey: 'tg:200',
      originPostKey: 'tg:200:77',
      firstSeenAt: at,
    });
    await store.mediaItems.insertOne({
      _id: id,
      sha256: id.slice(7),
      md5: id.slice(7, 39),
      bytes: 1,
      contentType: 'image/png',
      kind: 'image',
      pdq: original.hash,
      quality: original.quality,
      clusterId: 'mc:eeee5555',
      firstSeenAt: at,
      indexedAt: at,
    });
    const s = {
      clusterId: 'mc:eeee5555',
      mediaId: id,
      sourceId: 's-beta',
      at,
      buckets: timeBuckets(at),
      matchedVia: 'new' as const,
      distance: 0,
      afterOriginRemoved: false,
    };
    await store.sightings.insertOne({ ...s, _id: 'tg:200:77:m0', channelKey: 'tg:200', postKey: 'tg:200:77' });
    const res = await get(`/api/v1/hashes/lookup?signal_type=pdq&signal=${reencoded.hash}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, { bank_content_id: string; distance: string; cluster: { id: string }; sightings: { total: number } }[]>;
    const hit = body['mc:eeee5555']?.[0];
    expect(hit?.bank_content_id).toBe(id);
    expect(Number(hit?.distance)).toBeLessThanOrEqual(settings.media.matchRadius);
    expect(hit?.cluster.id).toBe('mc:eeee5555');
    expect(hit?.sightings.total).toBe(1);
  });

  it('answers 400 naming the parameter for a malformed hash or signal type', async () => {
    const bad = await get('/api/v1/hashes/lookup?signal_type=pdq&signal=abc123');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^querystring\.signal: PDQ hashes/);
    const badType = await get(`/api/v1/hashes/lookup?signal_type=md5&signal=${'0'.repeat(64)}`);
    expect(badType.status).toBe(400);
    expect(((await badType.json()) as { message: string }).message).toMatch(/^querystring\.signal_type/);
  });
});
