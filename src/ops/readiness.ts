import { TimeoutError } from '../core/errors';

/** One dependency `/ready` checks: Redis, the store, SMTP. */
export interface ReadyCheck {
  name: string;
  check(): Promise<unknown>;
}

export interface ReadyResult {
  ok: boolean;
  /** Names of the failing parts, for the 503's message. */
  failing: string[];
  checks: Record<string, { ok: boolean; ms: number; error?: string }>;
}

/** Rejects with a named TimeoutError when `p` takes longer than `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(name, ms)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** Runs every check at once, each under the time limit `ready.<name>`; one failure makes the whole not ready. */
export async function runReadyChecks(checks: readonly ReadyCheck[], timeoutMs: number): Promise<ReadyResult> {
  const results = await Promise.all(
    checks.map(async (c) => {
      const started = Date.now();
      try {
        await withTimeout(c.check(), timeoutMs, `ready.${c.name}`);
        return [c.name, { ok: true, ms: Date.now() - started }] as const;
      } catch (err) {
        return [c.name, { ok: false, ms: Date.now() - started, error: err instanceof Error ? err.message : String(err) }] as const;
      }
    }),
  );
  const failing = results.filter(([, r]) => !r.ok).map(([n]) => n);
  return { ok: failing.length === 0, failing, checks: Object.fromEntries(results) };
}
