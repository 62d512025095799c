import { randomBytes } from 'node:crypto';

/**
 * Tests talk to real services. scripts/test.sh starts redis-server and FerretDB and exports
 * REDIS_URL and MONGO_URL; for a quick local run, start them yourself and export the same.
 */
export function redisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: run the tests with `npm test` (scripts/test.sh starts Redis)');
  return url;
}

export function mongoUrl(): string {
  const url = process.env.MONGO_URL;
  if (!url) throw new Error('MONGO_URL is not set: run the tests with `npm test` (scripts/test.sh starts FerretDB)');
  return url;
}

/** A name no other test uses: for queue names, DB names and key prefixes. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}
