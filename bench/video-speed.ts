/**
 * Video hashing time per minute of video, BEFORE (frames at 1 fps, plain PDQ per frame, frame-bag dedup) and AFTER
 * (issue 23: frames at media.videoFps streamed into framePrint: bars, bands, PDQ and 2 strip windows, then the
 * frame-bag builder), for a synthetic 60 s slideshow at two resolutions and a 60 s moving clip (zoom and pan,
 * 224x126, video-edits.ts); before and after interleaved, medians of 3 rounds; prints decoding and hashing apart
 * for BEFORE, the total for AFTER, and the stored hashes per minute (frames, and windows).
 *   npm run bench:video
 */
import { settingsSchema } from '../src/config/schema';
import { frameBag } from '../src/media/frame-bag';
import { pdqFromPixels } from '../src/media/pdq-hash';
import { extractFrames, videoFingerprint, videoPrintOptions } from '../src/media/video-frames';
import { makeSlideshow } from '../src/media/synthetic-video';
import { movingClip } from '../src/simulator/video-edits';

async function main(): Promise<void> {
  const media = settingsSchema.parse({}).media;
  console.log(`video hashing per minute of video: BEFORE 1 fps plain PDQ; AFTER ${media.videoFps} fps frame prints + strip windows`);
  console.log('resolution   ffmpeg (ms)   PDQ (ms)   BEFORE total (ms)   AFTER total (ms)   bag BEFORE   bag AFTER   windows AFTER');
  const seeds = Array.from({ length: 30 }, (_, i) => i + 500);
  for (const [name, make] of [
    ['320x240', () => makeSlideshow(seeds, { secondsPerSlide: 2, width: 320, height: 240 })],
    ['1280x720', () => makeSlideshow(seeds, { secondsPerSlide: 2, width: 1280, height: 720 })],
    ['moving', () => movingClip(seeds)],
  ] as const) {
    const video = await make();
    // before and after interleaved, 3 rounds, medians (the machine is shared: load hits both alike)
    const dec: number[] = [];
    const pdq: number[] = [];
    const aft: number[] = [];
    let frames: Uint8Array[] = [];
    let bag: unknown[] = [];
    let after = { frames: [] as string[], windows: [] as string[] };
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      frames = await extractFrames(video, { fps: 1, maxSeconds: 600, maxFrames: 600, timeoutMs: 120000 });
      const t1 = performance.now();
      bag = frameBag(
        frames.map((f) => pdqFromPixels(f, 256, 256, 3)),
        10,
      );
      const t2 = performance.now();
      after = await videoFingerprint(video, { ...videoPrintOptions(media), timeoutMs: 120000 });
      dec.push(t1 - t0);
      pdq.push(t2 - t1);
      aft.push(performance.now() - t2);
    }
    const minutes = frames.length / 60;
    const per = (ms: number): string => (ms / minutes).toFixed(0);
    const windows = after.windows.reduce((n, s) => n + (s ? s.split(',').length : 0), 0);
    const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
    console.log(
      `${name.padEnd(12)} ${per(med(dec)).padStart(11)} ${per(med(pdq)).padStart(10)} ${per(med(dec.map((d, i) => d + (pdq[i] ?? 0)))).padStart(19)} ${per(med(aft)).padStart(18)} ${String(bag.length).padStart(12)} ${String(after.frames.length).padStart(11)} ${String(windows).padStart(15)}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
