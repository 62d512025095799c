import { z } from 'zod';
import { canonicalHost, cidrContains, classifyIp, parseCidr, parseIp, type AddressClass, type Cidr, type Ip } from './address';

/**
 * The egress policy: only http(s), only public addresses, unless an explicit `net.allow` entry lets a host, an
 * address, a CIDR block, or one of those on one port through. Pure: no DNS here (see ./guard.ts).
 */

export const ALLOWED_PROTOCOLS = ['http:', 'https:'] as const;

export type AllowEntry = { kind: 'name'; host: string; port?: number; text: string } | { kind: 'cidr'; cidr: Cidr; port?: number; text: string };

/** Parses one allow-list entry: `host`, `host:port`, `1.2.3.4`, `1.2.3.4:8080`, `[::1]:8080`, `::1`, `10.0.0.0/8`, `fd00::/8`. */
export function parseAllowEntry(text: string): AllowEntry | { error: string } {
  const t = text.trim();
  if (!t) return { error: 'empty entry' };
  if (t.includes('/')) {
    const cidr = parseCidr(t);
    return cidr ? { kind: 'cidr', cidr, text: t } : { error: `"${t}" is not a CIDR block (e.g. 10.0.0.0/8 or fd00::/8)` };
  }
  let host = t;
  let port: number | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  const hostPort = /^([^:]+):(\d+)$/.exec(t);
  if (bracket) {
    host = bracket[1] as string;
    port = bracket[2] !== undefined ? Number(bracket[2]) : undefined;
  } else if (hostPort) {
    host = hostPort[1] as string;
    port = Number(hostPort[2]);
  }
  if (port !== undefined && (port < 1 || port > 65535)) return { error: `"${t}": port out of range` };
  const ip = parseIp(host);
  if (ip) {
    const cidr = parseCidr(ip.text) as Cidr;
    return { kind: 'cidr', cidr, text: t, ...(port !== undefined ? { port } : {}) };
  }
  const name = canonicalHost(host);
  if (!name || !/^[a-z0-9.-]+$/.test(name)) return { error: `"${t}" is not a host, host:port, address or CIDR block` };
  return { kind: 'name', host: name, text: t, ...(port !== undefined ? { port } : {}) };
}

export const allowEntrySchema = z.string().superRefine((v, ctx) => {
  const e = parseAllowEntry(v);
  if ('error' in e) ctx.addIssue({ code: 'custom', message: e.error });
});

/** `net` in settings.yaml. */
export const netSettingsSchema = z
  .object({
    /**
     * Hosts, addresses and CIDR blocks (optionally with `:port`) that may be fetched although they are loopback,
     * private, link-local or otherwise non-public. Empty (the default): only public addresses are fetched.
     */
    allow: z.array(allowEntrySchema).default([]),
  })
  .strict();
export type NetSettings = z.infer<typeof netSettingsSchema>;

export interface EgressPolicy {
  allow: readonly AllowEntry[];
}

export function compilePolicy(net: { allow: readonly string[] }): EgressPolicy {
  const allow: AllowEntry[] = [];
  for (const text of net.allow) {
    const e = parseAllowEntry(text);
    if ('error' in e) throw new Error(`net.allow: ${e.error}`);
    allow.push(e);
  }
  return { allow };
}

export type Verdict = { ok: true } | { ok: false; reason: string };

export function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

function portMatches(e: AllowEntry, port: number): boolean {
  return e.port === undefined || e.port === port;
}

/** Pure: may this URL's scheme be fetched at all. */
export function checkProtocol(protocol: string): Verdict {
  return (ALLOWED_PROTOCOLS as readonly string[]).includes(protocol)
    ? { ok: true }
    : { ok: false, reason: `scheme "${protocol.replace(/:$/, '')}" is not allowed (only http and https)` };
}

/** Pure: is the host name itself on the allow-list (then whatever it resolves to is allowed). */
export function nameAllowed(policy: EgressPolicy, host: string, port: number): boolean {
  const name = canonicalHost(host);
  return policy.allow.some((e) => e.kind === 'name' && e.host === name && portMatches(e, port));
}

const CLASS_TEXT: Record<AddressClass, string> = {
  public: 'a public address',
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  metadata: 'a cloud metadata address',
  cgnat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
  documentation: 'a documentation address',
  benchmarking: 'a benchmarking address',
  'ipv4-mapped': 'an IPv4-mapped IPv6 address',
  'ipv4-compatible': 'an IPv4-compatible IPv6 address',
  'unique-local': 'a unique-local IPv6 address',
  'site-local': 'a site-local IPv6 address',
  'not-global': 'a non-global IPv6 address',
};

/**
 * Pure: may a connection go to `address` (already resolved, any spelling) for a URL whose host is `host` on `port`.
 * Allowed when the name or the address is on the allow-list (port included when the entry has one), or the address
 * is public.
 */
export function checkAddress(policy: EgressPolicy, host: string, port: number, address: string): Verdict {
  if (nameAllowed(policy, host, port)) return { ok: true };
  const ip: Ip | undefined = parseIp(address);
  if (!ip) return { ok: false, reason: `"${address}" is not an IP address` };
  if (policy.allow.some((e) => e.kind === 'cidr' && cidrContains(e.cidr, ip) && portMatches(e, port))) return { ok: true };
  const cls = classifyIp(ip);
  if (cls === 'public') return { ok: true };
  const shown = ip.family === 6 ? `[${ip.text}]` : ip.text;
  const via = canonicalHost(host) === ip.text ? '' : ` (${host} resolves to it)`;
  return { ok: false, reason: `${shown}:${port} is ${CLASS_TEXT[cls]}${via} and not in net.allow` };
}

/**
 * Pure: the check that needs no DNS, for config and API validation: the scheme, and the host when it is an address
 * literal (any spelling) or `localhost`. Names are resolved and checked when fetched.
 */
export function checkUrlStatic(policy: EgressPolicy, url: string): Verdict {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, reason: `not a valid URL: "${url}"` };
  }
  const proto = checkProtocol(u.protocol);
  if (!proto.ok) return proto;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : defaultPort(u.protocol);
  if (parseIp(host)) return checkAddress(policy, host, port, host);
  if (host === 'localhost' || host.endsWith('.localhost')) {
    if (nameAllowed(policy, host, port)) return { ok: true };
    return checkAddress(policy, host, port, '127.0.0.1');
  }
  return { ok: true };
}
