/**
 * Every platform's parse tasks, by name: what a parse thread (./parse-thread.ts) can run. Each platform's module lists
 * its own (`parseTasks`, crawlers/<platform>/platform.ts); the registry (crawlers/registry.ts) lists the modules.
 * Only the thread entry imports this file, so the pool (which sends names) imports no platform's parser through it.
 * A task missing here fails in the pool with an error naming it; the registry test catches that.
 */
import { PLATFORM_MODULES } from '../../crawlers/registry';
import type { AnyParseTask } from '../core/parse-task';

export const registeredTasks: readonly AnyParseTask[] = PLATFORM_MODULES.flatMap((m) => m.parseTasks);

const byName = new Map(registeredTasks.map((t) => [t.name, t]));

/** Runs the named task in this thread (the parse thread). An unknown name is a bug: an Error naming it. */
export function runRegisteredTask(name: string, input: unknown, maxDepth: number): unknown {
  const task = byName.get(name);
  if (!task) throw new Error(`unknown parse task "${name}" (not in any platform module's parseTasks, crawlers/registry.ts)`);
  return task.run(input, maxDepth);
}
