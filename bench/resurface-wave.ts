/**
 * A wave of takedowns at the default probe budget (issue 23): `--takedowns` watched channels (of `--channels`) are
 * removed at once and each comes back under a handle of another family (look-alikes of every variant family, the
 * dropped Arabic article, a transliteration, a homoglyph, a handle the network mentions, a handle the channel named in
 * its description), each successor's first post at its own moment within `--spread` seconds after the takedowns were
 * seen. One group also opens a second head (`_official`, same title, avatar and description, text only) after its
 * first one. Reported: successor's first post → alert email per successor, p50 / p95 / max (goal p95 ≤ 120 s), the
 * heads found, and the false alerts (goal 0). The simulator, the real scheduler, worker (all stages), Redis, FerretDB
 * and an SMTP server; the `resurface` settings are the defaults (5 probes/s, 5 probes per job, 60 variants). Each line
 * also splits the latency: first post → `resurfaced` event stored (the search), event → email (the alert stage).
 * Uses REDIS_URL / MONGO_URL when set, else starts the embedded local stack in a temporary directory.
 * A successor with no email within `--wait` seconds of its first post counts as missed (infinite latency).
 * With `--same-form`, the network comes back in one form that is no variant (`_mirror9`): one channel named its
 * successor, the others are found through the network's comeback form (src/resurface/comeback-forms.ts).
 *   npx tsc -p . && node dist/bench/resurface-wave.js [--channels 40] [--takedowns 15] [--interval 60] [--spread 150] [--wait 420] [--same-form]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMailCatcher } from './resurface/mail-catcher';
import { endBench, watchOnRealRoles } from './resurface/bench-watch';
import { repoRoot } from '../src/app/runtime-settings';
import { settingsSchema } from '../src/config/schema';
import { parseScenario, simChannelSchema, type SimChannelInput } from '../src/simulator/scenario';
import { startSimulator } from '../src/simulator/server';
import { startLocalStack } from '../src/stack/local-stack';
import { percentile } from '../src/research/percentiles';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** One takedown of the wave: the predecessor's handle, its successor's and the family that links them. */
interface WaveCase {
  family: string;
  /** Among the likely candidates (named, pointed at by the network, the first variants by prior). */
  likely: boolean;
  handle: string;
  successor: string;
  /** Named in the predecessor's description (set before the takedown). */
  named?: boolean;
  /** Mentioned by the network hub when the successor posts first. */
  mentioned?: boolean;
}

const NOUNS = [
  'cedar',
  'harbour',
  'orchard',
  'meadow',
  'lantern',
  'falcon',
  'willow',
  'canyon',
  'saffron',
  'heron',
  'glacier',
  'quarry',
  'walnut',
  'juniper',
  'pebble',
];

/**
 * `--same-form`: the whole network comes back in one form that is no variant of any family (`_mirror9`); the first
 * channel named its successor in its description, the others name nothing (found through the network's form).
 */
function sameFormCases(n: number): WaveCase[] {
  return Array.from({ length: n }, (_, i) => {
    const h = `sim_${NOUNS[i % NOUNS.length] as string}_wave${String.fromCharCode(97 + (i % 26))}`;
    return i === 0
      ? { family: 'form _mirror9, named', likely: true, handle: h, successor: `${h}_mirror9`, named: true }
      : { family: 'form _mirror9 (the network)', likely: true, handle: h, successor: `${h}_mirror9` };
  });
}

/** Fifteen families, most common first (the order of the documented priors); more takedowns cycle through them. */
function waveCases(n: number, removedAt: Date): WaveCase[] {
  const dd = String(removedAt.getUTCDate()).padStart(2, '0');
  const mm = String(removedAt.getUTCMonth() + 1).padStart(2, '0');
  const make = (i: number): WaveCase => {
    const noun = NOUNS[i % NOUNS.length] as string;
    const h = `sim_${noun}_wave${String.fromCharCode(97 + (i % 26))}`;
    const k = i % 15;
    const cases: WaveCase[] = [
      { family: 'affix _backup', likely: true, handle: h, successor: `${h}_backup` },
      { family: 'numeric 2', likely: true, handle: h, successor: `${h}2` },
      { family: 'affix _official', likely: true, handle: h, successor: `${h}_official` },
      { family: 'numeric _2', likely: true, handle: h, successor: `${h}_2` },
      { family: 'affix _new', likely: true, handle: h, successor: `${h}_new` },
      { family: 'named in description', likely: true, handle: h, successor: `sim_${noun}_reserve${i}`, named: true },
      { family: 'mention by the network', likely: true, handle: h, successor: `sim_quiet_${noun}_${i}`, mentioned: true },
      { family: 'date _v2', likely: true, handle: h, successor: `${h}_v2` },
      { family: `date _${dd}${mm}`, likely: false, handle: h, successor: `${h}_${dd}${mm}` },
      { family: 'article dropped', likely: true, handle: `sim_al${noun}_wave`, successor: `sim_${noun}_wave` },
      { family: 'numeric 3', likely: true, handle: h, successor: `${h}3` },
      { family: 'prefix new_', likely: false, handle: h, successor: `new_${h}` },
      { family: 'translit abu/abou', likely: false, handle: `sim_abu_${noun}_w`, successor: `sim_abou_${noun}_w` },
      { family: 'separator', likely: false, handle: h, successor: h.replace('_wave', 'wave') },
      { family: 'homoglyph o/0', likely: false, handle: h, successor: h.replace('o', '0') },
    ];
    return cases[k] as WaveCase;
  };
  return Array.from({ length: n }, (_, i) => make(i));
}

