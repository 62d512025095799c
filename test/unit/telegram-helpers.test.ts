import { decodeDataView, extractBackgroundUrl, parseCount, parseDuration, parseTelegramLink } from '../../crawlers/telegram';
import { dataView } from '../fixtures/telegram/build-page';

describe('parseCount', () => {
  it.each([
    ['950', 950],
    ['1.2K', 1200],
    ['12.3K', 12300],
    ['3.4M', 3400000],
    ['1 234', 1234],
    ['1\u00a0234\u00a0567', 1234567],
    ['  77 ', 77],
    ['2k', 2000],
  ])('%j → %d', (input, expected) => {
    expect(parseCount(input)).toBe(expected);
  });

  it.each([[''], ['abc'], ['1.2X'], [undefined], ['K']])('%j → undefined', (input) => {
    expect(parseCount(input)).toBeUndefined();
  });
});

describe('decodeDataView', () => {
  it('decodes standard padded base64; the id is c without its minus sign (no -100 stripping)', () => {
    expect(decodeDataView(dataView('1234567890', 123, { padded: true }))).toEqual({ channelId: '1234567890', postId: 123 });
  });
  it('decodes URL-safe unpadded base64', () => {
    // "h":"???>>>" makes base64 with '/' and '+' so URL-safety is really exercised.
    const std = Buffer.from('{"c":-100987654321,"p":5,"h":"???>>>~~"}').toString('base64');
    expect(std).toMatch(/[+/]/);
    const urlSafe = std.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(urlSafe).toMatch(/[-_]/);
    const id = 5;
    expect(decodeDataView(urlSafe)).toEqual({ channelId: '100987654321', postId: id });
  });
  it('real token: @durov is 1006503122, not 6503122', () => {
    expect(decodeDataView('eyJjIjotMTAwNjUwMzEyMiwicCI6NTE5LCJ0IjoxNzg2Mjc3Mzc5LCJoIjoiODE0NzY2MTU4MjRiZGNlOGI2In0')).toEqual({
      channelId: '1006503122',
      postId: 519,
    });
  });
  it('handles a string channel id', () => {
    const v = Buffer.from(JSON.stringify({ c: '-1005550001', p: 7 })).toString('base64');
    expect(decodeDataView(v).channelId).toBe('1005550001');
  });
  it.each([
    ['broken base64', '%%%not base64***'],
    ['non-JSON', Buffer.from('hello weather').toString('base64')],
    ['JSON array', Buffer.from('[1,2]').toString('base64')],
    ['JSON without c', Buffer.from('{"p":1}').toString('base64')],
    ['non-numeric c', Buffer.from('{"c":"abc"}').toString('base64')],
    ['empty', ''],
    ['huge', 'A'.repeat(10000)],
  ])('returns no channel id for %s', (_name, value) => {
    expect(decodeDataView(value).channelId).toBeUndefined();
  });
});

describe('extractBackgroundUrl', () => {
  it.each([
    ["width:800px;background-image:url('https://cdn.example/file/photo1.jpg')", 'https://cdn.example/file/photo1.jpg'],
    ['background-image:url("https://cdn.example/a.jpg");width:1px', 'https://cdn.example/a.jpg'],
    ['background-image:url(https://cdn.example/b.jpg)', 'https://cdn.example/b.jpg'],
    ['background-image: url(&quot;https://cdn.example/c.jpg&quot;)', 'https://cdn.example/c.jpg'],
    ["BACKGROUND-IMAGE : url(  'https://cdn.example/d.jpg'  )", 'https://cdn.example/d.jpg'],
  ])('%s', (style, expected) => {
    expect(extractBackgroundUrl(style)).toBe(expected);
  });
  it.each([[undefined], [''], ['width:10px'], ['background-image:url()'], ['background-image:url('], ['color:red;;;;url(']])(
    'weird style %j → undefined',
    (style) => {
      expect(extractBackgroundUrl(style)).toBeUndefined();
    },
  );
});

describe('parseDuration', () => {
  it.each([
    ['1:05', 65],
    ['0:15', 15],
    ['1:02:03', 3723],
    [' 10:00 ', 600],
  ])('%j → %d', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });
  it.each([[''], ['65'], ['a:bc'], ['1:2:3:4'], [undefined]])('%j → undefined', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('parseTelegramLink', () => {
  it('reads handle and post id from t.me links and from the configured base', () => {
    expect(parseTelegramLink('https://t.me/otherhandle/55', 'https://t.me')).toEqual({ handle: 'otherhandle', postId: '55' });
    expect(parseTelegramLink('http://127.0.0.1:9/sim_beta/9', 'http://127.0.0.1:9')).toEqual({ handle: 'sim_beta', postId: '9' });
    expect(parseTelegramLink('https://example.org/sim_beta/9', 'https://t.me')).toEqual({});
  });
});
