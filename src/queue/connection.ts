import IORedis, { type Redis } from 'ioredis';

/**
 * One ioredis client. BullMQ workers need maxRetriesPerRequest: null (blocking commands);
 * short-lived producers fail fast instead, so a Redis outage surfaces as an error, not a hang.
 */
export function createRedis(url: string, role: 'worker' | 'producer'): Redis {
  return new IORedis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 3,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 10000,
    lazyConnect: false,
  });
}

/**
 * Closes a client for good: QUIT when it is connected (replies still on their way arrive first), else a disconnect,
 * which also stops a client reconnecting to a Redis that went away. A QUIT with no reply within `graceMs` (a Redis
 * that accepts but does not answer) disconnects too, so that a stop never waits on it.
 */
export async function closeRedis(client: Redis, graceMs = 2000): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const quit = client.quit().then(
    () => true,
    () => false,
  );
  const timedOut = new Promise<false>((r) => {
    timer = setTimeout(() => r(false), graceMs);
  });
  const done = await Promise.race([quit, timedOut]);
  clearTimeout(timer);
  if (!done) client.disconnect();
}

// Moved to src/util/redact-url.ts (the store uses it too); re-exported for existing imports.
export { redactUrl } from '../util/redact-url';
