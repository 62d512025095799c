/**
 * Work a component starts from an event and does not await where it starts it (a follow-up job queued when a job
 * completed). Its close refuses new work, then waits for what runs, so nothing uses a queue or a Redis connection
 * after the runtime closed them.
 */
export interface InFlight {
  /** Starts `work` unless closing began; false when it was refused. Handle errors in `work`: a rejection is dropped here. */
  run(work: () => Promise<unknown>): boolean;
  /** How many run now. */
  readonly size: number;
  readonly closing: boolean;
  /** Refuses new work and resolves once every running one settled. */
  close(): Promise<void>;
}

export function trackInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  let closing = false;
  return {
    run(work) {
      if (closing) return false;
      const p: Promise<unknown> = work()
        .catch(() => undefined)
        .finally(() => running.delete(p));
      running.add(p);
      return true;
    },
    get size() {
      return running.size;
    },
    get closing() {
      return closing;
    },
    async close() {
      closing = true;
      // a settled promise leaves the set; work started while we wait cannot be (closing refuses it)
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}
