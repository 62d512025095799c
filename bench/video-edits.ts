/**
 * Video re-upload bench (issue 23): synthetic moving clips (generated scenes, slow zoom and pan, a cut every 2 s,
 * 16:9) and the edits re-posters make, BEFORE (frames at 1 fps, plain frame bags, trimming down to 40%) and AFTER
 * (denser sampling, per-frame strip windows, bold caption bands, vertical letterbox down to 25%) side by side:
 * found out of 9 per case and false matches over every cross pair (each copy against the 8 other clips).
 * Deterministic; ffmpeg only; no real video.
 *   npm run bench:video-edits        (≈ 2–4 minutes on 2 cores)
 */
import { settingsSchema } from '../src/config/schema';
import { frameBagThreshold, relateBags } from '../src/media/signals/frame-bag';
import { SIGNAL_TYPES } from '../src/media/signals/registry';
import { extractFrames, videoFingerprint, videoPrintOptions } from '../src/media/video-frames';
import { parseWindows, type FrameWindow } from '../src/media/video-print';
import { normalisedFrameHash, WORK_SIDE } from '../src/media/views';
import { editClip, movingClip, VIDEO_EDITS } from '../src/simulator/video-edits';

const media = settingsSchema.parse({}).media;
type Mode = 'before' | 'after';
const K = 9;

interface Print {
  frames: string[];
  windows?: FrameWindow[][];
}

/** AFTER: frames sampled at this rate (node dist/bench/video-edits.js [fps], default media.videoFps). */
const AFTER_FPS = Number(process.argv[2] ?? media.videoFps);

async function fingerprint(video: Buffer, mode: Mode): Promise<Print> {
  if (mode === 'before') {
    const frames = await extractFrames(video, { fps: 1, maxSeconds: media.maxVideoSeconds, maxFrames: media.maxFrames, timeoutMs: media.timeoutMs });
    const hashes = frames.map((f) => normalisedFrameHash(f, 256, 256, { trim: true, captions: true, workSide: WORK_SIDE }));
    return { frames: [...(SIGNAL_TYPES['video-frame-bag'].fromContent({ frames: hashes, dedupDistance: 10, minQuality: media.minQuality }) ?? [])] };
  }
  const p = await videoFingerprint(video, videoPrintOptions({ ...media, videoFps: AFTER_FPS }));
  return { frames: p.frames, windows: p.windows.map(parseWindows) };
}

function relate(q: Print, s: Print): string | undefined {
  return relateBags(q, s, frameBagThreshold(media))?.via;
}

interface Case {
  name: string;
  queries: Buffer[];
  stored: 'clips' | 'comps' | 'fast';
}

/** Hard negatives: the same edit made to different clips (copy i of one clip against copy j of another). */
interface Negative {
  name: string;
  videos: Buffer[];
}

interface BenchSet {
  clips: Buffer[];
  comps: Buffer[];
  /** The same clips with 3x the zoom (1 → 1.35 over each 2 s scene): where sampling density runs out. */
  fast: Buffer[];
  cases: Case[];
  negatives: Negative[];
}

async function makeSet(): Promise<BenchSet> {
  const clips: Buffer[] = [];
  const comps: Buffer[] = [];
  const fast: Buffer[] = [];
  for (let k = 0; k < K; k++) {
    const seeds = [0, 1, 2, 3, 4].map((i) => 40000 + k * 10 + i);
    const fill = (o: number): number[] => [0, 1, 2].map((i) => 50000 + k * 10 + o + i);
    clips.push(await movingClip(seeds));
    comps.push(await movingClip([...fill(0), ...seeds, ...fill(5)], 'scale=320:180'));
    fast.push(await movingClip(seeds, undefined, 0.35));
  }
  const edit = (f: (k: number) => string): Promise<Buffer[]> => Promise.all(clips.map((c, k) => editClip(c, f(k))));
  const cases: Case[] = [
    { name: 'compilation (new) containing a stored clip', queries: comps, stored: 'clips' },
    { name: 'clip (new) inside a stored compilation', queries: clips, stored: 'comps' },
    { name: 'caption band drawn over the frames', queries: await edit(VIDEO_EDITS.captionOver), stored: 'clips' },
    { name: 'bold text in an appended band', queries: await edit(VIDEO_EDITS.appendedBold), stored: 'clips' },
    { name: '16:9 letterboxed into vertical 9:16', queries: await edit(VIDEO_EDITS.vertical), stored: 'clips' },
    { name: 'vertical 9:16 with a title in the top bar', queries: await edit(VIDEO_EDITS.verticalTitled), stored: 'clips' },
    { name: 'speed 1.25x', queries: await edit(() => VIDEO_EDITS.speed(1.25)), stored: 'clips' },
    { name: 'speed 1.5x', queries: await edit(() => VIDEO_EDITS.speed(1.5)), stored: 'clips' },
    { name: 'fast motion: the clip itself', queries: fast, stored: 'fast' },
    { name: 'fast motion: speed 1.25x', queries: await Promise.all(fast.map((c) => editClip(c, VIDEO_EDITS.speed(1.25)))), stored: 'fast' },
    { name: 'fast motion: speed 1.5x', queries: await Promise.all(fast.map((c) => editClip(c, VIDEO_EDITS.speed(1.5)))), stored: 'fast' },
  ];
  const negatives: Negative[] = [
    { name: 'unrelated clips against each other', videos: clips },
    { name: 'unrelated clips, one caption band over all', videos: await edit(() => VIDEO_EDITS.captionOver(8)) },
    { name: 'unrelated clips, one appended band for all', videos: await edit(() => VIDEO_EDITS.appendedBold(7)) },
    { name: 'unrelated clips, all vertical 9:16', videos: await edit(() => VIDEO_EDITS.vertical(0)) },
  ];
  return { clips, comps, fast, cases, negatives };
}

