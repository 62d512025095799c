/**
 * The API as scripts/check-stix.sh checks it: a fresh database on MONGO_URL seeded with the synthetic research data
 * and a video (test/support/stix-seed.ts), a researcher token from HYDRAWATCH_STIX_TOKEN. Prints the base URL on its
 * first stdout line; drops the database on SIGTERM.
 */
import { storeDb } from '../src/store/db-handle';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken } from '../src/api/auth';
import { buildApi } from '../src/api/server';
import { settingsSchema } from '../src/config/schema';
import { ensureIndexes, openStore } from '../src/store/store';
import { seedStixDb } from '../test/support/stix-seed';

async function main(): Promise<void> {
  const mongoUrl = process.env.MONGO_URL;
  const token = process.env.HYDRAWATCH_STIX_TOKEN;
  if (!mongoUrl || !token) throw new Error('MONGO_URL and HYDRAWATCH_STIX_TOKEN must be set');
  const store = await openStore({ url: mongoUrl, dbName: `hwstix_${process.pid}_${Date.now()}` });
  await ensureIndexes(store);
  await seedStixDb(store);
  const configDir = mkdtempSync(join(tmpdir(), 'hw-stix-config-'));
  writeFileSync(join(configDir, 'sources.yaml'), 'sources: []\n');
  writeFileSync(join(configDir, 'settings.yaml'), 'mongoDb: test\n');
  const app = await buildApi({
    store,
    settings: settingsSchema.parse({ dataDir: configDir, share: { tlp: 'amber' } }),
    tokens: [{ name: 'check-stix', role: 'researcher', sha256: hashToken(token) }],
    sourcesPath: join(configDir, 'sources.yaml'),
    settingsPath: join(configDir, 'settings.yaml'),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  process.stdout.write(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}\n`);
  const stop = async (): Promise<void> => {
    await app.close().catch(() => undefined);
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
  console.error(`stix-api: ${(err as Error).message}`);
  process.exit(1);
});
