import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, Pool, ProxyAgent, type Dispatcher } from 'undici';
import { CrawlError } from '../../core/errors';
import { checkAddress, checkProtocol, checkUrlStatic, defaultPort, nameAllowed, type EgressPolicy } from './policy';

/** A URL refused by the egress policy (scheme, or an address that is not public and not in `net.allow`). Final. */
export class EgressDeniedError extends CrawlError {
  readonly code = 'EGRESS_DENIED';
  readonly retryable = false;
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`refused to fetch ${url}: ${reason}`);
  }
}

/** Host name → addresses. The system resolver in production; tests pass their own (loopback addresses only). */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The first EgressDeniedError in an error's cause chain (undici wraps connector errors in "fetch failed"). */
export function findEgressDenied(err: unknown): EgressDeniedError | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 8; depth++) {
    if (e instanceof EgressDeniedError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface EgressGuard {
  readonly policy: EgressPolicy;
  /**
   * Resolves `host`, checks every address it resolves to, and returns the one to connect to. Any address that is not
   * allowed refuses the whole name (a name with one private record is a rebinding attempt).
   */
  pin(host: string, port: number, url: string): Promise<string>;
  /** The check done before each request and redirect hop: scheme and address literals (no DNS). */
  checkUrl(url: string): void;
  /** For a proxied request: also resolve the target name here and refuse it if it is not allowed (best effort). */
  checkProxiedTarget(url: string): Promise<void>;
  /** An undici dispatcher whose every connection (to the origin, or to the proxy) goes to a checked, pinned address. */
  dispatcher(proxy?: string): Dispatcher;
  close(): Promise<void>;
}

function stripBrackets(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}

export function createEgressGuard(policy: EgressPolicy, resolver: Resolver = systemResolver): EgressGuard {
  const baseConnect = buildConnector({});
  let agent: Agent | undefined;
  const proxies = new Map<string, ProxyAgent>();

  async function pin(host: string, port: number, url: string): Promise<string> {
    const h = stripBrackets(host);
    const addresses = isIP(h) ? [h] : await resolver(h);
    if (!addresses.length) throw new EgressDeniedError(url, `${h} resolves to no address`);
    for (const a of addresses) {
      const v = checkAddress(policy, h, port, a);
      if (!v.ok) throw new EgressDeniedError(url, v.reason);
    }
    return addresses[0] as string;
  }

  /** undici connector: resolve once, check, connect to exactly that address (TLS still verifies the name). */
  const connector: buildConnector.connector = (opts, callback) => {
    const port = Number(opts.port) || defaultPort(opts.protocol);
    const host = stripBrackets(opts.hostname);
    const where = `${opts.protocol}//${opts.host ?? host}`;
    pin(host, port, where).then(
      (address) => {
        const servername = opts.servername ?? (isIP(host) ? undefined : host);
        baseConnect({ ...opts, hostname: address, ...(servername ? { servername } : {}) }, callback);
      },
      (err: unknown) => callback(err as Error, null),
    );
  };

  function checkUrl(url: string): void {
    const v = checkUrlStatic(policy, url);
    if (!v.ok) throw new EgressDeniedError(url, v.reason);
  }

  return {
    policy,
    pin,
    checkUrl,
    async checkProxiedTarget(url) {
      checkUrl(url);
      const u = new URL(url);
      const host = stripBrackets(u.hostname);
      const port = u.port ? Number(u.port) : defaultPort(u.protocol);
      if (isIP(host) || nameAllowed(policy, host, port)) return;
      let addresses: string[];
      try {
        addresses = await resolver(host);
      } catch {
        return; // the proxy may resolve names we cannot (documented); the proxy itself is checked and pinned
      }
      for (const a of addresses) {
        const v = checkAddress(policy, host, port, a);
        if (!v.ok) throw new EgressDeniedError(url, v.reason);
      }
    },
    dispatcher(proxy) {
      if (!proxy) {
        agent ??= new Agent({ connect: connector });
        return agent;
      }
      let p = proxies.get(proxy);
      if (!p) {
        const pu = new URL(proxy);
        const proto = checkProtocol(pu.protocol);
        if (!proto.ok) throw new EgressDeniedError(proxy, `proxy ${proto.reason}`);
        p = new ProxyAgent({ uri: proxy, clientFactory: (origin, options) => new Pool(origin, { ...options, connect: connector }) });
        proxies.set(proxy, p);
      }
      return p;
    },
    async close() {
      await Promise.all([agent?.close(), ...[...proxies.values()].map((p) => p.close())]);
      agent = undefined;
      proxies.clear();
    },
  };
}
