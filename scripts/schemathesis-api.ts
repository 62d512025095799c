/**
 * The API as scripts/schemathesis.sh tests it: a fresh database on MONGO_URL seeded with the synthetic research
 * data (test/support/research-seed.ts), config files in a temporary folder, an analyst token from
 * HYDRAWATCH_SCHEMATHESIS_TOKEN. Prints the base URL on its first stdout line; drops the database on SIGTERM.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { hashToken } from '../src/api/auth';
import { buildApi } from '../src/api/server';
import { settingsSchema } from '../src/config/schema';
import { ensureIndexes, openStore } from '../src/store/store';
import { seedResearchDb } from '../test/support/research-seed';
import { storeDb } from '../src/store/db-handle';

async function main(): Promise<void> {
  const mongoUrl = process.env.MONGO_URL;
  const token = process.env.HYDRAWATCH_SCHEMATHESIS_TOKEN;
  if (!mongoUrl || !token) throw new Error('MONGO_URL and HYDRAWATCH_SCHEMATHESIS_TOKEN must be set');
  const store = await openStore({ url: mongoUrl, dbName: `hwst_${process.pid}_${Date.now()}` });
  await ensureIndexes(store);
  await seedResearchDb(store);
  const configDir = mkdtempSync(join(tmpdir(), 'hw-st-config-'));
  writeFileSync(
    join(configDir, 'sources.yaml'),
    'sources:\n  - id: alpha\n    platform: telegram\n    handle: alpha_news\n    schedule: "*/10 * * * *"\n    tags: [net-a]\n',
  );
  writeFileSync(join(configDir, 'settings.yaml'), 'mongoDb: test\n');
  // schemathesis sends many requests with the token: no wrong-token throttle in the way of the checks
  const settings = settingsSchema.parse({ dataDir: configDir, api: { authFailures: { burst: 100000, perMinute: 100000 } } });
  // the hash lookup follows the fingerprint feed in Redis (REDIS_URL, set by scripts/test.sh); without it: 503
  const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2 }) : undefined;
  const app = await buildApi({
    store,
    settings,
    ...(redis ? { redis } : {}),
    tokens: [{ name: 'schemathesis', role: 'analyst', sha256: hashToken(token) }],
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

main().catch((err: unknown) => {
  console.error(`schemathesis-api: ${(err as Error).message}`);
  process.exit(1);
});
