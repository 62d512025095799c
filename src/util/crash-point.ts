/**
 * Named points between two writes or hand-offs where the crash tests kill a worker (SIGKILL to itself, no cleanup):
 * set HYDRAWATCH_CRASH_POINT to one name. Unset, this is a no-op.
 */
export type CrashPointName = 'crawl:after-posts' | 'crawl:after-handoff' | 'crawl:after-state' | 'media:after-item' | 'discovery:start';

export function crashPoint(name: CrashPointName): void {
  if (process.env.HYDRAWATCH_CRASH_POINT === name) process.kill(process.pid, 'SIGKILL');
}
