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

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
