/**
 * Every platform's parse tasks, by name: what a parse thread (./parse-thread.ts) can run. Only the thread entry imports
 * this file, so the crawlers (which know their own tasks) and the pool (which sends names) import no platform's
 * parser through it. A task missing here fails in the pool with an error naming it; the registry test catches that.
 */
import { archiveMetadataTask, archiveSearchTask } from '../../crawlers/archive/parse-tasks';
import { htmlPageTask } from '../../crawlers/html/parse-tasks';
import { feedTask } from '../../crawlers/rss/parse-tasks';
import { telegramChannelTask, telegramStatusTask } from '../../crawlers/telegram/parse-tasks';
import { youtubeChannelTask, youtubeFeedTask, youtubeWatchTask } from '../../crawlers/youtube/parse-tasks';
import type { AnyParseTask } from '../core/parse-task';

export const registeredTasks: readonly AnyParseTask[] = [
  telegramChannelTask,
  telegramStatusTask,
  htmlPageTask,
  feedTask,
  youtubeFeedTask,
  youtubeWatchTask,
  youtubeChannelTask,
  archiveSearchTask,
  archiveMetadataTask,
];

const byName = new Map(registeredTasks.map((t) => [t.name, t]));

/** Runs the named task in this thread (the parse thread). An unknown name is a bug: an Error naming it. */
export function runRegisteredTask(name: string, input: unknown, maxDepth: number): unknown {
  const task = byName.get(name);
  if (!task) throw new Error(`unknown parse task "${name}" (not listed in src/parse/task-registry.ts)`);
  return task.run(input, maxDepth);
}
