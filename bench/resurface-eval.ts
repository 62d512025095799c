/**
 * Evaluation run of resurfacing on the generated labelled world (bench/resurface/labelled-set.ts): the simulator,
 * the real crawl pipeline (runCrawl with its media and discovery stages), Redis and FerretDB. Dumps every scored
 * candidate's signal vector with its label, style (takedown style or decoy kind) and split to
 * bench/resurface/labelled-signals.json, and prints event-level recall and precision per style with the settings
 * in force. Fit the model on the dump with bench/resurface-fit.ts.
 * Uses REDIS_URL / MONGO_URL when set, else starts the embedded local stack in a temporary directory on
 * EVAL_REDIS_PORT / EVAL_MONGO_PORT (6597 / 27597; PostgreSQL on the next port).
 *   npx tsc -p . && node dist/bench/resurface-eval.js [perStyle=5] [out=bench/resurface/labelled-signals.json]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultCrawlers } from '../src/app/crawler-registry';
import { openRuntime } from '../src/app/runtime';
import { repoRoot } from '../src/app/runtime-settings';
import { settingsSchema, sourceSchema, type Source } from '../src/config/schema';
import { fnv1a } from '../src/core/text/minhash';
import { MediaMatcher } from '../src/media/media-matcher';
import { runCrawl, type PipelineDeps } from '../src/pipeline/crawl-source';
import { successorCandidates, type Signals } from '../src/store/repos/successor-candidates';
import { listAutoSources } from '../src/store/repos/auto-sources';
import { startSimulator } from '../src/simulator/server';
import { startLocalStack } from '../src/stack/local-stack';
import { labelledWorld, TAKEDOWN_STYLES } from './resurface/labelled-set';
import { storeDb } from '../src/store/db-handle';

export interface LabelledRow {
  predecessor: string;
  candidate: string;
  label: 0 | 1;
  /** Takedown style of the pair (positives, and negatives near that predecessor) or decoy kind of the candidate. */
  style: string;
  /** Decoy kind, another channel's successor ("other-successor") or a plain probed handle ("variant"). */
  kind: string;
  split: 'train' | 'test';
  signals: Signals;
  score: number;
}

