import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken } from '../../src/api/auth';
import { AuthThrottle } from '../../src/api/auth-throttle';
import { buildApi, type Api } from '../../src/api/server';
import { settingsSchema } from '../../src/config/schema';
import { openStore, type Store } from '../../src/store/store';
import { listenOnFreePort } from '../support/listen';
import { mongoUrl, uniqueName } from '../support/services';
import { storeDb } from '../../src/store/db-handle';

const TOKEN = 'researcher-token-hardening-0123456789';

describe('API hardening', () => {
  let store: Store;
  let app: Api;
  let base: string;
  beforeAll(async () => {
    store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwharden') });
    const dir = mkdtempSync(join(tmpdir(), 'hw-harden-'));
    writeFileSync(join(dir, 'sources.yaml'), 'sources: []\n');
    writeFileSync(join(dir, 'settings.yaml'), 'mongoDb: test\n');
    app = await buildApi({
      store,
      settings: settingsSchema.parse({ api: { authFailures: { burst: 5, perMinute: 6 } } }),
      tokens: [{ name: 'rea', role: 'researcher', sha256: hashToken(TOKEN) }],
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

  it('dashboard paths named like Object.prototype members are 404, not 500', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
      const r = await fetch(`${base}/dashboard/${name}`);
      expect([name, r.status]).toEqual([name, 404]);
    }
    expect((await fetch(`${base}/dashboard/app.js`)).status).toBe(200);
  });

  it('the OpenAPI document lists every error status on every route, and from/to as date-time', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: Array<{ name: string; schema: Record<string, unknown> }> }>>;
    };
    let routes = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      // the operations routes (/health, /ready, /metrics) answer only their own codes, listed exactly: ops-api.test.ts
      if (!path.startsWith('/api/')) continue;
      for (const [method, op] of Object.entries(methods)) {
        for (const code of ['400', '401', '403', '404', '429', '503']) expect([path, method, code, code in op.responses]).toEqual([path, method, code, true]);
        for (const p of op.parameters ?? []) {
          if (p.name === 'from' || p.name === 'to') expect(JSON.stringify(p.schema)).toContain('"format":"date-time"');
        }
        routes++;
      }
    }
    expect(routes).toBeGreaterThanOrEqual(25);
  });

  it('an RFC 3339 time with a long fraction is accepted, as the document promises', async () => {
    const r = await fetch(`${base}/api/v1/posts?from=2026-11-01T00:00:00.123456Z&to=2026-11-02t00:00:00z`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
  });

  it('wrong tokens are rate-limited per client: 429 with Retry-After, then valid tokens wait too', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 12; i++) {
      const r = await fetch(`${base}/api/v1/posts`, { headers: { authorization: `Bearer wrong-token-${i}` } });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual(Array(7).fill(429));
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${base}/api/v1/posts`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(429);
    expect((await fetch(`${base}/health`)).status).toBe(200); // public routes are not affected
  });

  it('the bucket refills (pure, with a clock)', () => {
    let t = 0;
    const th = new AuthThrottle({ burst: 2, perMinute: 60 }, () => t);
    th.recordFailure('a');
    th.recordFailure('a');
    expect(th.blockedForMs('a')).toBe(1000);
    expect(th.blockedForMs('b')).toBe(0);
    t += 1000;
    expect(th.blockedForMs('a')).toBe(0);
    const small = new AuthThrottle({ burst: 1, perMinute: 1, maxClients: 3 }, () => t);
    for (const k of ['1', '2', '3', '4', '5']) small.recordFailure(k);
    expect(small.blockedForMs('1')).toBe(0); // evicted: memory stays bounded
    expect(small.blockedForMs('5')).toBeGreaterThan(0);
  });
});

describe('OpenAPI parameters say what the server accepts', () => {
  let app: Api;
  beforeAll(async () => {
    app = await buildApi({
      store: {} as unknown as Store,
      settings: settingsSchema.parse({}),
      tokens: [],
      sourcesPath: '/nonexistent/sources.yaml',
      settingsPath: '/nonexistent/settings.yaml',
    });
  });
  afterAll(async () => app.close());

  it('comma-separated enum lists have a pattern that admits known values only', async () => {
    const doc = app.swagger() as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; schema: { pattern?: string } }> }>> };
    const param = (path: string, name: string) => doc.paths[path]?.get?.parameters?.find((p) => p.name === name)?.schema;
    for (const [path, name] of [
      ['/api/v1/events', 'type'],
      ['/api/v1/alerts', 'kind'],
      ['/api/v1/trends/events', 'types'],
    ] as const) {
      const pattern = param(path, name)?.pattern;
      expect([path, name, typeof pattern]).toEqual([path, name, 'string']);
      expect(new RegExp(pattern as string).test('removed,resurfaced')).toBe(true);
      expect(new RegExp(pattern as string).test('nonsense')).toBe(false);
    }
  });
});
