import { canonicalHost, classifyAddress, parseCidr, parseIp } from '../../src/net/egress/address';
import { checkAddress, checkUrlStatic, compilePolicy, parseAllowEntry } from '../../src/net/egress/policy';

describe('address classification (pure)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'ipv4-mapped'],
    ['[::ffff:7f00:1]', 'ipv4-mapped'],
    ['::ffff:8.8.8.8', 'ipv4-mapped'],
    ['::127.0.0.1', 'ipv4-compatible'],
    ['fd00::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['64:ff9b::a00:1', 'private'], // NAT64 of 10.0.0.1
    ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
    ['2001:db8::1', 'documentation'],
    ['100::1', 'reserved'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['2606:4700::1111', 'public'],
    ['64:ff9b::808:808', 'public'],
    ['4000::1', 'not-global'],
  ])('%s is %s', (addr, cls) => {
    expect(classifyAddress(addr)).toBe(cls);
  });

  it('names are not addresses', () => {
    expect(classifyAddress('example.org')).toBeUndefined();
    expect(parseIp('localhost')).toBeUndefined();
    expect(canonicalHost('EXAMPLE.org')).toBe('example.org');
  });

  it('CIDR blocks', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ family: 4, base: 10n << 24n, prefix: 8 });
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('fd00::/8')?.prefix).toBe(8);
  });
});

describe('egress policy (pure)', () => {
  const none = compilePolicy({ allow: [] });

  it('parses allow entries and rejects nonsense', () => {
    expect(parseAllowEntry('127.0.0.1:8080')).toMatchObject({ kind: 'cidr', port: 8080 });
    expect(parseAllowEntry('[::1]:81')).toMatchObject({ kind: 'cidr', port: 81 });
    expect(parseAllowEntry('mirror.corp:8443')).toMatchObject({ kind: 'name', host: 'mirror.corp', port: 8443 });
    expect(parseAllowEntry('10.0.0.0/8')).toMatchObject({ kind: 'cidr' });
    expect('error' in parseAllowEntry('http://x')).toBe(true);
    expect('error' in parseAllowEntry('1.2.3.4:99999')).toBe(true);
  });

  it('refuses every non-public address by default and says why', () => {
    const v = checkAddress(none, 'evil.example', 80, '10.1.2.3');
    expect(v).toEqual({ ok: false, reason: expect.stringMatching(/10\.1\.2\.3:80 is a private address \(evil\.example resolves to it\)/) });
    expect(checkAddress(none, 'example.org', 443, '93.184.216.34')).toEqual({ ok: true });
  });

  it('an allow entry with a port allows only that port', () => {
    const p = compilePolicy({ allow: ['127.0.0.1:8730'] });
    expect(checkAddress(p, '127.0.0.1', 8730, '127.0.0.1').ok).toBe(true);
    expect(checkAddress(p, '127.0.0.1', 8731, '127.0.0.1').ok).toBe(false);
    expect(checkAddress(p, '127.0.0.2', 8730, '127.0.0.2').ok).toBe(false);
  });

  it('a name entry allows what the name resolves to; a CIDR entry allows the block', () => {
    const p = compilePolicy({ allow: ['mirror.corp', '10.0.0.0/8'] });
    expect(checkAddress(p, 'mirror.corp', 443, '192.168.1.9').ok).toBe(true);
    expect(checkAddress(p, 'other.corp', 443, '192.168.1.9').ok).toBe(false);
    expect(checkAddress(p, 'other.corp', 443, '10.9.9.9').ok).toBe(true);
  });

  it('static URL check: scheme, literals in every spelling, localhost', () => {
    for (const url of [
      'file:///etc/passwd',
      'gopher://example.org/',
      'ftp://example.org/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://127.1/',
      'http://0.0.0.0/',
      'http://[::ffff:127.0.0.1]/',
      'http://0177.0.0.1/',
      'http://169.254.169.254/latest',
      'http://10.0.0.1/',
      'http://[fd00::1]/',
      'http://localhost:3000/',
    ]) {
      expect(checkUrlStatic(none, url).ok).toBe(false);
    }
    expect(checkUrlStatic(none, 'https://t.me/s/x').ok).toBe(true);
    expect(checkUrlStatic(compilePolicy({ allow: ['127.0.0.1'] }), 'http://2130706433:99/').ok).toBe(true);
  });
});
