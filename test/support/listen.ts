import type { Api } from '../../src/api/server';

/** Starts the API on a free loopback port; returns its base URL. */
export async function listenOnFreePort(app: Api): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}
