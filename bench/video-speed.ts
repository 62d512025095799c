/**
 * Video hashing time per minute of video: ffmpeg frame sampling at 1 fps + PDQ per frame + frame-bag dedup,
 * for a synthetic 60 s slideshow at two resolutions; prints the split between decoding and hashing.
 *   npx tsc -p . && node dist/bench/video-speed.js
 */
import { frameBag } from '../src/media/frame-bag';
import { pdqFromPixels } from '../src/media/pdq-hash';
import { extractFrames } from '../src/media/video-frames';
import { makeSlideshow } from '../src/media/synthetic-video';

async function main(): Promise<void> {
  console.log('video hashing, 1 fps, per minute of video');
  console.log('resolution   ffmpeg frames (ms)   PDQ hashing (ms)   total (ms)   frames   bag size');
  for (const [w, h] of [
    [320, 240],
    [1280, 720],
  ] as const) {
    const video = await makeSlideshow(
      Array.from({ length: 30 }, (_, i) => i + 500),
      { secondsPerSlide: 2, width: w, height: h },
    );
    const t0 = performance.now();
    const frames = await extractFrames(video, { fps: 1, maxSeconds: 600, maxFrames: 600, timeoutMs: 120000 });
    const t1 = performance.now();
    const bag = frameBag(
      frames.map((f) => pdqFromPixels(f, 256, 256, 3)),
      10,
    );
    const t2 = performance.now();
    const minutes = frames.length / 60;
    console.log(
      `${`${w}x${h}`.padEnd(12)} ${((t1 - t0) / minutes).toFixed(0).padStart(18)} ${((t2 - t1) / minutes).toFixed(0).padStart(18)} ${((t2 - t0) / minutes).toFixed(0).padStart(12)} ${String(frames.length).padStart(8)} ${String(bag.length).padStart(10)}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
