import { isIP } from 'node:net';

/**
 * Pure address classification for the egress guard. Every spelling of an address is first reduced to its canonical
 * form with the WHATWG URL parser (the same parser the fetcher uses), so `2130706433`, `0x7f000001`, `0177.0.0.1`,
 * `127.1` and `[::ffff:127.0.0.1]` all classify like `127.0.0.1` / `::ffff:7f00:1`.
 */

export type IpFamily = 4 | 6;
export interface Ip {
  family: IpFamily;
  /** The address as an unsigned integer (32 bits for IPv4, 128 for IPv6). */
  value: bigint;
  /** Canonical text, IPv6 without brackets. */
  text: string;
}

export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'cgnat'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'benchmarking'
  | 'ipv4-mapped'
  | 'ipv4-compatible'
  | 'unique-local'
  | 'site-local'
  | 'not-global';

/** Canonical host of a URL host part (`[v6]`, any IPv4 spelling, a name), lowercase; undefined when unparseable. */
export function canonicalHost(host: string): string | undefined {
  const h = host.trim();
  if (!h) return undefined;
  const bracketed = isIP(h) === 6 ? `[${h}]` : h;
  try {
    const u = new URL(`http://${bracketed}/`);
    return u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(text: string): bigint | undefined {
  let t = text;
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (dotted) {
    const v4 = parseV4(dotted[2] as string);
    if (v4 === undefined) return undefined;
    t = `${dotted[1]}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? (halves[0] as string).split(':') : [];
  const tail = halves.length === 2 && halves[1] ? (halves[1] as string).split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

/** Parses an IP address in any spelling the URL parser accepts; undefined for a host name. */
export function parseIp(host: string): Ip | undefined {
  const canon = canonicalHost(host);
  if (canon === undefined) return undefined;
  const family = isIP(canon);
  if (family === 4) {
    const value = parseV4(canon);
    return value === undefined ? undefined : { family: 4, value, text: canon };
  }
  if (family === 6) {
    const value = parseV6(canon);
    return value === undefined ? undefined : { family: 6, value, text: canon };
  }
  return undefined;
}

export interface Cidr {
  family: IpFamily;
  base: bigint;
  prefix: number;
}

/** "10.0.0.0/8", "fd00::/8", or a single address (full-length prefix). */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, bits, ...rest] = text.trim().split('/');
  if (rest.length || addr === undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const width = ip.family === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return undefined;
  const shift = BigInt(width - prefix);
  return { family: ip.family, base: (ip.value >> shift) << shift, prefix };
}

export function cidrContains(c: Cidr, ip: Ip): boolean {
  if (c.family !== ip.family) return false;
  const shift = BigInt((ip.family === 4 ? 32 : 128) - c.prefix);
  return ip.value >> shift === c.base >> shift;
}

function table(rows: Array<[string, AddressClass]>): Array<{ cidr: Cidr; cls: AddressClass }> {
  return rows.map(([text, cls]) => ({ cidr: parseCidr(text) as Cidr, cls }));
}

// Most specific first: the first match wins.
const V4_RANGES = table([
  ['169.254.169.254/32', 'metadata'],
  ['100.100.100.200/32', 'metadata'],
  ['255.255.255.255/32', 'broadcast'],
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'cgnat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
]);

const V6_RANGES = table([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fd00:ec2::254/128', 'metadata'],
  ['::ffff:0:0/96', 'ipv4-mapped'],
  ['::/96', 'ipv4-compatible'],
  ['64:ff9b:1::/48', 'private'],
  ['100::/64', 'reserved'],
  ['2001:db8::/32', 'documentation'],
  ['2001::/23', 'reserved'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
]);
const V6_GLOBAL = parseCidr('2000::/3') as Cidr;
const NAT64 = parseCidr('64:ff9b::/96') as Cidr;
const SIX_TO_FOUR = parseCidr('2002::/16') as Cidr;

function v4(value: bigint): Ip {
  const text = [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 0xffn).toString()).join('.');
  return { family: 4, value, text };
}

/** Pure: the class of an address. Only `public` may be fetched without an allow-list entry. */
export function classifyIp(ip: Ip): AddressClass {
  if (ip.family === 4) return V4_RANGES.find((r) => cidrContains(r.cidr, ip))?.cls ?? 'public';
  const hit = V6_RANGES.find((r) => cidrContains(r.cidr, ip));
  if (hit) return hit.cls;
  // Addresses that embed an IPv4 address take the class of the embedded one.
  if (cidrContains(NAT64, ip)) return classifyIp(v4(ip.value & 0xffffffffn));
  if (cidrContains(SIX_TO_FOUR, ip)) return classifyIp(v4((ip.value >> 80n) & 0xffffffffn));
  return cidrContains(V6_GLOBAL, ip) ? 'public' : 'not-global';
}

/** Pure: the class of an address given as text in any spelling; undefined for a host name. */
export function classifyAddress(host: string): AddressClass | undefined {
  const ip = parseIp(host);
  return ip ? classifyIp(ip) : undefined;
}
