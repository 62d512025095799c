import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { parseFeed } from '../../crawlers/rss/parse-feed';
import { stripControlChars } from '../../src/core/text/control-chars';
import { chooseCharset } from '../../src/net/charset';
import { createHttpFetcher } from '../../src/net/http-fetcher';
import { testEgressGuard } from '../support/egress';

const ARABIC = 'السوق المركزي يفتح أبوابه صباحاً';

describe('hostile text: charsets and control characters', () => {
  it('a mislabelled UTF-8 page (header windows-1256, <meta> utf-8) is read as UTF-8, with a warning', () => {
    const bytes = Buffer.from(`<html><head><meta charset="utf-8"></head><body>${ARABIC}</body></html>`, 'utf8');
    const c = chooseCharset('text/html; charset=windows-1256', bytes);
    expect(c.charset).toBe('utf-8');
    expect(c.warning).toMatch(/header says charset=windows-1256 but the body is valid UTF-8/);
  });

  it('a real windows-1256 page keeps its header charset; a header/<meta> disagreement warns', () => {
    const bytes = iconv.encode(`<html><head><meta charset="utf-8"></head><body>${ARABIC}</body></html>`, 'windows-1256');
    const c = chooseCharset('text/html; charset=windows-1256', bytes);
    expect(c).toMatchObject({ charset: 'windows-1256', from: 'header' });
    expect(c.warning).toMatch(/the header wins/);
    expect(chooseCharset('text/html; charset=utf-8', Buffer.from('<p>hi</p>'))).toEqual({ charset: 'utf-8', from: 'header' });
  });

  it('UTF-7 is refused in the header and in <meta>', () => {
    expect(chooseCharset('text/html; charset=utf-7', Buffer.from('<p>+ADw-script+AD4-</p>'))).toMatchObject({
      charset: 'utf-8',
      warning: expect.stringMatching(/utf-7.*refused/),
    });
    expect(chooseCharset('text/html', Buffer.from('<meta charset="UTF-7"><p>x</p>')).charset).toBe('utf-8');
  });

  describe('through the fetcher', () => {
    let server: Server;
    let base = '';
    const warnings: string[] = [];
    const fetcher = createHttpFetcher({ timeoutMs: 3000, maxBytes: 1 << 20, maxRedirects: 2, userAgent: 'hw-test' }, testEgressGuard(), (l) =>
      warnings.push(l),
    );
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/mislabelled') {
          res.writeHead(200, { 'content-type': 'text/html; charset=windows-1256' });
          res.end(Buffer.from(`<html><head><meta charset="utf-8"></head><body>${ARABIC}</body></html>`));
          return;
        }
        if (req.url === '/utf7') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-7' });
          res.end('<p>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</p>');
          return;
        }
        res.writeHead(404);
        res.end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('mislabelled Arabic comes out right and the warning is logged', async () => {
      const r = await fetcher.fetchText({ url: `${base}/mislabelled`, timeoutName: 't', accept: ['text/html'] });
      expect(r.text).toContain(ARABIC);
      expect(r.charset).toBe('utf-8');
      expect(warnings.join('\n')).toMatch(/mislabelled: header says charset=windows-1256/);
    });

    it('a utf-7 page is not decoded as UTF-7 (no markup appears)', async () => {
      const r = await fetcher.fetchText({ url: `${base}/utf7`, timeoutName: 't', accept: ['text/html'] });
      expect(r.charset).toBe('utf-8');
      expect(r.text).not.toContain('<script>');
      expect(r.charsetWarning).toMatch(/refused/);
    });
  });

  it('RSS text, titles and descriptions lose NUL and other control characters', () => {
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed\u0000 title\u0007</title><description>Desc\u001b[31m</description>
      <item><title>Head\u0000line</title><description>Body\u0000 text\u0008 with\ttab</description><guid>g1</guid></item></channel></rss>`;
    const f = parseFeed(xml, 'https://feeds.example/x.xml');
    expect(f.title).toBe('Feed title');
    expect(f.description).toBe('Desc[31m');
    expect(f.items[0]?.text).toBe('Headline\nBody text with\ttab');
    expect(JSON.stringify(f)).not.toMatch(/\\u000[0-8]/);
    expect(stripControlChars('a\u0000b\u0085c\u007fd\r\n')).toBe('abcd\r\n');
  });
});