/** A channel with two pictured posts and a short one: its successor shares pictures, texts, title, avatar and description. */
function waveChannel(c: WaveCase, id: number, seed: number, title: string): SimChannelInput {
  return simChannelSchema.parse({
    handle: c.handle,
    channelId: String(id),
    title,
    description: c.named ? `${title}: synthetic bench channel. If we are banned, go to @${c.successor}` : `${title}: synthetic bench channel`,
    avatarSeed: seed,
    posts: [
      { text: `${title} bulletin: the valley road reopens on Monday after the spring repairs to the old bridge`, photos: [seed * 10 + 1] },
      { text: `${title} notes: orchard blossom a week early in the lower valley and the market moves to the square`, photos: [seed * 10 + 2] },
    ],
  });
}

function successorOf(c: SimChannelInput, handle: string, id: number): SimChannelInput {
  return { ...c, handle, channelId: String(id), subscribers: 10, posts: c.posts.map((p) => ({ ...p, photos: p.photos.map((x) => `${x}:jpeg`) })) };
}

/** Deterministic spread of the successors' first posts over [0, spread] seconds (a fixed permutation). */
function offsets(n: number, spreadS: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.round((((i * 7) % n) / Math.max(1, n - 1)) * spreadS * 1000));
}

async function main(): Promise<void> {
  const channels = arg('channels', 40);
  const takedowns = Math.min(arg('takedowns', 15), channels - 1);
  const interval = arg('interval', 60);
  const spread = arg('spread', 150);
  const waitS = arg('wait', 420);
  const { smtpUrl, received, close: closeMail } = await startMailCatcher();
  const dir = mkdtempSync(join(tmpdir(), 'hw-wave-'));
  const stack =
    process.env.REDIS_URL && process.env.MONGO_URL
      ? undefined
      : await startLocalStack({ dataDir: dir, repoRoot: repoRoot(), redisPort: 6594, mongoPort: 27594 });

  const cases = process.argv.includes('--same-form') ? sameFormCases(takedowns) : waveCases(takedowns, new Date());
  const preds = cases.map((c, i) => waveChannel(c, 1983000000 + i, 300 + i, `Wave ${NOUNS[i % NOUNS.length] as string} ${i}`));
  const hub = simChannelSchema.parse({
    handle: 'sim_wave_hub',
    channelId: '1983100000',
    title: 'Wave Hub',
    posts: [{ text: 'Hub of the synthetic wave network' }],
  });
  const fillers = Array.from({ length: Math.max(0, channels - takedowns - 1) }, (_, i) =>
    simChannelSchema.parse({
      handle: `sim_wfill_${i}`,
      channelId: String(1983200000 + i),
      title: `Filler ${i}`,
      avatarSeed: 2000 + i,
      posts: [{ text: `Filler channel ${i}: notes about the weather in district ${i % 17}` }],
    }),
  );
  const all = [hub, ...preds, ...fillers];
  const sim = await startSimulator({ scenario: parseScenario({ name: 'wave', channels: all }, 'wave') });
  const stamp = Date.now();
  const settings = settingsSchema.parse({
    redisUrl: process.env.REDIS_URL ?? stack?.redisUrl,
    mongoUrl: process.env.MONGO_URL ?? stack?.mongoUrl,
    mongoDb: `wave_${stamp}`,
    net: { allow: ['127.0.0.1'] },
    queue: { name: `wave_${stamp}`, prefix: 'hwbench' },
    scheduler: { jitterSeconds: 0, startupSpreadSeconds: Math.min(interval, 20), reloadPollSeconds: 1 },
    // the defaults (probe budget 5/s, 5 probes per job, 60 variants, looks again after 30 s–2 min, cache 30 s), and the first
    // head watched so that a second head is a sibling of a watched successor
    resurface: { autoWatch: true },
    alerts: { smtpUrl, rules: [{ name: 'bench', to: ['analyst@example.org'], kinds: ['resurfaced'] }] },
  });
  const { configDir, rt, sched, worker } = await watchOnRealRoles(
    all.map((c) => c.handle),
    { prefix: 'w', intervalS: interval, simUrl: sim.url, settings },
  );
  const started = Date.now();
  await until('first checks of every channel', async () => (await rt.store.channels.countDocuments({})) >= all.length, 30 * 60_000);
  console.log(`first checks of ${all.length} channels: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await sleep(interval * 1000); // pictures fingerprinted, steady state

  const waveAt = Date.now();
  for (const c of preds) sim.apply({ step: 1, action: 'remove', channel: c.handle });
  await until('every takedown seen', async () => (await rt.store.events.countDocuments({ type: 'removed' })) >= preds.length, (interval * 4 + 120) * 1000);
  const seenAt = Date.now();
  console.log(`${preds.length} takedowns seen after ${((seenAt - waveAt) / 1000).toFixed(1)} s; successors post first within ${spread} s`);

  const emailFor = (succ: string) => received.find((m) => m.subject.includes(`is back as @${succ}`));
  const firstPost = new Map<string, number>();
  const offs = offsets(cases.length, spread);
  const order = cases.map((_, i) => i).sort((a, b) => (offs[a] as number) - (offs[b] as number));
  // the second head of the first group: `_official`, text only, same title, avatar and description, 30 s after its first head posts
  const second = { of: 0, handle: `${(cases[0] as WaveCase).handle}_official`, at: (offs[0] as number) + 30_000 };
  const creations = [...order.map((i) => ({ at: offs[i] as number, run: () => createSuccessor(i) })), { at: second.at, run: () => createSecondHead() }].sort(
    (a, b) => a.at - b.at,
  );
  function createSuccessor(i: number): void {
    const c = cases[i] as WaveCase;
    sim.apply({ step: 2, action: 'create', channel: successorOf(preds[i] as SimChannelInput, c.successor, 1984000000 + i) });
    if (c.mentioned) sim.apply({ step: 2, action: 'post', channel: hub.handle, post: { text: `Notes now at @${c.successor}`, photos: [], links: [] } });
    firstPost.set(c.successor, Date.now());
  }
  function createSecondHead(): void {
    const p = preds[second.of] as SimChannelInput;
    const posts = [
      { text: 'This is our official channel. Snow is expected on the high pass tonight, drive carefully' },
      { text: 'The bus runs on the winter timetable' },
    ];
    sim.apply({ step: 2, action: 'create', channel: simChannelSchema.parse({ ...p, handle: second.handle, channelId: '1984099999', subscribers: 10, posts }) });
    firstPost.set(second.handle, Date.now());
  }
  for (const c of creations) {
    const wait = seenAt + c.at - Date.now();
    if (wait > 0) await sleep(wait);
    c.run();
  }
  const expected = [...cases.map((c) => c.successor), second.handle];
  await until('every email', () => expected.every((s) => !!emailFor(s)), waitS * 1000).catch(() => undefined);
  await sleep(5000); // late false alerts, if any

  const rows = [
    ...cases.map((c) => ({ family: c.family, succ: c.successor, likely: c.likely })),
    { family: 'second head (_official, text only)', succ: second.handle, likely: true },
  ];
  const lat: number[] = [];
  const likelyLat: number[] = [];
  for (const r of rows) {
    const m = emailFor(r.succ);
    // a miss counts as infinite (percentiles never hide it)
    const ms = m ? m.at - (firstPost.get(r.succ) as number) : Number.POSITIVE_INFINITY;
    lat.push(ms);
    const ev = await rt.store.events.findOne({ type: 'resurfaced', 'data.successorHandle': r.succ }, { projection: { at: 1 } });
    const split =
      ev && m
        ? ` (event ${((ev.at.getTime() - (firstPost.get(r.succ) as number)) / 1000).toFixed(1)} s, mail +${((m.at - ev.at.getTime()) / 1000).toFixed(1)} s)`
        : '';
    if (r.likely) likelyLat.push(ms);
    const tier = r.likely ? 'likely' : 'tail';
    console.log(
      `  ${r.family.padEnd(34)} ${tier.padEnd(6)} @${r.succ.padEnd(30)} ${m ? `${(ms / 1000).toFixed(1)} s${split}` : `no email within ${waitS} s (missed)`}`,
    );
  }
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const q = (n: number) => (percentile(sorted, n) as number) / 1000;
    return `p50 ${q(50).toFixed(1)} s, p95 ${q(95).toFixed(1)} s, max ${q(100).toFixed(1)} s`;
  };
  const p95 =
    (percentile(
      [...lat].sort((a, b) => a - b),
      95,
    ) as number) / 1000;
  const missed = lat.filter((x) => !Number.isFinite(x)).length;
  const truth = new Set(expected);
  const falseAlerts = received.filter((m) => m.subject.includes('RESURFACED') && ![...truth].some((s) => m.subject.includes(`is back as @${s}`)));
  console.log(
    `\nwave of ${preds.length} takedowns (${all.length} watched, interval ${interval} s, default probe budget ${settings.resurface.probeBudget.requests}/${settings.resurface.probeBudget.perSeconds} s): ` +
      `${rows.length - missed}/${rows.length} successors found; first post → email, all: ${stats(lat)} (goal p95 ≤ 120 s: ${p95 <= 120 ? 'met' : 'NOT met'}); ` +
      `likely families (${likelyLat.length}): ${stats(likelyLat)}; false alerts ${falseAlerts.length}${falseAlerts.length ? `: ${falseAlerts.map((m) => m.subject).join('; ')}` : ''}`,
  );

  await endBench({ configDir, rt, sched, worker }, { sim, closeMail, stack, dirs: [dir] });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
