import { createServer, type Server } from 'node:http';
import type { Store } from '../store/store';

/**
 * Minimal read-only status API (the `api` role): /health, /channels, /events?limit=N, /runs?limit=N.
 * The researcher REST API with auth, filters and OpenAPI is a separate issue.
 */
export function startStatusApi(store: Store, opts: { host: string; port: number }): Promise<Server> {
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const limit = Math.min(1000, Math.max(1, Number(u.searchParams.get('limit') ?? 100) || 100));
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const run = async (): Promise<void> => {
      if (u.pathname === '/health') return json(200, { ok: true });
      if (u.pathname === '/channels') {
        return json(200, await store.channels.find({}, { projection: { pendingEvents: 0 } }).limit(limit).toArray());
      }
      if (u.pathname === '/events') return json(200, await store.events.find({}).sort({ at: -1 }).limit(limit).toArray());
      if (u.pathname === '/runs') return json(200, await store.runs.find({}).sort({ startedAt: -1 }).limit(limit).toArray());
      json(404, { error: `no route ${u.pathname}` });
    };
    run().catch((err: unknown) => json(503, { error: `store unavailable: ${(err as Error).message}` }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve(server));
  });
}
