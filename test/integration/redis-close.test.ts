import { spawn } from 'node:child_process';
import { closeRedis, createRedis } from '../../src/queue/connection';
import { isListening } from '../../src/stack/local-stack';
import { redisUrl } from '../support/services';
import { waitFor } from '../support/wait-for';
import { freePort } from '../support/listen';

/** closeRedis, the runtime's way to close its connections: also when the Redis went away under them. */
describe('closeRedis on real Redis', () => {
  it('a connected client: QUIT, and the client is ended', async () => {
    const c = createRedis(redisUrl(), 'worker');
    await c.ping();
    await closeRedis(c);
    // the QUIT reply comes before the socket closes
    await waitFor('the client to end', () => c.status === 'end', 2000);
  });

  it('a client whose Redis was stopped: closes at once and stops reconnecting', async () => {
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    try {
      await waitFor('redis-server to listen', () => isListening(port), 15000);
      const c = createRedis(`redis://127.0.0.1:${port}`, 'worker');
      c.on('error', () => undefined); // ECONNREFUSED while it reconnects
      await c.ping();
      let reconnects = 0;
      c.on('reconnecting', () => reconnects++);
      const exited = new Promise((r) => redis.once('exit', r));
      redis.kill('SIGKILL');
      await exited;
      await waitFor('the client to reconnect', () => reconnects > 0, 10000);
      const started = Date.now();
      await closeRedis(c);
      expect(Date.now() - started).toBeLessThan(1000);
      // no further attempt: ioredis clears its retry timer (between two attempts it has no socket left to close)
      const after = reconnects;
      await new Promise((r) => setTimeout(r, 2500));
      expect(reconnects).toBe(after);
      expect(c.status).not.toBe('ready');
    } finally {
      redis.kill('SIGKILL');
    }
  });
});
