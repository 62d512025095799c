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
  stored: 'clips' | 'comps';
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const clips: Buffer[] = [];
  const comps: Buffer[] = [];
  for (let k = 0; k < K; k++) {
    const seeds = [0, 1, 2, 3, 4].map((i) => 40000 + k * 10 + i);
    const fill = (o: number): number[] => [0, 1, 2].map((i) => 50000 + k * 10 + o + i);
    clips.push(await movingClip(seeds));
    comps.push(await movingClip([...fill(0), ...seeds, ...fill(5)], 'scale=320:180'));
  }
  const edit = (f: (k: number) => string): Promise<Buffer[]> => Promise.all(clips.map((c, k) => editClip(c, f(k))));
  const cases: Case[] = [
    { name: 'compilation (new) containing a stored clip', queries: comps, stored: 'clips' },
    { name: 'clip (new) inside a stored compilation', queries: clips, stored: 'comps' },
    { name: 'caption band drawn over the frames', queries: await edit(VIDEO_EDITS.captionOver), stored: 'clips' },
    { name: 'bold text in an appended band', queries: await edit(VIDEO_EDITS.appendedBold), stored: 'clips' },
    { name: '16:9 letterboxed into vertical 9:16', queries: await edit(VIDEO_EDITS.vertical), stored: 'clips' },
    { name: 'speed 1.25x', queries: await edit(() => VIDEO_EDITS.speed(1.25)), stored: 'clips' },
    { name: 'speed 1.5x', queries: await edit(() => VIDEO_EDITS.speed(1.5)), stored: 'clips' },
  ];
  console.log(`VIDEO EDITS: ${K} moving 16:9 clips (5 scenes x 2 s, zoom + pan, 224x126, 10 fps), ${(Date.now() - t0) / 1000} s to generate`);
  const rows: Array<{ name: string; before: string; after: string }> = cases.map((c) => ({ name: c.name, before: '', after: '' }));
  rows.push({ name: 'unrelated clips against each other', before: '', after: '' });
  const sizes: Record<Mode, string> = { before: '', after: '' };
  for (const mode of ['before', 'after'] as Mode[]) {
    const t1 = Date.now();
    const clipP = await Promise.all(clips.map((c) => fingerprint(c, mode)));
    const compP = await Promise.all(comps.map((c) => fingerprint(c, mode)));
    let allFalse = 0;
    let allPairs = 0;
    for (const [ci, c] of cases.entries()) {
      const stored = c.stored === 'clips' ? clipP : compP;
      const qs =
        c.stored === 'clips' && c.queries === comps ? compP : c.queries === clips ? clipP : await Promise.all(c.queries.map((q) => fingerprint(q, mode)));
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
      allFalse += falses;
      allPairs += pairs;
      (rows[ci] as { [m in Mode]: string })[mode] = `${hit}/${qs.length} found, ${falses}/${pairs} false`;
    }
    let falses = 0;
    let pairs = 0;
    clipP.forEach((q, i) =>
      clipP.forEach((s, j) => {
        if (i === j) return;
        pairs++;
        falses += relate(q, s) ? 1 : 0;
      }),
    );
    (rows[rows.length - 1] as { [m in Mode]: string })[mode] = `${falses}/${pairs} false`;
    const frames = clipP.reduce((a, p) => a + p.frames.length, 0) / clipP.length;
    sizes[mode] = `${frames.toFixed(1)} frames per 10 s clip; ${allFalse}/${allPairs} false in all; ${((Date.now() - t1) / 1000).toFixed(0)} s`;
  }
  console.log(`\n${'video case'.padEnd(44)} ${'BEFORE'.padEnd(30)} AFTER`);
  for (const r of rows) console.log(`${r.name.padEnd(44)} ${r.before.padEnd(30)} ${r.after}`);
  console.log(`\nbefore: ${sizes.before}\nafter:  ${sizes.after}`);
  console.log(`(bench ran ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
