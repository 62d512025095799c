import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { hashToken } from '../../src/api/auth';
import { buildApi, type Api } from '../../src/api/server';
import { defaultCrawlers } from '../../src/app/crawler-registry';
import { settingsSchema, sourceSchema } from '../../src/config/schema';
import { EgressDeniedError, type Resolver } from '../../src/net/egress/guard';
import { isRetryable } from '../../src/core/errors';
import { createHttpFetcher } from '../../src/net/http-fetcher';
import { hashImageUrl } from '../../src/media/hash-url';
import { MediaMatcher } from '../../src/media/media-matcher';
import { runCrawl } from '../../src/pipeline/crawl-source';
import { testEgressGuard } from '../support/egress';
import { listenOnFreePort } from '../support/listen';
import { startHarness, type Harness } from '../support/pipeline-harness';
import { mongoUrl, uniqueName } from '../support/services';
import { openStore, type Store } from '../../src/store/store';
import { storeDb } from '../../src/store/db-handle';

/**
 * SSRF: the allow-list holds exactly one loopback address and port (the "public" test site, server A). Everything
 * else on this machine is "internal": server B listens on another port on 127.0.0.1, 127.0.0.2 and [::1] and counts
 * every request it gets. No spelling, redirect, media URL, proxy or browser request may reach it.
 */
