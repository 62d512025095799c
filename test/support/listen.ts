import { createServer } from 'node:net';
import type { Api } from '../../src/api/server';

/** Starts the API on a free loopback port; returns its base URL. */
export async function listenOnFreePort(app: Api): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

/** A TCP port free on loopback right now (for a server a test starts as a separate process). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}
