import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Api } from './types';
import type { Role } from './auth';

export const QUEUE_BOARD_PATH = '/queues';

/**
 * The queue view (bull-board) on the API at `/queues/`: every stage's queue with its jobs, which an analyst may
 * retry, promote or clean. Behind the analyst token: the same check as the API routes, in a scope of its own.
 */
export async function registerQueueBoard(
  app: Api,
  queues: readonly Queue[],
  authorize: (req: FastifyRequest, reply: FastifyReply, need: Role) => Promise<boolean>,
): Promise<void> {
  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'hydrawatch queues' } } });
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (req, reply) => ((await authorize(req, reply, 'analyst')) ? undefined : reply));
    await scope.register(adapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}