function listen(server: Server, host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

describe('egress guard (SSRF)', () => {
  let png: Buffer;
  const internalHits: string[] = [];
  const internal: Server[] = [];
  let portA = 0;
  let portB = 0;
  let siteA: Server;
  let a = '';
  let hugeBytesSent = -1;

  const internalHandler = (req: IncomingMessage, res: ServerResponse): void => {
    internalHits.push(`${req.headers.host ?? ''}${req.url ?? ''}`);
    if (req.method === 'CONNECT') {
      res.writeHead(200);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': (req.url ?? '').endsWith('.png') ? 'image/png' : 'text/html' });
    res.end((req.url ?? '').endsWith('.png') ? png : '<p>internal secret</p>');
  };

  beforeAll(async () => {
    png = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 30, b: 30 } } })
      .png()
      .toBuffer();
    const b1 = createServer(internalHandler);
    b1.on('connect', (req, socket) => {
      internalHits.push(`CONNECT ${req.url ?? ''}`);
      socket.end('HTTP/1.1 200 OK\r\n\r\n');
    });
    b1.on('upgrade', (req, socket) => {
      internalHits.push(`UPGRADE ${req.url ?? ''}`);
      socket.destroy();
    });
    portB = await listen(b1, '127.0.0.1');
    internal.push(b1);
    for (const host of ['127.0.0.2', '::1']) {
      const s = createServer(internalHandler);
      try {
        await listen(s, host, portB);
        internal.push(s);
      } catch {
        // no IPv6 loopback here: the refusal is still checked, the count only covers the other listeners
      }
    }
    siteA = createServer((req, res) => {
      const path = req.url ?? '/';
      const redirect = (to: string): void => {
        res.writeHead(302, { location: to });
        res.end();
      };
      if (path === '/ok') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<p>public page</p>');
        return;
      }
      if (path === '/to-internal') return redirect(`http://127.0.0.1:${portB}/secret`);
      if (path === '/to-decimal') return redirect(`http://2130706433:${portB}/secret`);
      if (path === '/to-v6') return redirect(`http://[::1]:${portB}/secret`);
      if (path === '/to-metadata') return redirect('http://169.254.169.254/latest/meta-data/');
      if (path === '/to-file') return redirect('file:///etc/passwd');
      if (path === '/hop') return redirect('/ok');
      if (path === '/board') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<html><body>
          <div class="post" data-id="p1"><p class="body">Market report with a picture</p><img class="media" src="http://127.0.0.1:${portB}/internal.png"></div>
          <div class="post" data-id="p2"><p class="body">Another report, another picture</p><img class="media" src="http://0x7f000001:${portB}/hex.png"></div>
        </body></html>`);
        return;
      }
      if (path === '/huge') {
        // 200 MB of "image", unless the client hangs up first
        res.writeHead(200, { 'content-type': 'image/png' });
        let sent = 0;
        const chunk = Buffer.alloc(1 << 20, 7);
        const push = (): void => {
          while (sent < 200 && res.write(chunk)) sent++;
          if (sent >= 200) res.end();
          else
            res.once('drain', () => {
              sent++;
              push();
            });
        };
        res.on('close', () => {
          hugeBytesSent = sent;
        });
        push();
        return;
      }
      if (path === '/huge-page') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body><img src="/huge"><div class="post" data-id="h1"><p class="body">page with a huge image</p></div></body></html>');
        return;
      }
      if (path === '/js-page') {
        res.writeHead(200, { 'content-type': 'text/html' });
        // the post appears only once the script's fetch and WebSocket attempts have settled
        res.end(`<html><body><img src="http://127.0.0.1:${portB}/pixel.png"><img src="http://127.0.0.2:${portB}/pixel2.png">
          <script>
            const ws = new Promise((r) => { try { const s = new WebSocket('ws://127.0.0.1:${portB}/ws'); s.onopen = s.onerror = s.onclose = () => r(); } catch (e) { r(); } setTimeout(r, 5000); });
            Promise.allSettled([fetch('http://127.0.0.1:${portB}/xhr'), ws]).then(() => {
              const d = document.createElement('div'); d.className = 'post'; d.dataset.id = 'j1'; d.innerHTML = '<p class="body">built by script</p>'; document.body.appendChild(d);
            });
          </script></body></html>`);
        return;
      }
      res.writeHead(404);
      res.end();
    });
    portA = await listen(siteA, '127.0.0.1');
    a = `http://127.0.0.1:${portA}`;
  });

  afterAll(async () => {
    await Promise.all([siteA, ...internal].map((s) => new Promise((r) => s.close(r))));
  });

  beforeEach(() => {
    internalHits.length = 0;
  });

  const allow = (): string[] => [`127.0.0.1:${portA}`];
  const fetcherWith = (resolver?: Resolver) =>
    createHttpFetcher({ timeoutMs: 3000, maxBytes: 1024 * 1024, maxRedirects: 5, userAgent: 'hw-ssrf-test' }, testEgressGuard(allow(), resolver));
  const html = ['text/html'] as const;

  async function refused(p: Promise<unknown>): Promise<EgressDeniedError> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EgressDeniedError);
    expect(isRetryable(err)).toBe(false);
    return err as EgressDeniedError;
  }

  it('fetches the allowed host:port', async () => {
    const r = await fetcherWith().fetchText({ url: `${a}/hop`, timeoutName: 't', accept: html });
    expect(r.text).toContain('public page');
  });

  it('refuses every spelling of a loopback, private, link-local or metadata address, naming the URL and the reason', async () => {
    const f = fetcherWith();
    const urls = [
      `http://127.0.0.1:${portB}/`,
      `http://127.0.0.2:${portA}/`,
      `http://127.0.0.2:${portB}/`,
      `http://localhost:${portB}/`,
      `http://2130706433:${portB}/`,
      `http://0x7f000001:${portB}/`,
      `http://0x7f.1:${portB}/`,
      `http://127.1:${portB}/`,
      `http://0177.0.0.1:${portB}/`,
      `http://0.0.0.0:${portB}/`,
      `http://0:${portB}/`,
      `http://[::1]:${portB}/`,
      `http://[::1]:${portA}/`,
      `http://[::ffff:127.0.0.1]:${portA}/`,
      `http://[::ffff:7f00:1]:${portB}/`,
      `http://[::]:${portB}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://192.168.1.1/',
      'http://172.16.0.1/',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://224.0.0.1/',
      'http://255.255.255.255/',
    ];
    for (const url of urls) {
      const err = await refused(f.fetchText({ url, timeoutName: 't', accept: html }));
      expect(err.message).toMatch(/^refused to fetch http:\/\/.+: .+ (is|resolves)/);
      expect(err.code).toBe('EGRESS_DENIED');
    }
    expect(internalHits).toEqual([]);
  });

  it('refuses non-http schemes', async () => {
    const f = fetcherWith();
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:70/_x', 'ftp://example.org/', 'data:text/html,hi']) {
      const err = await f.fetchText({ url, timeoutName: 't', accept: html }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(isRetryable(err)).toBe(false);
      expect((err as Error).message).toMatch(/only http|not allowed/);
    }
  });

  it('checks every redirect hop: an allowed host redirecting inward is refused', async () => {
    const f = fetcherWith();
    for (const path of ['/to-internal', '/to-decimal', '/to-v6', '/to-metadata']) {
      const err = await refused(f.fetchText({ url: `${a}${path}`, timeoutName: 't', accept: html }));
      expect(err.url).not.toBe(`${a}${path}`); // names the hop that was refused
    }
    const file = await f.fetchText({ url: `${a}/to-file`, timeoutName: 't', accept: html }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(isRetryable(file)).toBe(false);
    expect(internalHits).toEqual([]);
  });

  it('resolves names and refuses one that points inward; pins the checked address (one lookup per connection)', async () => {
    let lookups = 0;
    const resolver: Resolver = async (host) => {
      lookups++;
      if (host === 'inward.test' || host === 'proxy.test') return ['127.0.0.1'];
      if (host === 'mixed.test') return ['127.0.0.1', '127.0.0.2'];
      if (host === 'rebind.test') return lookups === 1 ? ['127.0.0.1'] : ['127.0.0.2']; // a second answer would go inward
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    };
    const f = fetcherWith(resolver);
    const inward = await refused(f.fetchText({ url: `http://inward.test:${portB}/`, timeoutName: 't', accept: html }));
    expect(inward.message).toMatch(/inward\.test resolves to it/);
    await refused(f.fetchText({ url: `http://mixed.test:${portA}/ok`, timeoutName: 't', accept: html }));
    // a proxy named by host: resolved and checked when the connection to it is made
    const viaProxy = await refused(f.fetchText({ url: `${a}/ok`, proxy: `http://proxy.test:${portB}`, timeoutName: 't', accept: html }));
    expect(viaProxy.message).toMatch(/proxy http:\/\/proxy\.test:\d+: 127\.0\.0\.1:\d+ is a loopback address \(proxy\.test resolves to it\)/);
    lookups = 0;
    const ok = await f.fetchText({ url: `http://rebind.test:${portA}/ok`, timeoutName: 't', accept: html });
    expect(ok.text).toContain('public page');
    expect(lookups).toBe(1);
    expect(internalHits).toEqual([]);
  });

  it('proxies pass the policy too: a metadata or internal proxy is refused and never contacted', async () => {
    const f = fetcherWith();
    expect((await refused(f.fetchText({ url: `${a}/ok`, proxy: 'http://169.254.169.254:80', timeoutName: 't', accept: html }))).message).toMatch(
      /proxy http:\/\/169\.254\.169\.254:80: .*cloud metadata address/,
    );
    expect((await refused(f.fetchText({ url: `${a}/ok`, proxy: `http://127.0.0.1:${portB}`, timeoutName: 't', accept: html }))).message).toMatch(
      /proxy http:\/\/127\.0\.0\.1:\d+: .*loopback/,
    );
    await refused(f.fetchText({ url: `${a}/ok`, proxy: `http://2130706433:${portB}`, timeoutName: 't', accept: html }));
    expect(internalHits).toEqual([]);
  });

  it('media and avatar URLs found in pages are refused (nothing internal is fetched, hashed or stored)', async () => {
    const f = fetcherWith();
    await refused(f.fetchBytes({ url: `http://127.0.0.1:${portB}/internal.png`, timeoutName: 'media.download', accept: ['image/png'] }));
    const settings = settingsSchema.parse({});
    expect(await hashImageUrl(f, `http://[::ffff:127.0.0.1]:${portB}/avatar.png`, settings, 'media.avatar')).toBeUndefined();
    expect(internalHits).toEqual([]);
  });

  describe('through the pipeline and the browser', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness('pipeline-test.yaml', { net: { allow: allow() } });
    });
    afterAll(async () => h?.close());

    it('an html page on an allowed host with images on internal addresses: posts stored, media refused', async () => {
      const deps = {
        store: h.rt.store,
        crawlers: defaultCrawlers,
        fetcher: h.rt.fetcher,
        limiter: h.rt.limiter,
        settings: h.rt.settings,
        matcher: new MediaMatcher(h.rt.store, h.rt.feed, { minQuality: 50 }),
      };
      const source = sourceSchema.parse({
        id: 'ssrf-board',
        platform: 'html',
        url: `${a}/board`,
        schedule: '*/5 * * * *',
        rateLimit: { requests: 50, perSeconds: 1 },
        options: { selectors: { post: 'div.post', text: '.body', media: 'img.media', idAttr: 'data-id' } },
      });
      const r = await runCrawl(deps, source, { jobId: 'ssrf1', attempt: 1 });
      expect(r.postsSeen).toBe(2);
      const refs = await h.rt.store.media.find({ channelKey: 'html:ssrf-board' }).toArray();
      expect(refs).toHaveLength(2);
      for (const ref of refs) expect(ref.error?.code).toBe('EGRESS_DENIED');
      expect(await h.rt.store.mediaItems.countDocuments({})).toBe(0);
      expect(internalHits).toEqual([]);
    });

    it('browser: subresources and scripts cannot reach internal addresses; a redirect inward fails the render', async () => {
      const page = await h.rt.browser.render({ url: `${a}/js-page`, timeoutMs: 20000, waitForSelector: 'div.post' });
      expect(page.html).toContain('built by script');
      await refused(h.rt.browser.render({ url: `${a}/to-internal`, timeoutMs: 20000 }));
      await refused(h.rt.browser.render({ url: `http://2130706433:${portB}/`, timeoutMs: 20000 }));
      await new Promise((r) => setTimeout(r, 300));
      expect(internalHits).toEqual([]);
    }, 60000);

    it('browser: subresources of a page are capped (fetch.maxBytes), not buffered whole', async () => {
      const page = await h.rt.browser.render({ url: `${a}/huge-page`, timeoutMs: 20000, waitForSelector: 'div.post' });
      expect(page.html).toContain('page with a huge image');
      await new Promise((r) => setTimeout(r, 500));
      expect(hugeBytesSent).toBeGreaterThanOrEqual(0);
      expect(hugeBytesSent).toBeLessThan(200); // the connection was cut at the cap, long before 200 MB
    }, 60000);
  });

  describe('API source edits', () => {
    let store: Store;
    let app: Api;
    let base: string;
    let sourcesPath: string;
    const ANALYST = 'analyst-token-ssrf-0123456789abcdef';
    beforeAll(async () => {
      store = await openStore({ url: mongoUrl(), dbName: uniqueName('hwssrf') });
      const configDir = mkdtempSync(join(tmpdir(), 'hw-ssrf-'));
      sourcesPath = join(configDir, 'sources.yaml');
      writeFileSync(sourcesPath, 'sources: []\n');
      writeFileSync(join(configDir, 'settings.yaml'), 'mongoDb: test\n');
      // the production default: net.allow is empty
      app = await buildApi({
        store,
        settings: settingsSchema.parse({}),
        tokens: [{ name: 'ana', role: 'analyst', sha256: hashToken(ANALYST) }],
        sourcesPath,
        settingsPath: join(configDir, 'settings.yaml'),
      });
      base = await listenOnFreePort(app);
    });
    afterAll(async () => {
      await app.close();
      await storeDb(store).dropDatabase();
      await store.close();
    });
    const post = async (body: unknown): Promise<{ status: number; body: { error?: string; issues?: string[] } }> => {
      const res = await fetch(`${base}/api/v1/sources`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ANALYST}` },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { error?: string; issues?: string[] } };
    };

    it('refuses internal addresses, other schemes and internal proxies with a clear error; the file is unchanged', async () => {
      const rss = (id: string, url: string, extra: Record<string, unknown> = {}) => ({ id, platform: 'rss', url, schedule: '*/10 * * * *', ...extra });
      const cases: Array<[unknown, RegExp]> = [
        [rss('meta', 'http://169.254.169.254/latest/meta-data/'), /egress policy: .*169\.254\.169\.254:80 is a cloud metadata address/],
        [rss('ten', 'http://10.0.0.1/feed'), /private address/],
        [rss('lo', 'http://127.0.0.1:8080/feed'), /loopback address/],
        [rss('lo-dec', 'http://2130706433/feed'), /loopback address/],
        [rss('lo-name', 'http://localhost/feed'), /loopback address/],
        [rss('v6', 'http://[::1]/feed'), /loopback address/],
        [rss('mapped', 'http://[::ffff:127.0.0.1]/feed'), /IPv4-mapped/],
        [rss('file', 'file:///etc/passwd'), /only http:\/\/ and https:\/\//],
        [rss('gopher', 'gopher://example.org/1'), /only http:\/\/ and https:\/\//],
        [rss('proxied', 'https://example.org/feed', { proxy: 'http://169.254.169.254:80' }), /proxy refused by the egress policy/],
        [{ id: 'tg', platform: 'telegram', handle: 'some_channel', schedule: '*/10 * * * *', options: { baseUrl: 'http://192.168.1.1' } }, /private address/],
      ];
      for (const [body, message] of cases) {
        const r = await post(body);
        expect(r.status).toBe(422);
        expect(r.body.error).toBe('invalid_config');
        expect((r.body.issues ?? []).join('\n')).toMatch(message);
      }
      expect(readFileSync(sourcesPath, 'utf8')).toBe('sources: []\n');
      expect((await post(rss('public', 'https://example.org/feed.xml'))).status).toBe(201);
    });
  });
});
