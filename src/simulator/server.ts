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

/** The running simulator's state, shared by its routes. */
interface Sim {
  opts: SimulatorOptions;
  world: SimWorld;
  faults: Map<string, { fault: Fault; used: number }>;
  requests: RequestLogEntry[];
  /** The server's own URL (set once it listens). */
  base: string;
  hanging: Set<ServerResponse>;
  /** Rendered channel pages and the world version they were rendered at. */
  pages: Map<string, Buffer>;
  pagesVersion: number;
}

/** One answer of a route. */
interface Answer {
  status: number;
  type: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

/** A route of the simulator: its answer, or undefined when the URL is not its own. */
type Route = (sim: Sim, u: URL) => Answer | undefined | Promise<Answer | undefined>;

function answer(status: number, type: string, body: string | Buffer, headers?: Record<string, string>): Answer {
  return headers ? { status, type, body, headers } : { status, type, body };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}

/** Local HTTP server imitating t.me/s previews, feeds, a forum and a JS page, driven by a scenario. */
export async function startSimulator(opts: SimulatorOptions): Promise<SimulatorHandle> {
  const world = new SimWorld(opts.scenario, opts.clock ?? (() => new Date()));
  const sim: Sim = { opts, world, faults: new Map(), requests: [], base: '', hanging: new Set(), pages: new Map(), pagesVersion: -1 };
  const server = createServer((req, res) => {
    handle(sim, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `simulator error: ${(err as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  sim.base = `http://${opts.host ?? '127.0.0.1'}:${addr.port}`;

  return {
    url: sim.base,
    world,
    get step() {
      return world.step;
    },
    advance: () => world.advance(),
    advanceTo: (s) => world.advanceTo(s),
    apply: (a) => world.apply(a),
    requests: sim.requests,
    setFault(prefix, fault) {
      if (fault) sim.faults.set(prefix, { fault, used: 0 });
      else sim.faults.delete(prefix);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of sim.hanging) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The routes per platform, in the order they are tried (the catch-all status page last). */
const ROUTES: readonly Route[] = [youtubeRoutes, archiveRoutes, telegramPreviewRoutes, mediaRoutes, webRoutes, telegramStatusRoute];

/** One request: logged, faults applied, then the admin paths or the first platform route that answers. */
async function handle(sim: Sim, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const u = new URL(req.url ?? '/', sim.base);
  const path = u.pathname;
  logRequest(sim, req, res, path + u.search);
  if (path.startsWith('/_sim/')) return admin(sim, req, res, path);
  if (await applyFaults(sim, res, path)) return;
  for (const route of ROUTES) {
    const a = await route(sim, u);
    if (a) return send(res, a.status, a.type, a.body, a.headers);
  }
  return send(res, 404, 'text/plain', 'not found');
}

/** Logs the request with the status it is answered with, when its answer ends. */
function logRequest(sim: Sim, req: IncomingMessage, res: ServerResponse, path: string): void {
  const arrived = Date.now();
  const origEnd = res.end.bind(res);
  res.end = ((...args: Parameters<ServerResponse['end']>) => {
    sim.requests.push({ at: arrived, method: req.method ?? 'GET', path, status: res.statusCode });
    return origEnd(...args);
  }) as ServerResponse['end'];
}

/** The faults set for this path: true when one of them answered (or hangs) the request; delays add up. */
async function applyFaults(sim: Sim, res: ServerResponse, path: string): Promise<boolean> {
  for (const [prefix, f] of sim.faults) {
    if (!path.startsWith(prefix)) continue;
    if (f.fault.times !== undefined && f.used >= f.fault.times) continue;
    f.used++;
    const fault = f.fault;
    if (fault.kind === 'status') {
      send(
        res,
        fault.status,
        'text/plain',
        `simulated ${fault.status}`,
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
      );
      return true;
    }
    if (fault.kind === 'hang') {
      sim.hanging.add(res);
      return true;
    }
    if (fault.kind === 'garbage') {
      send(res, 200, 'text/html; charset=utf-8', '<html><body><p>Totally unrelated page</p></body></html>');
      return true;
    }
    if (fault.kind === 'oversize') {
      streamOversize(res, fault.bytes);
      return true;
    }
    await new Promise((r) => setTimeout(r, fault.ms));
  }
  return false;
}

/** The admin paths: advance the scenario, read its state. */
function admin(sim: Sim, req: IncomingMessage, res: ServerResponse, path: string): void {
  const { world } = sim;
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
}

// Rendered channel pages, as a server keeps them: until the world changes (the simulator's own cost stays small
// beside the crawler's in benches that check thousands of channels).
function channelPage(sim: Sim, key: string, render: () => string): Buffer {
  if (sim.pagesVersion !== sim.world.version) {
    sim.pages.clear();
    sim.pagesVersion = sim.world.version;
  }
  let out = sim.pages.get(key);
  if (!out) {
    out = Buffer.from(render());
    if (sim.pages.size < 20000) sim.pages.set(key, out);
  }
  return out;
}

/** YouTube: channel and playlist feeds, watch pages, channel pages, thumbnails. */
async function youtubeRoutes(sim: Sim, u: URL): Promise<Answer | undefined> {
  const { world, base } = sim;
  const path = u.pathname;
  let m: RegExpExecArray | null;
  if (path === '/feeds/videos.xml' && (u.searchParams.has('channel_id') || u.searchParams.has('playlist_id'))) {
    const cid = u.searchParams.get('channel_id');
    if (cid) {
      const ch = world.ytChannels.get(cid);
      if (!ch || ch.state === 'terminated') return answer(404, 'text/html', '<html><body>Error 404 (Not Found)</body></html>');
      return answer(200, 'text/xml; charset=UTF-8', renderYoutubeFeed('channel', cid, ch.title, ch.videos, base));
    }
    const pid = u.searchParams.get('playlist_id') ?? '';
    const pl = world.ytPlaylists.get(pid);
    if (!pl) return answer(404, 'text/html', '<html><body>Error 404 (Not Found)</body></html>');
    const vids = pl.videos
      .map((id) => world.ytVideos.get(id))
      .filter((v): v is NonNullable<typeof v> => !!v && world.ytChannels.get(v.channelId)?.state !== 'terminated');
    return answer(200, 'text/xml; charset=UTF-8', renderYoutubeFeed('playlist', pid, pl.title, vids, base));
  }
  if (path === '/watch') {
    const v = world.ytVideos.get(u.searchParams.get('v') ?? '');
    return answer(200, 'text/html; charset=utf-8', renderWatchPage(v, v ? world.ytChannels.get(v.channelId) : undefined));
  }
  if ((m = /^\/channel\/(UC[A-Za-z0-9_-]{22})$/.exec(path))) {
    const ch = world.ytChannels.get(m[1] as string);
    if (!ch) return answer(404, 'text/html', '<html><body>404 Not Found</body></html>');
    return answer(200, 'text/html; charset=utf-8', renderYoutubeChannelPage(ch, base));
  }
  if ((m = /^\/vi\/([A-Za-z0-9_-]{11})\/hqdefault\.jpg$/.exec(path))) {
    const v = world.ytVideos.get(m[1] as string);
    if (!v) return answer(404, 'text/plain', 'not found');
    const out = await transformedPhoto(v.thumb, ['jpeg']);
    return answer(200, out.type, out.bytes);
  }
  return undefined;
}

/** Internet Archive: advanced search, item metadata, item images and downloads. */
async function archiveRoutes(sim: Sim, u: URL): Promise<Answer | undefined> {
  const { world } = sim;
  const path = u.pathname;
  let m: RegExpExecArray | null;
  if (path === '/advancedsearch.php') {
    if (u.searchParams.get('output') !== 'json') return answer(200, 'text/html', '<html><body>advanced search form</body></html>');
    const rows = Math.min(500, Math.max(1, Number(u.searchParams.get('rows') ?? '50') || 50));
    const fields = u.searchParams
      .getAll('fl[]')
      .flatMap((f) => f.split(','))
      .filter(Boolean);
    return answer(200, 'application/json', renderAdvancedSearch([...world.iaItems.values()], u.searchParams.get('q') ?? '', rows, fields));
  }
  if ((m = /^\/metadata\/([A-Za-z0-9][A-Za-z0-9_.-]{0,99})$/.exec(path))) {
    const item = world.iaItems.get(m[1] as string);
    const bytes = item?.video ? (await syntheticVideo(item.video)).length : undefined;
    return answer(200, 'application/json', renderItemMetadata(item, bytes));
  }
  if ((m = /^\/services\/img\/([A-Za-z0-9][A-Za-z0-9_.-]{0,99})$/.exec(path))) {
    const item = world.iaItems.get(m[1] as string);
    if (!item || item.state !== 'public') return answer(404, 'text/plain', 'not found');
    const out = await transformedPhoto(item.image, ['jpeg']);
    return answer(200, out.type, out.bytes);
  }
  if ((m = /^\/download\/([A-Za-z0-9][A-Za-z0-9_.-]{0,99})\/([^/]+)$/.exec(path))) {
    const item = world.iaItems.get(m[1] as string);
    if (!item || item.state !== 'public' || !item.video || m[2] !== `${item.identifier}.mp4`) return answer(404, 'text/plain', 'not found');
    return answer(200, 'video/mp4', await syntheticVideo(item.video));
  }
  return undefined;
}

/** Telegram: the t.me/s/<handle> preview pages (cached until the world changes). */
function telegramPreviewRoutes(sim: Sim, u: URL): Answer | undefined {
  const m = /^\/s\/([A-Za-z0-9_]+)\/?$/.exec(u.pathname);
  if (!m) return undefined;
  const ch = sim.world.channel(m[1] as string);
  if (!ch || ch.state !== 'active' || ch.kind !== 'channel') return answer(302, 'text/html', '', { location: `${sim.base}/${m[1]}` });
  const before = u.searchParams.get('before');
  const page = before && /^\d+$/.test(before) ? Number(before) : undefined;
  return answer(
    200,
    'text/html; charset=utf-8',
    channelPage(sim, `${ch.handle}|${page ?? ''}`, () => renderChannelPage(ch, sim.base, page)),
  );
}

/** Media files of the posts: avatars, photos (and transformed re-uploads), videos, voice notes, broken files. */
async function mediaRoutes(_sim: Sim, u: URL): Promise<Answer | undefined> {
  const path = u.pathname;
  let m: RegExpExecArray | null;
  if ((m = /^\/media\/avatar-(\d+)\.png$/.exec(path))) return answer(200, 'image/png', generateImage(Number(m[1]), { width: 320, height: 240 }));
  if ((m = /^\/media\/photo-(\d+)\.png$/.exec(path))) return answer(200, 'image/png', (await transformedPhoto(Number(m[1]), [])).bytes);
  if ((m = /^\/media\/photo-(\d+)~([a-z~]+)\.(png|jpg)$/.exec(path))) {
    const out = await transformedPhoto(Number(m[1]), (m[2] as string).split('~') as PhotoTransform[]);
    return answer(200, out.type, out.bytes);
  }
  if ((m = /^\/media\/video-([\d-]+(?:~reencode)?)\.mp4$/.exec(path))) return answer(200, 'video/mp4', await syntheticVideo(m[1] as string));
  if ((m = /^\/media\/voice-(\d+)\.ogg$/.exec(path)))
    return answer(200, 'audio/ogg', Buffer.concat([Buffer.from('OggS'), Buffer.alloc(60, Number(m[1]) % 256)]));
  if (path === '/media/broken.png') return answer(200, 'image/png', Buffer.concat([generateImage(1).subarray(0, 60), Buffer.from('truncated')]));
  if (path === '/media/not-an-image.png') return answer(200, 'image/png', Buffer.from('<html>this is not an image</html>'));
  return undefined;
}

/** The web: RSS/Atom feeds, forum pages, JavaScript-rendered pages. */
function webRoutes(sim: Sim, u: URL): Answer | undefined {
  const { world, base } = sim;
  const path = u.pathname;
  let m: RegExpExecArray | null;
  if ((m = /^\/feeds\/([a-z0-9_-]+)\.(xml|atom)$/.exec(path))) {
    const f = world.feeds.get(m[1] as string);
    if (!f) return answer(404, 'text/plain', 'no such feed');
    const out = renderFeed(f, base);
    return answer(200, out.type, out.body);
  }
  if ((m = /^\/forum\/([a-z0-9_-]+)$/.exec(path))) {
    const f = world.forums.get(m[1] as string);
    if (!f) return answer(404, 'text/html', '<h1>404</h1>');
    const out = renderForum(f, base);
    return answer(200, out.type, out.body);
  }
  if ((m = /^\/js\/([a-z0-9_-]+)$/.exec(path))) {
    const p = sim.opts.scenario.jsPages.find((j) => j.name === m?.[1]);
    if (!p) return answer(404, 'text/html', '<h1>404</h1>');
    return answer(200, 'text/html; charset=utf-8', renderJsPage(p.title, p.posts, base));
  }
  return undefined;
}

/** Telegram: the t.me/<handle> status page (any other one-segment path). */
function telegramStatusRoute(sim: Sim, u: URL): Answer | undefined {
  const m = /^\/([A-Za-z0-9_]+)\/?$/.exec(u.pathname);
  if (!m) return undefined;
  return answer(200, 'text/html; charset=utf-8', renderStatusPage(sim.world.channel(m[1] as string), m[1] as string, sim.base));
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
