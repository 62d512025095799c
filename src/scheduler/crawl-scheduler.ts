import { schedule, type ScheduledTask } from 'node-cron';
import type { Settings, Source } from '../config/schema';
import { enqueueCrawl, type CrawlQueue, type EnqueueResult } from '../queue/crawl-queue';
import type { CrawlReason } from '../queue/crawl-job';
import { TypedEmitter } from '../util/typed-emitter';
import { jitterDelayMs, startupDelaysMs } from './plan';

export interface SchedulerEvents {
  enqueued: (e: { sourceId: string; reason: CrawlReason; delayMs: number } & EnqueueResult) => void;
  error: (e: { sourceId: string; error: Error }) => void;
  synced: (e: { added: string[]; removed: string[]; changed: string[] }) => void;
}

export interface CrawlSchedulerOptions {
  queue: CrawlQueue;
  settings: Settings['scheduler'];
  random?: () => number;
  now?: () => Date;
}

interface Entry {
  source: Source;
  task?: ScheduledTask;
  fingerprint: string;
}

/**
 * Fires node-cron per source and turns each tick into a deduplicated, jittered BullMQ job. Holds no crawl state:
 * several schedulers may run against one Redis, and the job id keeps one job per source and tick.
 */
export class CrawlScheduler extends TypedEmitter<SchedulerEvents> {
  private readonly entries = new Map<string, Entry>();
  private readonly random: () => number;
  private readonly now: () => Date;
  private stopped = false;

  constructor(private readonly opts: CrawlSchedulerOptions) {
    super();
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? (() => new Date());
  }

  /** Applies a new watch list: starts, stops or reschedules tasks; new sources get a first check within the spread window. */
  async sync(sources: readonly Source[]): Promise<void> {
    if (this.stopped) return;
    const next = new Map(sources.filter((s) => s.enabled).map((s) => [s.id, s] as const));
    const added: Source[] = [];
    const changed: Source[] = [];
    const removed: string[] = [];
    for (const [id, entry] of this.entries) {
      if (!next.has(id)) {
        await entry.task?.destroy();
        this.entries.delete(id);
        removed.push(id);
      }
    }
    for (const source of next.values()) {
      const fingerprint = JSON.stringify(source);
      const prev = this.entries.get(source.id);
      if (prev && prev.fingerprint === fingerprint) continue;
      if (prev) await prev.task?.destroy();
      const entry: Entry = { source, fingerprint };
      entry.task = schedule(source.schedule, (ctx) => this.onTick(entry, ctx.date), { name: `crawl:${source.id}`, noOverlap: false });
      this.entries.set(source.id, entry);
      (prev ? changed : added).push(source);
    }
    const firstChecks = startupDelaysMs(
      added.map((s) => s.id),
      this.opts.settings.startupSpreadSeconds,
      this.random,
    );
    await Promise.all(added.map((s) => this.enqueue(s, this.now(), 'startup', firstChecks.get(s.id) ?? 0)));
    this.emit('synced', { added: added.map((s) => s.id), removed, changed: changed.map((s) => s.id) });
  }

  /** Enqueues a crawl of one source now (CLI `crawl`, tests). */
  async crawlNow(sourceId: string): Promise<EnqueueResult> {
    const entry = this.entries.get(sourceId);
    if (!entry) throw new Error(`unknown or disabled source "${sourceId}"`);
    return this.enqueue(entry.source, this.now(), 'manual', 0);
  }

  sourceIds(): string[] {
    return [...this.entries.keys()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      [...this.entries.values()].map(async (e) => {
        await e.task?.destroy(); // node-cron: void or a promise
      }),
    );
    this.entries.clear();
  }

  private onTick(entry: Entry, at: Date): void {
    if (this.stopped) return;
    void this.enqueue(entry.source, at, 'cron', jitterDelayMs(this.opts.settings.jitterSeconds, this.random)).catch(() => undefined);
  }

  private async enqueue(source: Source, tickAt: Date, reason: CrawlReason, delayMs: number): Promise<EnqueueResult> {
    try {
      const res = await enqueueCrawl(this.opts.queue, { source, tick: tickAt.toISOString(), reason }, { delayMs, tickAt, reason });
      this.emit('enqueued', { sourceId: source.id, reason, delayMs, ...res });
      return res;
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.emit('error', { sourceId: source.id, error: new Error(`cannot enqueue crawl of "${source.id}": ${error.message}`) });
      throw error;
    }
  }
}
