import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startSchedulerRole, startWorkerRole } from '../../src/app/roles';
import { openRuntime } from '../../src/app/runtime';
import type { Settings } from '../../src/config/schema';
import type { SimulatorHandle } from '../../src/simulator/server';
import type { LocalStack } from '../../src/stack/local-stack';
import { storeDb } from '../../src/store/db-handle';

/** A cron for a check every `intervalS` seconds (node-cron, seconds field first). */
export function everySeconds(intervalS: number): string {
  return intervalS % 60 === 0 ? `0 */${intervalS / 60} * * * *` : `*/${intervalS} * * * * *`;
}

/**
 * The resurfacing benches' watch list on the real roles: one Telegram source per handle (ids `<prefix><i>`, checked
 * every `intervalS` seconds at the simulator), written to a temporary sources.yaml, then the runtime, the scheduler
 * and a worker with every stage.
 */
export async function watchOnRealRoles(handles: readonly string[], o: { prefix: string; intervalS: number; simUrl: string; settings: Settings }) {
  const configDir = mkdtempSync(join(tmpdir(), `hw-${o.prefix}-config-`));
  writeFileSync(
    join(configDir, 'sources.yaml'),
    stringify({
      sources: handles.map((handle, i) => ({
        id: `${o.prefix}${i}`,
        platform: 'telegram',
        handle,
        schedule: everySeconds(o.intervalS),
        tags: ['bench'],
        rateLimit: { requests: 200, perSeconds: 1 },
        options: { baseUrl: o.simUrl, backfillPages: 0 },
      })),
    }),
  );
  const rt = await openRuntime({ configDir, settings: o.settings, log: () => undefined });
  const sched = await startSchedulerRole(rt, join(configDir, 'sources.yaml'), () => undefined);
  const worker = startWorkerRole(rt, () => undefined);
  return { configDir, rt, sched, worker };
}

/**
 * The end of a resurfacing bench: the roles stopped, its database dropped, the runtime, simulator, mail catcher and
 * local stack closed, the temporary directories removed, and the process ended.
 */
export async function endBench(
  watch: Awaited<ReturnType<typeof watchOnRealRoles>>,
  o: { sim: SimulatorHandle; closeMail: () => void; stack: LocalStack | undefined; dirs: readonly string[] },
): Promise<never> {
  await watch.sched.stop();
  await watch.worker.close();
  await storeDb(watch.rt.store).dropDatabase();
  await watch.rt.close();
  await o.sim.close();
  o.closeMail();
  await o.stack?.stop();
  for (const d of [...o.dirs, watch.configDir]) rmSync(d, { recursive: true, force: true });
  process.exit(0);
}
