import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ParseBudgetError } from '../core/errors';
import type { PageParser } from '../core/parse-task';
import { describeTask, type ParseTask } from '../core/parse-task';
import { fromWireError, reviveClone, type ParseReply, type ParseRequest } from './thread-messages';

export interface ParsePoolOptions {
  /** Parse threads kept (`limits.parseThreads`). */
  threads: number;
  /** Budget of one parse, from the moment a thread takes it (`limits.parseTimeoutMs`). */
  timeoutMs: number;
  /** Nesting cap handed to every parser (`limits.maxHtmlDepth`). */
  maxDepth: number;
  /** V8 old-generation cap of each thread (`limits.parseMemoryMb`). */
  memoryMb: number;
}

interface Task {
  id: number;
  name: string;
  input: unknown;
  /** What the task parses and where from, for the errors given here (budget, thread death). */
  about: { what: string; url?: string };
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The thread has loaded its modules and listens. */
  ready: boolean;
  current?: { task: Task; timer: NodeJS.Timeout };
}

/** The compiled thread entry: next to this file in dist/, or dist/ seen from the sources (ts-jest runs src/). */
function threadEntry(): string {
  const here = join(__dirname, 'parse-thread.js');
  if (existsSync(here)) return here;
  const built = resolve(__dirname, '../../dist/src/parse/parse-thread.js');
  if (existsSync(built)) return built;
  throw new Error(`parse thread entry not found at ${here} or ${built}: build with "npx tsc -p tsconfig.json"`);
}

/** The pool's threads, its waiting parses and whether it is closed. */
interface PoolState {
  opts: ParsePoolOptions;
  entry: string;
  slots: Slot[];
  queue: Task[];
  nextId: number;
  closed: boolean;
}

/**
 * Parses pages in a small pool of reused worker threads, each parse with a time budget. A parse past its budget is
 * failed with ParseBudgetError (final, not retried) and its thread is terminated and replaced, so a hostile page holds
 * one thread for at most the budget and the crawls queued behind it go on. A thread that dies (its memory cap) fails
 * its parse the same way. Results cross back by structured clone, Dates included (revived in this realm).
 */
export function createParsePool(opts: ParsePoolOptions): PageParser {
  const pool: PoolState = { opts, entry: threadEntry(), slots: [], queue: [], nextId: 1, closed: false };
  return {
    run<I, O>(task: ParseTask<I, O>, input: I): Promise<O> {
      if (pool.closed) return Promise.reject(new Error('parse pool is closed'));
      return new Promise<O>((res, rej) => {
        pool.queue.push({ id: pool.nextId++, name: task.name, input, about: describeTask(task, input), resolve: res as (v: unknown) => void, reject: rej });
        dispatch(pool);
      });
    },
    close(): Promise<void> {
      return closePool(pool);
    },
  };
}

function spawn(pool: PoolState): Worker {
  const worker = new Worker(pool.entry, { resourceLimits: { maxOldGenerationSizeMb: pool.opts.memoryMb } });
  worker.unref(); // an idle pool keeps no process alive; a thread at work is ref'ed
  return worker;
}

/** Terminates the slot's thread (whatever it is doing) and gives the slot a fresh one. */
function replace(pool: PoolState, slot: Slot): void {
  const old = slot.worker;
  slot.current = undefined;
  slot.ready = false;
  if (pool.closed) {
    void old.terminate();
    return;
  }
  slot.worker = spawn(pool);
  attach(pool, slot);
  void old.terminate();
  dispatch(pool);
}

/** Routes the slot's thread's answers and death to the slot (ignored once the thread was replaced). */
function attach(pool: PoolState, slot: Slot): void {
  const worker = slot.worker;
  worker.on('message', (reply: ParseReply) => onReply(pool, slot, worker, reply));
  const died = (why: string): void => {
    if (slot.worker !== worker) return;
    const cur = slot.current;
    if (cur) {
      clearTimeout(cur.timer);
      const { what, url } = cur.task.about;
      cur.task.reject(new ParseBudgetError(what, `the parse thread died (${why}; memory cap ${pool.opts.memoryMb} MB, limits.parseMemoryMb)`, url));
    }
    replace(pool, slot);
  };
  worker.on('error', (err) => died(err.message));
  worker.on('exit', (code) => died(`exit code ${code}`));
}

/** A thread's answer: it is ready, or its parse's result or error (settles the task, frees the slot). */
function onReply(pool: PoolState, slot: Slot, worker: Worker, reply: ParseReply): void {
  if (slot.worker !== worker) return;
  if ('ready' in reply) {
    slot.ready = true;
    dispatch(pool);
    return;
  }
  const cur = slot.current;
  if (!cur || cur.task.id !== reply.id) return;
  clearTimeout(cur.timer);
  slot.current = undefined;
  worker.unref();
  if (reply.ok) cur.task.resolve(reviveClone(reply.value));
  else cur.task.reject(fromWireError(reply.error));
  dispatch(pool);
}

/** Hands the task to the slot's thread with its time budget. */
function start(pool: PoolState, slot: Slot, task: Task): void {
  const { opts } = pool;
  const timer = setTimeout(() => {
    if (slot.current?.task !== task) return;
    const { what, url } = task.about;
    task.reject(new ParseBudgetError(what, `parse took longer than ${opts.timeoutMs} ms (limits.parseTimeoutMs); its thread was stopped`, url));
    replace(pool, slot);
  }, opts.timeoutMs);
  slot.current = { task, timer };
  slot.worker.ref();
  const req: ParseRequest = { id: task.id, task: task.name, input: task.input, maxDepth: opts.maxDepth };
  slot.worker.postMessage(req);
}

function dispatch(pool: PoolState): void {
  const { queue, slots } = pool;
  while (queue.length && !pool.closed) {
    const slot = slots.find((s) => s.ready && !s.current);
    if (!slot) {
      if (slots.length < pool.opts.threads && slots.every((s) => s.ready)) {
        const fresh: Slot = { worker: spawn(pool), ready: false };
        attach(pool, fresh);
        slots.push(fresh);
      }
      return; // a thread that gets ready dispatches again
    }
    start(pool, slot, queue.shift() as Task);
  }
}

/** Fails the waiting and running parses and terminates every thread. */
async function closePool(pool: PoolState): Promise<void> {
  pool.closed = true;
  for (const t of pool.queue.splice(0)) t.reject(new Error('parse pool closed'));
  await Promise.all(
    pool.slots.splice(0).map(async (s) => {
      if (s.current) {
        clearTimeout(s.current.timer);
        s.current.task.reject(new Error('parse pool closed'));
      }
      const w = s.worker;
      w.removeAllListeners();
      await w.terminate();
    }),
  );
}
