import { join } from 'node:path';
import type { Runtime } from '../app/runtime';
import { sourcesPathIn } from '../app/roles';
import { parseEnvTokens, type ApiToken } from './auth';
import { buildApi, type Api } from './server';
import { warmTrendCaches } from '../research/trends';

export interface RunningApi {
  app: Api;
  url: string;
  close(): Promise<void>;
}

/** The `api` role: builds the API on the runtime's store and listens. Tokens: settings.api.tokens + HYDRAWATCH_API_TOKENS (+ extra). */
export async function startApi(
  rt: Runtime,
  configDir: string,
  opts: { host?: string; port?: number; extraTokens?: ApiToken[]; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningApi> {
  const tokens = [...rt.settings.api.tokens, ...parseEnvTokens((opts.env ?? process.env).HYDRAWATCH_API_TOKENS), ...(opts.extraTokens ?? [])];
  const app = await buildApi({
    store: rt.store,
    settings: rt.settings,
    tokens,
    redis: rt.redis,
    queues: [rt.queue, rt.mediaQueue, rt.discoveryQueue, rt.recheckQueue],
    onReported: rt.onReported,
    sourcesPath: sourcesPathIn(configDir),
    settingsPath: join(configDir, 'settings.yaml'),
  });
  const host = opts.host ?? rt.settings.api.host;
  const port = opts.port ?? rt.settings.api.port;
  await app.listen({ host, port });
  // the trend routes' day documents are decoded once in the background, so that the first query finds them cached
  void warmTrendCaches(rt.store).catch(() => undefined);
  const addr = app.server.address();
  const realPort = typeof addr === 'object' && addr ? addr.port : port;
  return { app, url: `http://${host}:${realPort}`, close: () => app.close() };
}
