import { extractFrames, VideoDecodeError } from '../../src/media/video-frames';
import { frameBag, isVideoMatch, videoMatch } from '../../src/media/frame-bag';
import { pdqFromPixels } from '../../src/media/pdq-hash';
import { makeSlideshow, reencode } from '../../src/media/synthetic-video';

/** Video frame bags with Debian's ffmpeg on synthetic slideshows. */
describe('video frame-bag hashing', () => {
  const opts = { fps: 1, maxSeconds: 60, maxFrames: 60, timeoutMs: 60000 };
  async function bag(video: Buffer): Promise<string[]> {
    const frames = await extractFrames(video, opts);
    return frameBag(
      frames.map((f) => pdqFromPixels(f, 256, 256, 3)),
      10,
    ).map((f) => f.hash);
  }

  it('a re-encoded, resized re-upload matches both ways; an unrelated video does not', async () => {
    const original = await makeSlideshow([11, 12, 13, 14, 15, 16], { secondsPerSlide: 2 });
    const reup = await reencode(original, { scale: 0.5, crf: 38 });
    const other = await makeSlideshow([91, 92, 93, 94, 95, 96], { secondsPerSlide: 2 });
    const a = await bag(original);
    const b = await bag(reup);
    const c = await bag(other);
    expect(a.length).toBeGreaterThanOrEqual(5); // 12 s at 1 fps, consecutive duplicates dropped
    expect(a.length).toBeLessThanOrEqual(8);
    const same = videoMatch(b, a, 31);
    expect(isVideoMatch(same, 80, 80)).toBe(true);
    const diff = videoMatch(c, a, 31);
    expect(diff.storedPct).toBeLessThan(20);
    expect(isVideoMatch(diff, 80, 80)).toBe(false);
  }, 120000);

  it('caps frames and duration, and gives a clear error for a broken file', async () => {
    const v = await makeSlideshow([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await extractFrames(v, { ...opts, maxFrames: 3 })).toHaveLength(3);
    expect((await extractFrames(v, { ...opts, maxSeconds: 4 })).length).toBeLessThanOrEqual(5);
    await expect(extractFrames(Buffer.from('not a video at all, just text bytes'), opts)).rejects.toBeInstanceOf(VideoDecodeError);
  }, 120000);
});