async function main(): Promise<void> {
  const perStyle = Number(process.argv[2] ?? 5);
  const out = resolve(process.argv[3] ?? join(repoRoot(), 'bench/resurface/labelled-signals.json'));
  const world = labelledWorld({ perStyle, removedAt: new Date() });
  const dir = mkdtempSync(join(tmpdir(), 'hw-eval-'));
  const stack =
    process.env.REDIS_URL && process.env.MONGO_URL
      ? undefined
      : await startLocalStack({
          dataDir: dir,
          repoRoot: repoRoot(),
          redisPort: Number(process.env.EVAL_REDIS_PORT ?? 6597),
          mongoPort: Number(process.env.EVAL_MONGO_PORT ?? 27597),
        });
  const sim = await startSimulator({ scenario: world.scenario });
  const stamp = Date.now();
  const settings = settingsSchema.parse({
    redisUrl: process.env.REDIS_URL ?? stack?.redisUrl,
    mongoUrl: process.env.MONGO_URL ?? stack?.mongoUrl,
    mongoDb: `reseval_${stamp}`,
    net: { allow: ['127.0.0.1'] },
    queue: { name: `reseval_${stamp}`, prefix: 'hwbench' },
    // the world's phases follow each other in seconds, so every step probes afresh (reprobeMinutes ~ 0); the local
    // simulator takes more probes per second than a real host (EVAL_PROBES_PER_SECOND; the default budget is 5)
    resurface: {
      reprobeMinutes: 0.0001,
      maxVariants: Number(process.env.EVAL_MAX_VARIANTS ?? 16),
      autoWatch: true,
      probeBudget: { requests: Number(process.env.EVAL_PROBES_PER_SECOND ?? 40), perSeconds: 1 },
    },
  });
  const configDir = mkdtempSync(join(tmpdir(), 'hw-eval-config-'));
  const rt = await openRuntime({ configDir, settings, log: () => undefined });
  const deps: PipelineDeps = {
    store: rt.store,
    crawlers: defaultCrawlers,
    fetcher: rt.fetcher,
    limiter: rt.limiter,
    settings,
    matcher: new MediaMatcher(rt.store, rt.feed, { minQuality: settings.media.minQuality }),
  };
  const src = (handle: string, id = handle): Source =>
    sourceSchema.parse({
      id: id.replace(/_/g, '-').slice(0, 64),
      platform: 'telegram',
      handle,
      schedule: '*/5 * * * * *',
      tags: ['net-a'],
      rateLimit: { requests: 1000, perSeconds: 1 },
      options: { baseUrl: sim.url, backfillPages: 1 },
    });
  const t0 = Date.now();
  const crawl = async (tag: string, sources: Source[]) => {
    for (const s of sources) await runCrawl(deps, s, { jobId: `${tag}-${s.id}`, attempt: 1 });
    console.log(`${tag}: ${sources.length} checks, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  };
  await crawl(
    't0',
    world.watched.map((h) => src(h)),
  );
  sim.advanceTo(1); // successors opened before the removal is seen
  sim.advanceTo(2); // takedowns, successors, decoys, the feed's links, mentions and forwards
  await crawl(
    't2',
    world.watched.map((h) => src(h)),
  );
  // successors found join the watch list (resurface.autoWatch) and are checked once while they are up
  const autoSources = async () => (await listAutoSources(rt.store)).map((a) => sourceSchema.parse(a.source));
  await crawl('t2-auto', await autoSources());
  sim.advanceTo(3); // the chains' first successors removed and back once more; restorations; second heads
  await crawl('t3', [...(await autoSources()), ...Object.keys(world.restored).map((h) => src(h))]);
  // the removed channels' searches go on after a first successor was found (second heads, chains handed over)
  await crawl(
    't3-watched',
    world.watched.map((h) => src(h)),
  );

  // labels
  const handleOf = new Map<string, string>();
  for (const c of world.scenario.channels) handleOf.set(`tg:${c.channelId}`, c.handle);
  for (const a of world.scenario.timeline) if (a.action === 'create') handleOf.set(`tg:${a.channel.channelId}`, a.channel.handle);
  const successorOf = new Map<string, string>();
  for (const [p, t] of Object.entries(world.takedowns)) for (const s of t.successors) successorOf.set(s, p);
  const styleOf = (pred: string): string => world.takedowns[pred]?.style ?? (world.chains[pred] ? 'chain' : world.restored[pred] ? 'restore' : 'other');
  const splitOf = (pred: string): 'train' | 'test' => {
    const root = Object.entries(world.takedowns).find(([, t]) => t.successors.includes(pred))?.[0] ?? pred;
    const t = world.takedowns[root];
    if (!t) return fnv1a(root) % 3 === 0 ? 'test' : 'train';
    const idx = Object.entries(world.takedowns)
      .filter(([, x]) => x.style === t.style)
      .findIndex(([h]) => h === root);
    return idx % 3 === 2 ? 'test' : 'train';
  };
  const cands = await successorCandidates(rt.store).find({}).toArray();
  const rows: LabelledRow[] = [];
  for (const c of cands) {
    if (!c.signals) continue;
    const pred = handleOf.get(c.predecessor) ?? c.predecessor.replace(/^tg:@/, '');
    const positive =
      (world.takedowns[pred]?.successors.includes(c.handle) ?? false) ||
      world.chains[pred] === c.handle ||
      world.chains[successorOf.get(pred) ?? ''] === c.handle;
    const kind = positive
      ? 'successor'
      : (world.decoys[c.handle]?.kind ?? (successorOf.has(c.handle) || Object.values(world.chains).includes(c.handle) ? 'other-successor' : 'variant'));
    rows.push({
      predecessor: pred,
      candidate: c.handle,
      label: positive ? 1 : 0,
      style: positive ? styleOf(pred) : kind,
      kind,
      split: splitOf(pred),
      signals: c.signals,
      score: c.score ?? 0,
    });
  }
  rows.sort((a, b) => a.predecessor.localeCompare(b.predecessor) || a.candidate.localeCompare(b.candidate));
  writeFileSync(
    out,
    `${JSON.stringify({ generatedBy: 'bench/resurface-eval.ts', perStyle, maxVariants: settings.resurface.maxVariants, takedowns: Object.keys(world.takedowns).length, decoys: Object.keys(world.decoys).length, rows }, null, 1)}\n`,
  );

  // event-level figures with the settings in force
  const events = await rt.store.events.find({ type: 'resurfaced' }).toArray();
  const found = new Set(events.map((e) => `${String(e.data.predecessorHandle)}>${String(e.data.successorHandle)}`));
  const expected: Array<{ pair: string; style: string }> = [];
  for (const [p, t] of Object.entries(world.takedowns)) for (const s of t.successors) expected.push({ pair: `${p}>${s}`, style: t.style });
  for (const [a, b] of Object.entries(world.chains)) expected.push({ pair: `${a}>${b}`, style: 'chain (2nd link)' });
  const truth = new Set(expected.map((e) => e.pair));
  console.log(
    `\nscenario: ${Object.keys(world.takedowns).length} takedowns, ${expected.length} true successor links, ${Object.keys(world.decoys).length} decoys; ${rows.length} scored candidates (${rows.filter((r) => r.label).length} positive) → ${out}`,
  );
  console.log(`model: ${settings.resurface.bias === undefined ? 'weighted average' : 'logistic'}, threshold ${settings.resurface.threshold}`);
  for (const style of [...TAKEDOWN_STYLES, 'chain (2nd link)']) {
    const xs = expected.filter((e) => e.style === style);
    console.log(`  ${style.padEnd(18)} recall ${xs.filter((e) => found.has(e.pair)).length}/${xs.length}`);
  }
  const tp = [...found].filter((f) => truth.has(f)).length;
  const wrong = [...found].filter((f) => !truth.has(f));
  console.log(
    `events: recall ${tp}/${expected.length} = ${(tp / expected.length).toFixed(3)}, precision ${tp}/${found.size} = ${(found.size ? tp / found.size : 1).toFixed(3)}${wrong.length ? `; false: ${wrong.join(', ')}` : ''}`,
  );
  await storeDb(rt.store).dropDatabase();
  await rt.close();
  await sim.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(configDir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
