import type { StageHandoff } from '../../queue/stage-queues';
import type { EventDoc } from '../../store/repos/channels';
import { runDiscoveryJob } from '../discovery-stage';
import { runMediaJob } from '../media-stage';
import type { PipelineDeps } from './context';

/** Discovery steps one inline hand-off runs at most (each makes at most `resurface.probesPerJob` probes). */
const INLINE_DISCOVERY_STEPS = 50;

/** Runs the downstream stages in this process, awaited (no queue). */
export function inlineHandoff(deps: PipelineDeps): StageHandoff {
  const { matcher } = deps;
  return {
    async media(jobs) {
      for (const data of jobs) {
        if (data.kind !== 'text' && !matcher) continue;
        await runMediaJob(
          {
            store: deps.store,
            fetcher: deps.fetcher,
            limiter: deps.limiter,
            settings: deps.settings,
            ...(matcher ? { matcher } : {}),
            ...(deps.now ? { now: deps.now } : {}),
          },
          data,
        );
      }
    },
    async discovery(job) {
      // inline, the channel's steps run back to back until its candidates are done (bounded)
      const stageDeps = {
        store: deps.store,
        fetcher: deps.fetcher,
        limiter: deps.limiter,
        settings: deps.settings,
        ...(deps.parser ? { parser: deps.parser } : {}),
        ...(matcher ? { matcher } : {}),
        ...(deps.now ? { now: deps.now } : {}),
      };
      const events: EventDoc[] = [];
      // each handle once per run: the steps follow each other at once, so a second probe would see the same page
      const probedInRun = new Set<string>();
      for (let step = 0; step < INLINE_DISCOVERY_STEPS; step++) {
        const r = await runDiscoveryJob(stageDeps, job, { probedInRun });
        events.push(...r.events);
        if (!r.more) break;
      }
      return events;
    },
  };
}
