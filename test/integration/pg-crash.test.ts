import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { timeBuckets } from '../../src/core/time-buckets';
import { isListening } from '../../src/stack/local-stack';
import { openStore, type Store } from '../../src/store/store';
import { upsertPosts, type PostDoc } from '../../src/store/repos/posts';
import { waitFor } from '../support/wait-for';
import { freePort } from '../support/listen';

/**
 * The local stack's PostgreSQL (scripts/postgres.sh, durable mode: fsync and full_page_writes on, synchronous_commit
 * off) under FerretDB, crashed while posts are written through the store code: PostgreSQL's postmaster and its
 * backends are killed with SIGKILL, FerretDB too, in the middle of the writes. The cluster must start again (crash
 * recovery from its WAL) and hold every post whose write was acknowledged.
 *
 * What "every acknowledged post" means with synchronous_commit=off (checked, and narrower than "all of them"):
 * FerretDB replies once PostgreSQL's COMMIT returned, and with synchronous_commit=off a COMMIT returns once its WAL
 * record is in PostgreSQL's WAL buffers (shared memory), before it is written to the WAL file. The WAL writer writes
 * (and fsyncs) it within 3 × wal_writer_delay (600 ms). WAL already written to the file is in the OS's page cache, and
 * a SIGKILL of PostgreSQL's processes leaves the OS up: that WAL survives and is replayed. But WAL still in the buffers
 * dies with the processes (the restarted postmaster makes new shared memory). So a commit acknowledged in the last
 * ~600 ms before a kill of PostgreSQL may be lost, as on an OS crash; it is never a corruption. The test therefore
 * requires every post acknowledged at least 1 s before the kill, while the writes go on up to the kill (those
 * acknowledged in the last second are counted apart, not required).
 */
const ROOT = resolve(__dirname, '../..');
const PG = join(ROOT, 'scripts/postgres.sh');

function post(i: number): PostDoc {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
  return {
    _id: `tg:1990000001:${i}`,
    channelKey: 'tg:1990000001',
    postId: String(i),
    sourceId: 'crash',
    platform: 'telegram',
    handle: 'sim_crash',
    at,
    publishedAt: at,
    text: `post ${i}: synthetic text for the crash test`,
    lang: 'eng',
    links: [],
    hashtags: [],
    mentions: [],
    media: [],
    tags: ['test'],
    firstSeenAt: at,
    lastSeenAt: at,
    buckets: timeBuckets(at),
  };
}

/** PID of the cluster's postmaster (first line of postmaster.pid) and of its children (the backends). */
function clusterPids(pgdata: string): number[] {
  const postmaster = Number(readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let children: number[] = [];
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((p) => p > 0);
  } catch {
    // no child
  }
  return [postmaster, ...children];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the local stack PostgreSQL survives a crash (durable mode)', () => {
  // a directory the "postgres" user can reach when the tests run as root: the cluster stays in it (no /var/tmp move)
  const dir = mkdtempSync(join(tmpdir(), 'hw-pg-crash-'));
  chmodSync(dir, 0o755);
  const pgdata = join(dir, 'pg', 'pgdata');
  let ferret: ChildProcess | undefined;
  let store: Store | undefined;
  let pgPort = 0;
  let mongoPort = 0;
  let pgUrl = '';

  function startPostgres(): string {
    return execFileSync('bash', [PG, 'start', join(dir, 'pg'), String(pgPort)], {
      encoding: 'utf8',
      timeout: 150_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  }

  async function startFerret(): Promise<void> {
    const bin = execFileSync('bash', [join(ROOT, 'scripts/build-ferretdb.sh')], { encoding: 'utf8' }).trim();
    ferret = spawn(bin, ['--listen-addr', `127.0.0.1:${mongoPort}`, '--data-dir', join(dir, 'ferretdb'), '--postgresql-url', pgUrl], {
      stdio: 'ignore',
      env: { ...process.env, FERRETDB_TELEMETRY: 'disable' },
    });
    await waitFor('FerretDB listening', () => isListening(mongoPort), 60_000);
    store = await openStore({ url: `mongodb://127.0.0.1:${mongoPort}/`, dbName: 'crash' });
  }

  beforeAll(async () => {
    [pgPort, mongoPort] = [await freePort(), await freePort()];
    pgUrl = startPostgres();
    await startFerret();
  }, 150_000);

  afterAll(async () => {
    await store?.close().catch(() => undefined);
    if (ferret && ferret.exitCode === null) ferret.kill('SIGKILL');
    execFileSync('bash', [PG, 'destroy', join(dir, 'pg')], { stdio: 'ignore', timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
  }, 90_000);

  it('starts with fsync and full_page_writes on', () => {
    const opts = readFileSync(join(pgdata, 'postmaster.opts'), 'utf8');
    expect(opts).toContain('fsync=on');
    expect(opts).toContain('full_page_writes=on');
    expect(opts).not.toContain('fsync=off');
  });

  it('starts again after SIGKILL mid-write and holds every acknowledged post', async () => {
    const acked = new Set<number>(); // acknowledged at least 1 s before the kill: must survive
    const late = new Set<number>(); // acknowledged in the last second before the kill: may be lost
    let next = 0;
    let killed = false;
    let cutoff = Number.POSITIVE_INFINITY; // acknowledgements after this time count as late
    const writer = async (): Promise<void> => {
      while (!killed) {
        const i = next++;
        try {
          await upsertPosts(store as Store, [post(i)]);
          (Date.now() < cutoff ? acked : late).add(i);
        } catch {
          return; // the store went down under this write: its outcome is unknown, and not checked
        }
      }
    };
    const writers = Array.from({ length: 4 }, () => writer());
    await waitFor('300 acknowledged posts', () => acked.size >= 300, 60_000, 20);
    cutoff = Date.now();
    await new Promise((r) => setTimeout(r, 1000)); // > 3 × wal_writer_delay: the counted commits are in the OS's hands
    const pids = clusterPids(pgdata);
    for (const p of pids) process.kill(p, 'SIGKILL'); // the postmaster first, then its backends, writes in flight
    ferret?.kill('SIGKILL');
    killed = true;
    await Promise.all(writers);
    await store?.close().catch(() => undefined);
    await waitFor('the killed processes gone', () => pids.every((p) => !alive(p)), 30_000);
    expect(late.size).toBeGreaterThan(0); // the kill came during the writes

    // starts again: crash recovery replays the WAL
    pgUrl = startPostgres();
    const log = readFileSync(join(dir, 'pg', 'postgres.log'), 'utf8');
    expect(log).toMatch(/not properly shut down; automatic recovery in progress/);
    await startFerret();
    const ids = new Set((await (store as Store).posts.find({}, { projection: { postId: 1 } }).toArray()).map((p) => Number(p.postId)));
    const missing = [...acked].filter((i) => !ids.has(i));
    expect(missing).toEqual([]);
    expect(acked.size).toBeGreaterThanOrEqual(300);
    // the cluster takes writes again
    await upsertPosts(store as Store, [post(next + 1)]);
    expect(await (store as Store).posts.countDocuments({ _id: post(next + 1)._id })).toBe(1);
  }, 240_000);
});
