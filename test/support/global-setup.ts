import { connect } from 'node:net';

function probe(url: string, defaultPort: number): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port || defaultPort);
  return new Promise((resolve, reject) => {
    const sock = connect({ host: u.hostname, port, timeout: 3000 });
    sock.once('connect', () => {
      sock.destroy();
      resolve();
    });
    sock.once('timeout', () => {
      sock.destroy();
      reject(new Error(`timeout connecting to ${url}`));
    });
    sock.once('error', (e) => reject(new Error(`cannot connect to ${url}: ${e.message}`)));
  });
}

/** Fails fast, with a clear message, when the real services the tests need are not up. */
export default async function globalSetup(): Promise<void> {
  const redis = process.env.REDIS_URL;
  const mongo = process.env.MONGO_URL;
  if (!redis || !mongo) {
    throw new Error('REDIS_URL and MONGO_URL must point at running services: use `npm test` (scripts/test.sh starts them)');
  }
  await probe(redis, 6379);
  await probe(mongo, 27017);
}
