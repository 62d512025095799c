import { createServer, type Server } from 'node:http';
import { metricsText } from './metrics';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The optional metrics port of worker, scheduler and `run` processes (`metrics.port`): `GET /metrics` (Prometheus
 * text) and `GET /health`. Nothing else; bind it to a private address.
 */
export async function startMetricsServer(host: string, port: number): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      metricsText()
        .then((m) => {
          res.writeHead(200, { 'content-type': m.contentType });
          res.end(m.body);
        })
        .catch((err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics failed: ${(err as Error).message}`);
        });
      return;
    }
    if (req.method === 'GET' && path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`no route ${req.method ?? ''} ${path ?? ''}: this port serves GET /metrics and GET /health\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const realPort = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${realPort}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
