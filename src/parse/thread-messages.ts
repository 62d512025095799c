import { ParseError, SourceConfigError } from '../core/errors';

/** Main thread → parse thread. */
export interface ParseRequest {
  id: number;
  /** A task's name (./task-registry.ts). */
  task: string;
  input: unknown;
  maxDepth: number;
}

/** An error as it crosses the thread boundary (class instances do not survive structured clone). */
export interface WireError {
  name: string;
  message: string;
  what?: string;
  detail?: string;
  url?: string;
}

/** Parse thread → main thread: `ready` once its modules are loaded (the budget counts parse time only), then replies. */
export type ParseReply = { ready: true } | { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

export function toWireError(err: unknown): WireError {
  if (err instanceof ParseError) return { name: 'ParseError', message: err.message, what: err.what, detail: err.detail, ...(err.url ? { url: err.url } : {}) };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

/** The error class again, so that its `retryable` decides retries as if the parse had run in this thread. */
export function fromWireError(w: WireError): Error {
  if (w.name === 'ParseError') return new ParseError(w.what ?? 'page', w.detail ?? w.message, w.url);
  if (w.name === 'SourceConfigError') return new SourceConfigError(w.message);
  const e = new Error(w.message);
  e.name = w.name;
  return e;
}

/**
 * Copies a structured-clone result into this realm: Dates stay Dates (new Date in this realm, so `instanceof Date`
 * holds in every caller, jest's sandbox included), arrays and plain objects are copied, the rest kept.
 */
export function reviveClone<T>(value: T): T {
  return revive(value) as T;
}

function revive(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Object.prototype.toString.call(v) === '[object Date]') return new Date((v as Date).getTime());
  if (Array.isArray(v)) return v.map(revive);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = revive(x);
  return out;
}
