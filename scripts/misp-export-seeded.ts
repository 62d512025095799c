/**
 * The MISP export scripts/misp-validate.sh checks with PyMISP: a fresh database on MONGO_URL seeded with the synthetic
 * research data (test/support/research-seed.ts, misp-seed.ts), the API's GET /api/v1/export/misp with a researcher
 * token, written to the file named by the first argument. Drops its database at the end.
 */
import { storeDb } from '../src/store/db-handle';
import { writeFileSync } from 'node:fs';
import { hashToken, newToken } from '../src/api/auth';
import { buildApi } from '../src/api/server';
import { settingsSchema } from '../src/config/schema';
import { ensureIndexes, openStore } from '../src/store/store';
import { seedMispExtras } from '../test/support/misp-seed';
import { seedResearchDb } from '../test/support/research-seed';

async function main(out: string | undefined): Promise<void> {
  const mongoUrl = process.env.MONGO_URL;
  if (!mongoUrl || !out) throw new Error('usage: MONGO_URL=… node dist/scripts/misp-export-seeded.js <out.json>');
  const store = await openStore({ url: mongoUrl, dbName: `hwmisp_${process.pid}_${Date.now()}` });
  try {
    await ensureIndexes(store);
    await seedResearchDb(store);
    await seedMispExtras(store);
    const token = newToken();
    const settings = settingsSchema.parse({});
    const app = await buildApi({
      store,
      settings,
      tokens: [{ name: 'misp', role: 'researcher', sha256: hashToken(token) }],
      sourcesPath: '-',
      settingsPath: '-',
    });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const addr = app.server.address();
      const res = await fetch(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/api/v1/export/misp`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET /api/v1/export/misp answered ${res.status}: ${body.slice(0, 500)}`);
      writeFileSync(out, body);
    } finally {
      await app.close();
    }
  } finally {
    await storeDb(store)
      .dropDatabase()
      .catch(() => undefined);
    await store.close();
  }
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(`misp-export-seeded: ${(err as Error).message}`);
  process.exit(1);
});
