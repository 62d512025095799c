/**
 * Entry of one parse thread (node:worker_threads, started by ./parse-pool.ts): runs the named pure parse task on each
 * request and answers with the result or the error. Holds no state between requests.
 */
import { parentPort } from 'node:worker_threads';
import { runRegisteredTask } from './task-registry';
import { toWireError, type ParseReply, type ParseRequest } from './thread-messages';

const port = parentPort;
if (!port) throw new Error('parse-thread.js runs as a worker thread only (see src/parse/parse-pool.ts)');
port.on('message', (req: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply = { id: req.id, ok: true, value: runRegisteredTask(req.task, req.input, req.maxDepth) };
  } catch (err) {
    reply = { id: req.id, ok: false, error: toWireError(err) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies ParseReply);