/** Query i against stored j: found when i = j, a false match otherwise. */
function countPairs(qs: readonly Print[], stored: readonly Print[]): { hit: number; falses: number; pairs: number } {
  let hit = 0;
  let falses = 0;
  let pairs = 0;
  qs.forEach((q, i) =>
    stored.forEach((s, j) => {
      const v = relate(q, s);
      if (i === j) hit += v ? 1 : 0;
      else {
        pairs++;
        falses += v ? 1 : 0;
      }
    }),
  );
  return { hit, falses, pairs };
}

type Row = { name: string } & Record<Mode, string>;

async function runMode(set: BenchSet, mode: Mode, rows: Row[]): Promise<string> {
  const t1 = Date.now();
  const print = (vs: Buffer[]): Promise<Print[]> => Promise.all(vs.map((v) => fingerprint(v, mode)));
  const clipP = await print(set.clips);
  const compP = await print(set.comps);
  const fastP = await print(set.fast);
  const known = new Map<Buffer[], Print[]>([
    [set.clips, clipP],
    [set.comps, compP],
    [set.fast, fastP],
  ]);
  const storedOf = { clips: clipP, comps: compP, fast: fastP };
  let allFalse = 0;
  let allPairs = 0;
  for (const [ci, c] of set.cases.entries()) {
    const r = countPairs(known.get(c.queries) ?? (await print(c.queries)), storedOf[c.stored]);
    allFalse += r.falses;
    allPairs += r.pairs;
    (rows[ci] as Row)[mode] = `${r.hit}/${c.queries.length} found, ${r.falses}/${r.pairs} false`;
  }
  for (const [ni, n] of set.negatives.entries()) {
    const ps = known.get(n.videos) ?? (await print(n.videos));
    const r = countPairs(ps, ps);
    allFalse += r.falses;
    allPairs += r.pairs;
    (rows[set.cases.length + ni] as Row)[mode] = `${r.falses}/${r.pairs} false`;
  }
  const frames = clipP.reduce((a, p) => a + p.frames.length, 0) / clipP.length;
  const windows = clipP.reduce((a, p) => a + (p.windows ?? []).flat().length, 0) / clipP.length;
  return `${frames.toFixed(1)} frames + ${windows.toFixed(1)} windows stored per 10 s clip; ${allFalse}/${allPairs} false matches in all; ${((Date.now() - t1) / 1000).toFixed(0)} s`;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const set = await makeSet();
  console.log(`VIDEO EDITS: ${K} moving 16:9 clips (5 scenes x 2 s, zoom + pan, 224x126, 10 fps), ${(Date.now() - t0) / 1000} s to generate`);
  console.log(`BEFORE: frames at 1 fps, trim >= 40%, caption bands as for pictures. AFTER: frames at ${AFTER_FPS} fps, media settings.`);
  const rows: Row[] = [...set.cases, ...set.negatives].map((c) => ({ name: c.name, before: '', after: '' }));
  const before = await runMode(set, 'before', rows);
  const after = await runMode(set, 'after', rows);
  console.log(`\n${'video case'.padEnd(44)} ${'BEFORE'.padEnd(30)} AFTER`);
  for (const r of rows) console.log(`${r.name.padEnd(44)} ${r.before.padEnd(30)} ${r.after}`);
  console.log(`\nbefore: ${before}\nafter:  ${after}`);
  console.log(`(bench ran ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
