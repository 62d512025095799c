import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { createHttpFetcher } from '../../src/net/http-fetcher';
import { testEgressGuard } from '../support/egress';
import { detectCharset } from '../../src/net/charset';
import { ContentTypeError, HttpStatusError, TimeoutError, TooLargeError, isRetryable } from '../../src/core/errors';

/** The real fetcher against a local HTTP fixture server. */
describe('http fetcher', () => {
  let server: Server;
  let base = '';
  const fetcher = createHttpFetcher({ timeoutMs: 2000, maxBytes: 64 * 1024, maxRedirects: 3, userAgent: 'hw-test' }, testEgressGuard());
  const html = ['text/html'] as const;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/ok') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<p>ok ${req.headers['user-agent']}</p>`);
        return;
      }
      if (path.startsWith('/r/')) {
        const n = Number(path.slice(3));
        res.writeHead(302, { location: n > 0 ? `/r/${n - 1}` : '/ok' });
        res.end();
        return;
      }
      if (path === '/loop') {
        res.writeHead(302, { location: '/loop' });
        res.end();
        return;
      }
      if (path === '/hang') return; // never answers
      if (path === '/stall') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<p>part');
        return;
      }
      if (path === '/big') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('x'.repeat(200 * 1024));
        return;
      }
      if (path === '/big-chunked') {
        res.writeHead(200, { 'content-type': 'text/html', 'transfer-encoding': 'chunked' });
        let i = 0;
        const t = setInterval(() => {
          res.write('y'.repeat(16 * 1024));
          if (++i > 20) {
            clearInterval(t);
            res.end();
          }
        }, 1);
        return;
      }
      if (path === '/json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      if (path === '/404') {
        res.writeHead(404);
        res.end();
        return;
      }
      if (path === '/503') {
        res.writeHead(503, { 'retry-after': '7' });
        res.end();
        return;
      }
      if (path === '/429') {
        res.writeHead(429, { 'retry-after': new Date(Date.now() + 30000).toUTCString() });
        res.end();
        return;
      }
      if (path === '/cp1256-header') {
        res.writeHead(200, { 'content-type': 'text/html; charset=windows-1256' });
        res.end(iconv.encode('<p>السوق المركزي</p>', 'windows-1256'));
        return;
      }
      if (path === '/cp1256-meta') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(iconv.encode('<html><head><meta charset="windows-1256"></head><body>وصفة العدس</body></html>', 'windows-1256'));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('fetches text with the user agent', async () => {
    const r = await fetcher.fetchText({ url: `${base}/ok`, timeoutName: 't.ok', accept: html });
    expect(r.text).toBe('<p>ok hw-test</p>');
    expect(r.status).toBe(200);
    expect(r.redirects).toEqual([]);
  });
  it('follows redirects, records the chain, caps loops', async () => {
    const r = await fetcher.fetchText({ url: `${base}/r/2`, timeoutName: 't.r', accept: html });
    expect(r.finalUrl).toBe(`${base}/ok`);
    expect(r.redirects).toEqual([`${base}/r/2`, `${base}/r/1`, `${base}/r/0`]);
    await expect(fetcher.fetchText({ url: `${base}/loop`, timeoutName: 't.loop', accept: html })).rejects.toThrow(/more than 3 redirects/);
  });
  it('a server that never answers, or stalls mid-body, hits the named timeout', async () => {
    const e1 = await fetcher.fetchText({ url: `${base}/hang`, timeoutName: 'test.hang', timeoutMs: 300, accept: html }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(TimeoutError);
    expect((e1 as Error).message).toBe(`timeout "test.hang" after 300 ms for ${base}/hang`);
    expect(isRetryable(e1)).toBe(true);
    const e2 = await fetcher.fetchText({ url: `${base}/stall`, timeoutName: 'test.stall', timeoutMs: 300, accept: html }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(TimeoutError);
  });
  it('enforces the size cap by Content-Length and while streaming', async () => {
    await expect(fetcher.fetchText({ url: `${base}/big`, timeoutName: 't', accept: html })).rejects.toBeInstanceOf(TooLargeError);
    await expect(fetcher.fetchText({ url: `${base}/big-chunked`, timeoutName: 't', accept: html })).rejects.toBeInstanceOf(TooLargeError);
  });
  it('checks the content type', async () => {
    const e = await fetcher.fetchText({ url: `${base}/json`, timeoutName: 't', accept: html }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ContentTypeError);
    expect((e as Error).message).toMatch(/unexpected content type "application\/json"/);
  });
  it('4xx is final, 5xx and 429 are retried with Retry-After', async () => {
    const e404 = (await fetcher.fetchText({ url: `${base}/404`, timeoutName: 't', accept: html }).catch((x: unknown) => x)) as HttpStatusError;
    expect(e404.retryable).toBe(false);
    const e503 = (await fetcher.fetchText({ url: `${base}/503`, timeoutName: 't', accept: html }).catch((x: unknown) => x)) as HttpStatusError;
    expect(e503.retryable).toBe(true);
    expect(e503.retryAfterMs).toBe(7000);
    const e429 = (await fetcher.fetchText({ url: `${base}/429`, timeoutName: 't', accept: html }).catch((x: unknown) => x)) as HttpStatusError;
    expect(e429.retryable).toBe(true);
    expect(e429.retryAfterMs).toBeGreaterThan(25000);
  });
  it('decodes windows-1256 from the header and from <meta>', async () => {
    expect((await fetcher.fetchText({ url: `${base}/cp1256-header`, timeoutName: 't', accept: html })).text).toBe('<p>السوق المركزي</p>');
    const r = await fetcher.fetchText({ url: `${base}/cp1256-meta`, timeoutName: 't', accept: html });
    expect(r.charset).toBe('windows-1256');
    expect(r.text).toContain('وصفة العدس');
  });
  it('refuses non-http URLs without a request', async () => {
    await expect(fetcher.fetchText({ url: 'file:///etc/passwd', timeoutName: 't', accept: html })).rejects.toThrow(/only http\(s\) URLs/);
  });
  it('detectCharset: BOM and XML declaration', () => {
    expect(detectCharset(undefined, new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toBe('utf-8');
    expect(detectCharset('application/xml', Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss/>'))).toBe('iso-8859-1');
  });
});
