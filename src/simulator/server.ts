import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Scenario, TimelineAction } from './scenario';
import { SimWorld } from './world';
import { generateImage } from './png';
import { syntheticVideo, transformedPhoto, type PhotoTransform } from './media-variants';
import { renderChannelPage, renderFeed, renderForum, renderJsPage, renderStatusPage } from './render';
import { renderWatchPage, renderYoutubeChannelPage, renderYoutubeFeed } from './youtube-markup';
import { renderAdvancedSearch, renderItemMetadata } from './archive-json';

export type Fault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number; times?: number }
  | { kind: 'delay'; ms: number; times?: number }
  | { kind: 'hang'; times?: number }
  | { kind: 'garbage'; times?: number }
  /** A 200 OK HTML answer announcing `bytes` in `Content-Length` and streaming filler until the client goes away. */
  | { kind: 'oversize'; bytes: number; times?: number };

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

  // Rendered channel pages, as a server keeps them: until the world changes (the simulator's own cost stays small
  // beside the crawler's in benches that check thousands of channels).
  const pages = new Map<string, Buffer>();
  let pagesVersion = -1;
  const channelPage = (key: string, render: () => string): Buffer => {
    if (pagesVersion !== world.version) {
      pages.clear();
      pagesVersion = world.version;
    }
    let out = pages.get(key);
    if (!out) {
      out = Buffer.from(render());
      if (pages.size < 20000) pages.set(key, out);
    }
    return out;
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
        return send(
          res,
          fault.status,
          'text/plain',
          `simulated ${fault.status}`,
          fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
        );
      }
      if (fault.kind === 'hang') {
        hanging.add(res);
        return;
      }
      if (fault.kind === 'garbage') return send(res, 200, 'text/html; charset=utf-8', '<html><body><p>Totally unrelated page</p></body></html>');
      if (fault.kind === 'oversize') return streamOversize(res, fault.bytes);
      await new Promise((r) => setTimeout(r, fault.ms));
    }

    let m: RegExpExecArray | null;
    // YouTube
    if (path === '/feeds/videos.xml' && (u.searchParams.has('channel_id') || u.searchParams.has('playlist_id'))) {
      const cid = u.searchParams.get('channel_id');
      if (cid) {
        const ch = world.ytChannels.get(cid);
        if (!ch || ch.state === 'terminated') return send(res, 404, 'text/html', '<html><body>Error 404 (Not Found)</body></html>');
        return send(res, 200, 'text/xml; charset=UTF-8', renderYoutubeFeed('channel', cid, ch.title, ch.videos, base));
      }
      const pid = u.searchParams.get('playlist_id') ?? '';
      const pl = world.ytPlaylists.get(pid);
      if (!pl) return send(res, 404, 'text/html', '<html><body>Error 404 (Not Found)</body></html>');
      const vids = pl.videos
        .map((id) => world.ytVideos.get(id))
        .filter((v): v is NonNullable<typeof v> => !!v && world.ytChannels.get(v.channelId)?.state !== 'terminated');
      return send(res, 200, 'text/xml; charset=UTF-8', renderYoutubeFeed('playlist', pid, pl.title, vids, base));
    }
    if (path === '/watch') {
      const v = world.ytVideos.get(u.searchParams.get('v') ?? '');
      return send(res, 200, 'text/html; charset=utf-8', renderWatchPage(v, v ? world.ytChannels.get(v.channelId) : undefined));
    }
    if ((m = /^\/channel\/(UC[A-Za-z0-9_-]{22})$/.exec(path))) {
      const ch = world.ytChannels.get(m[1] as string);
      if (!ch) return send(res, 404, 'text/html', '<html><body>404 Not Found</body></html>');
      return send(res, 200, 'text/html; charset=utf-8', renderYoutubeChannelPage(ch, base));
    }
    if ((m = /^\/vi\/([A-Za-z0-9_-]{11})\/hqdefault\.jpg$/.exec(path))) {
      const v = world.ytVideos.get(m[1] as string);
      if (!v) return send(res, 404, 'text/plain', 'not found');
      const out = await transformedPhoto(v.thumb, ['jpeg']);
      return send(res, 200, out.type, out.bytes);
    }
    // Internet Archive
    if (path === '/advancedsearch.php') {
      if (u.searchParams.get('output') !== 'json') return send(res, 200, 'text/html', '<html><body>advanced search form</body></html>');
      const rows = Math.min(500, Math.max(1, Number(u.searchParams.get('rows') ?? '50') || 50));
      const fields = u.searchParams
        .getAll('fl[]')
        .flatMap((f) => f.split(','))
        .filter(Boolean);
      return send(res, 200, 'application/json', renderAdvancedSearch([...world.iaItems.values()], u.searchParams.get('q') ?? '', rows, fields));
    }
    if ((m = /^\/metadata\/([A-Za-z0-9][A-Za-z0-9_.-]{0,99})$/.exec(path))) {
      const item = world.iaItems.get(m[1] as string);
      const bytes = item?.video ? (await syntheticVideo(item.video)).length : undefined;
      return send(res, 200, 'application/json', renderItemMetadata(item, bytes));
    }
    if ((m = /^\/services\/img\/([A-Za-z0-9][A-Za-z0-9_.-]{0,99})$/.exec(path))) {
      const item = world.iaItems.get(m[1] as string);
      if (!item || item.state !== 'public') return send(res, 404, 'text/plain', 'not found');
      const out = await transformedPhoto(item.image, ['jpeg']);
      return send(res, 200, out.type, out.bytes);
    }
    if ((m = /^\/download\/([A-Za-z0-9][A-Za-z0-9_.-]{0,99})\/([^/]+)$/.exec(path))) {
      const item = world.iaItems.get(m[1] as string);
      if (!item || item.state !== 'public' || !item.video || m[2] !== `${item.identifier}.mp4`) return send(res, 404, 'text/plain', 'not found');
      return send(res, 200, 'video/mp4', await syntheticVideo(item.video));
    }
    if ((m = /^\/s\/([A-Za-z0-9_]+)\/?$/.exec(path))) {
      const ch = world.channel(m[1] as string);
      if (!ch || ch.state !== 'active' || ch.kind !== 'channel') return send(res, 302, 'text/html', '', { location: `${base}/${m[1]}` });
      const before = u.searchParams.get('before');
      const page = before && /^\d+$/.test(before) ? Number(before) : undefined;
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        channelPage(`${ch.handle}|${page ?? ''}`, () => renderChannelPage(ch, base, page)),
      );
    }
    if ((m = /^\/media\/avatar-(\d+)\.png$/.exec(path))) return send(res, 200, 'image/png', generateImage(Number(m[1]), { width: 320, height: 240 }));
    if ((m = /^\/media\/photo-(\d+)\.png$/.exec(path))) return send(res, 200, 'image/png', (await transformedPhoto(Number(m[1]), [])).bytes);
    if ((m = /^\/media\/photo-(\d+)~([a-z~]+)\.(png|jpg)$/.exec(path))) {
      const out = await transformedPhoto(Number(m[1]), (m[2] as string).split('~') as PhotoTransform[]);
      return send(res, 200, out.type, out.bytes);
    }
    if ((m = /^\/media\/video-([\d-]+(?:~reencode)?)\.mp4$/.exec(path))) return send(res, 200, 'video/mp4', await syntheticVideo(m[1] as string));
    if ((m = /^\/media\/voice-(\d+)\.ogg$/.exec(path)))
      return send(res, 200, 'audio/ogg', Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60, Number(m[1]) % 256)]));
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

/** Streams `bytes` of filler under a declared `Content-Length`, pausing on back-pressure; stops when the peer leaves. */
function streamOversize(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(bytes) });
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  let sent = 0;
  const pump = (): void => {
    while (sent < bytes && !res.destroyed) {
      const n = Math.min(chunk.length, bytes - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
}
