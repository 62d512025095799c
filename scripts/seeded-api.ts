/**
 * What scripts/stix-api.ts and scripts/schemathesis-api.ts share: the API on a fresh database on MONGO_URL, seeded by
 * the caller, with config files in a temporary folder and one token. Prints the base URL on its first stdout line;
 * drops the database and the folder on SIGTERM / SIGINT.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { hashToken } from '../src/api/auth';
import type { Role } from '../src/api/auth';
import { buildApi } from '../src/api/server';
import { settingsSchema } from '../src/config/schema';
import { ensureIndexes, openStore, type Store } from '../src/store/store';
import { storeDb } from '../src/store/db-handle';

export interface SeededApiOptions {
  /** Names the database, the temp folder and the error line. */
  name: string;
  tokenEnv: string;
  role: Role;
  seed: (store: Store) => Promise<void>;
  sourcesYaml?: string;
  /** Settings besides dataDir (zod input of settings.yaml). */
  settings?: Record<string, unknown>;
  /** Follow the fingerprint feed in Redis (REDIS_URL) for the hash lookup. */
  redis?: boolean;
}

async function serve(o: SeededApiOptions): Promise<void> {
  const mongoUrl = process.env.MONGO_URL;
  const token = process.env[o.tokenEnv];
  if (!mongoUrl || !token) throw new Error(`MONGO_URL and ${o.tokenEnv} must be set`);
  const store = await openStore({ url: mongoUrl, dbName: `hw${o.name.replace(/\W/g, '')}_${process.pid}_${Date.now()}` });
  await ensureIndexes(store);
  await o.seed(store);
  const configDir = mkdtempSync(join(tmpdir(), `hw-${o.name}-config-`));
  writeFileSync(join(configDir, 'sources.yaml'), o.sourcesYaml ?? 'sources: []\n');
  writeFileSync(join(configDir, 'settings.yaml'), 'mongoDb: test\n');
  const redis = o.redis && process.env.REDIS_URL ? new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2 }) : undefined;
  const app = await buildApi({
    store,
    settings: settingsSchema.parse({ dataDir: configDir, ...o.settings }),
    ...(redis ? { redis } : {}),
    tokens: [{ name: o.name, role: o.role, sha256: hashToken(token) }],
    sourcesPath: join(configDir, 'sources.yaml'),
    settingsPath: join(configDir, 'settings.yaml'),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  process.stdout.write(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  const stop = async (): Promise<void> => {
    await app.close().catch(() => undefined);
    redis?.disconnect();
    await storeDb(store)
      .dropDatabase()
      .catch(() => undefined);
    await store.close().catch(() => undefined);
    rmSync(configDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

export function runSeededApi(o: SeededApiOptions): void {
  serve(o).catch((err: unknown) => {
    console.error(`${o.name}-api: ${(err as Error).message}`);
    process.exit(1);
  });
}
