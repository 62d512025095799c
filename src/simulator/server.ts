import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Scenario, TimelineAction } from './scenario';
import { SimWorld } from './world';
import { generateImage } from './png';
import { syntheticVideo, transformedPhoto, type PhotoTransform } from './media-variants';
import { renderChannelPage, renderFeed, renderForum, renderJsPage, renderStatusPage } from './render';

export type Fault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; times?: number }
  | { kind: 'delay'; ms: number; times?: number }
  | { kind: 'hang'; times?: number }
  | { kind: 'garbage'; times?: number };

export interface RequestLogEntry {
  /** Arrival time (ms). */
  at: number;
  method: string;
  path: string;
  status: number;
}

export interface SimulatorHandle {
  url: string;
  world: SimWorld;
  readonly step: number;
  advance(): TimelineAction[] | undefined;
  advanceTo(step: number): void;
  apply(action: TimelineAction): void;
  requests: ReadonlyArray<RequestLogEntry>;
  /** Fault for every path starting with the prefix (undefined clears it). */
  setFault(pathPrefix: string, fault: Fault | undefined): void;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  scenario: Scenario;
  port?: number;
  host?: string;
  clock?: () => Date;
}

/** Local HTTP server imitating t.me/s previews, feeds, a forum and a JS page, driven by a scenario. */
export async function startSimulator(opts: SimulatorOptions): Promise<SimulatorHandle> {
  const world = new SimWorld(opts.scenario, opts.clock ?? (() => new Date()));
  const faults = new Map<string, { fault: Fault; used: number }>();
  const requests: RequestLogEntry[] = [];
  let base = '';
  const hanging = new Set<ServerResponse>();

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': type, ...headers });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const u = new URL(req.url ?? '/', base);
    const path = u.pathname;
    const arrived = Date.now();
    const origEnd = res.end.bind(res);
    res.end = ((...args: Parameters<ServerResponse['end']>) => {
      requests.push({ at: arrived, method: req.method ?? 'GET', path: path + u.search, status: res.statusCode });
      return origEnd(...args);
    }) as ServerResponse['end'];

    if (path.startsWith('/_sim/')) return admin(req, res, path);
    for (const [prefix, f] of faults) {
      if (!path.startsWith(prefix)) continue;
      if (f.fault.times !== undefined && f.used >= f.fault.times) continue;
      f.used++;
      const fault = f.fault;
      if (fault.kind === 'status') {
        return send(res, fault.status, 'text/plain', `simulated ${fault.status}`, fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {});
      }
      if (fault.kind === 'hang') {
        hanging.add(res);
        return;
      }
      if (fault.kind === 'garbage') return send(res, 200, 'text/html; charset=utf-8', '<html><body><p>Totally unrelated page</p></body></html>');
      await new Promise((r) => setTimeout(r, fault.ms));
    }

    let m: RegExpExecArray | null;
    if ((m = /^\/s\/([A-Za-z0-9_]+)\/?$/.exec(path))) {
      const ch = world.channel(m[1] as string);
      if (!ch || ch.state !== 'active' || ch.kind !== 'channel') return send(res, 302, 'text/html', '', { location: `${base}/${m[1]}` });
      const before = u.searchParams.get('before');
      return send(res, 200, 'text/html; charset=utf-8', renderChannelPage(ch, base, before && /^\d+$/.test(before) ? Number(before) : undefined));
    }
    if ((m = /^\/media\/avatar-(\d+)\.png$/.exec(path))) return send(res, 200, 'image/png', generateImage(Number(m[1]), { width: 320, height: 240 }));
    if ((m = /^\/media\/photo-(\d+)\.png$/.exec(path))) return send(res, 200, 'image/png', (await transformedPhoto(Number(m[1]), [])).bytes);
    if ((m = /^\/media\/photo-(\d+)~([a-z~]+)\.(png|jpg)$/.exec(path))) {
      const out = await transformedPhoto(Number(m[1]), (m[2] as string).split('~') as PhotoTransform[]);
      return send(res, 200, out.type, out.bytes);
    }
    if ((m = /^\/media\/video-([\d-]+(?:~reencode)?)\.mp4$/.exec(path))) return send(res, 200, 'video/mp4', await syntheticVideo(m[1] as string));
    if ((m = /^\/media\/voice-(\d+)\.ogg$/.exec(path))) return send(res, 200, 'audio/ogg', Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60, Number(m[1]) % 256)]));
    if (path === '/media/broken.png') return send(res, 200, 'image/png', Buffer.concat([generateImage(1).subarray(0, 60), Buffer.from('truncated')]));
    if (path === '/media/not-an-image.png') return send(res, 200, 'image/png', Buffer.from('<html>this is not an image</html>'));
    if ((m = /^\/feeds\/([a-z0-9_-]+)\.(xml|atom)$/.exec(path))) {
      const f = world.feeds.get(m[1] as string);
      if (!f) return send(res, 404, 'text/plain', 'no such feed');
      const out = renderFeed(f, base);
      return send(res, 200, out.type, out.body);
    }
    if ((m = /^\/forum\/([a-z0-9_-]+)$/.exec(path))) {
      const f = world.forums.get(m[1] as string);
      if (!f) return send(res, 404, 'text/html', '<h1>404</h1>');
      const out = renderForum(f, base);
      return send(res, 200, out.type, out.body);
    }
    if ((m = /^\/js\/([a-z0-9_-]+)$/.exec(path))) {
      const p = opts.scenario.jsPages.find((j) => j.name === m?.[1]);
      if (!p) return send(res, 404, 'text/html', '<h1>404</h1>');
      return send(res, 200, 'text/html; charset=utf-8', renderJsPage(p.title, p.posts, base));
    }
    if ((m = /^\/([A-Za-z0-9_]+)\/?$/.exec(path))) {
      return send(res, 200, 'text/html; charset=utf-8', renderStatusPage(world.channel(m[1] as string), m[1] as string, base));
    }
    return send(res, 404, 'text/plain', 'not found');
  };

  const admin = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/_sim/advance') {
      const actions = world.advance();
      return send(res, 200, 'application/json', JSON.stringify({ step: world.step, applied: actions ?? [] }));
    }
    if (req.method === 'POST' && (m = /^\/_sim\/advance-to\/(\d+)$/.exec(path))) {
      world.advanceTo(Number(m[1]));
      return send(res, 200, 'application/json', JSON.stringify({ step: world.step }));
    }
    if (path === '/_sim/state') {
      const channels = [...world.channels.values()].map((c) => ({ handle: c.handle, channelId: c.channelId, state: c.state, postCount: c.posts.length }));
      return send(res, 200, 'application/json', JSON.stringify({ step: world.step, channels }));
    }
    send(res, 404, 'text/plain', 'unknown admin path');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `simulator error: ${(err as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  base = `http://${opts.host ?? '127.0.0.1'}:${addr.port}`;

  return {
    url: base,
    world,
    get step() {
      return world.step;
    },
    advance: () => world.advance(),
    advanceTo: (s) => world.advanceTo(s),
    apply: (a) => world.apply(a),
    requests,
    setFault(prefix, fault) {
      if (fault) faults.set(prefix, { fault, used: 0 });
      else faults.delete(prefix);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
