import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateImage } from '../simulator/png';

const run = promisify(execFile);

/**
 * A synthetic slideshow video (generated images, one per second) made with ffmpeg: for the simulator, tests and
 * the bench. `reencode` makes a re-upload of it: other size and quality.
 */
export async function makeSlideshow(seeds: number[], opts: { secondsPerSlide?: number; width?: number; height?: number } = {}): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'hw-slides-'));
  try {
    const w = opts.width ?? 320;
    const h = opts.height ?? 240;
    for (let i = 0; i < seeds.length; i++)
      await writeFile(join(dir, `s${String(i).padStart(4, '0')}.png`), generateImage(seeds[i] as number, { width: w, height: h }));
    const rate = 1 / (opts.secondsPerSlide ?? 1);
    await run(
      'ffmpeg',
      [
        '-v',
        'error',
        '-y',
        '-framerate',
        String(rate),
        '-i',
        join(dir, 's%04d.png'),
        '-c:v',
        'libx264',
        '-pix_fmt',
        'yuv420p',
        '-r',
        '10',
        '-movflags',
        '+faststart',
        join(dir, 'out.mp4'),
      ],
      { timeout: 120000 },
    );
    return await readFile(join(dir, 'out.mp4'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function reencode(video: Buffer, opts: { scale: number; crf: number }): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'hw-reenc-'));
  try {
    await writeFile(join(dir, 'in.mp4'), video);
    await run(
      'ffmpeg',
      [
        '-v',
        'error',
        '-y',
        '-i',
        join(dir, 'in.mp4'),
        '-vf',
        `scale=trunc(iw*${opts.scale}/2)*2:trunc(ih*${opts.scale}/2)*2`,
        '-c:v',
        'libx264',
        '-crf',
        String(opts.crf),
        '-pix_fmt',
        'yuv420p',
        join(dir, 'out.mp4'),
      ],
      { timeout: 120000 },
    );
    return await readFile(join(dir, 'out.mp4'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
