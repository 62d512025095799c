import type { Settings } from '../config/schema';

/** The pipeline's stages: each has its own queue, runs in any worker process and scales on its own. */
export const STAGES = ['crawl', 'media', 'discovery', 'alerts', 'reports'] as const;
export type Stage = (typeof STAGES)[number];

/** Queue name of a stage: the crawl stage keeps `queue.name`; the others append their stage (`crawl-media`…). */
export function stageQueueName(queue: Settings['queue'], stage: Exclude<Stage, 'alerts' | 'reports'>): string {
  return stage === 'crawl' ? queue.name : `${queue.name}-${stage}`;
}

/** Parses `--stages crawl,media` (empty: all). */
export function parseStages(list: string | undefined): Stage[] {
  if (!list?.trim()) return [...STAGES];
  const out: Stage[] = [];
  for (const raw of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!(STAGES as readonly string[]).includes(raw)) throw new Error(`unknown stage "${raw}" (stages: ${STAGES.join(', ')})`);
    if (!out.includes(raw as Stage)) out.push(raw as Stage);
  }
  return out;
}

/** BullMQ forbids ":" in custom job ids. */
export function jobIdPart(s: string): string {
  return s.replace(/:/g, '|');
}
