import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TimeoutError } from '../core/errors';
import type { Settings } from '../config/schema';
import { DEFAULT_FRAME_PRINT, FRAME_WINDOWS, FrameBagBuilder, framePrint, type FramePrintOptions } from './video-print';

export class VideoDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VideoDecodeError';
  }
}

export interface FrameOptions {
  fps: number;
  maxSeconds: number;
  maxFrames: number;
  timeoutMs: number;
  /** Frames are scaled to size×size for hashing (PDQ works on a 64×64 reduction anyway). */
  size?: number;
}

/** Samples frames with Debian's ffmpeg at `fps`, capped in duration and count; returns RGB frames. */
export async function extractFrames(bytes: Buffer, opts: FrameOptions): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  await forEachFrame(bytes, opts, (f) => {
    frames.push(f);
    return true;
  });
  return frames;
}

/**
 * Samples frames like extractFrames but hands each RGB frame (size×size×3) to `onFrame` as it is decoded, so that
 * only the caller's hashes are kept (dense sampling of a long video holds one frame at a time). `onFrame` returning
 * false stops ffmpeg (the caller has enough). Returns the number of frames handed over.
 */
export async function forEachFrame(bytes: Buffer, opts: FrameOptions, onFrame: (rgb: Uint8Array) => boolean): Promise<number> {
  const size = opts.size ?? 256;
  const dir = await mkdtemp(join(tmpdir(), 'hw-video-'));
  const input = join(dir, 'input');
  try {
    await writeFile(input, bytes);
    const args = [
      '-v',
      'error',
      '-nostdin',
      '-t',
      String(opts.maxSeconds),
      '-i',
      input,
      '-an',
      '-vf',
      `fps=${opts.fps},scale=${size}:${size}:flags=area`,
      '-frames:v',
      String(opts.maxFrames),
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ];
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const frameBytes = size * size * 3;
    let pending: Buffer = Buffer.alloc(0);
    let count = 0;
    let stopped = false;
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stopped) return;
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      let off = 0;
      while (!stopped && off + frameBytes <= pending.length) {
        count++;
        // a copy: the chunk's memory is reused once the handler returns
        if (!onFrame(new Uint8Array(pending.subarray(off, off + frameBytes)))) {
          stopped = true;
          child.kill('SIGKILL');
        }
        off += frameBytes;
      }
      pending = pending.subarray(off);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new TimeoutError('media.video-frames', opts.timeoutMs));
      }, opts.timeoutMs);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(new VideoDecodeError(`cannot run ffmpeg (run scripts/setup.sh): ${e.message}`));
      });
      child.once('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    if (code !== 0 && !stopped) throw new VideoDecodeError(`ffmpeg could not decode the video: ${stderr.trim().split('\n')[0] ?? `exit ${code}`}`);
    if (count === 0) throw new VideoDecodeError('the video has no decodable frames');
    return count;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What videoFingerprint needs: sampling (FrameOptions) and the bag's rules. */
export interface VideoPrintOptions extends FrameOptions {
  print: FramePrintOptions;
  dedupDistance: number;
  minQuality: number;
  /** Frames kept in the bag at most (sampling stops there). */
  maxBagFrames: number;
}

/**
 * A video's frame bag and its frames' strip windows (video-print.ts): frames sampled at `fps` (dense enough that a
 * copy played faster or slower still has a sampled frame near each kept one), each normalised and hashed as it is
 * decoded, a frame kept when it moved at least `dedupDistance` from the last kept one; at most `maxBagFrames`.
 */
export async function videoFingerprint(bytes: Buffer, o: VideoPrintOptions): Promise<{ frames: string[]; windows: string[] }> {
  const size = o.size ?? 256;
  const bag = new FrameBagBuilder({ dedupDistance: o.dedupDistance, minQuality: o.minQuality, maxFrames: o.maxBagFrames });
  await forEachFrame(bytes, o, (rgb) => bag.push(framePrint(rgb, size, size, o.print)));
  return bag.result();
}

/**
 * The video print options from the media settings: `videoFps` sampling for at most `maxVideoSeconds`, at most
 * `maxFrames` frames kept, strip windows when `videoFrameWindows`. Stored hashes per video: ≤ maxFrames × 3.
 */
export function videoPrintOptions(
  m: Pick<
    Settings['media'],
    'videoFps' | 'maxVideoSeconds' | 'maxFrames' | 'timeoutMs' | 'trimBorders' | 'captionBands' | 'videoFrameWindows' | 'minQuality' | 'frameDedupDistance'
  >,
): VideoPrintOptions {
  return {
    fps: m.videoFps,
    maxSeconds: m.maxVideoSeconds,
    maxFrames: Math.ceil(m.maxVideoSeconds * m.videoFps),
    timeoutMs: m.timeoutMs,
    print: {
      ...DEFAULT_FRAME_PRINT,
      trim: m.trimBorders,
      captions: m.captionBands,
      windows: m.videoFrameWindows ? FRAME_WINDOWS : [],
      minQuality: m.minQuality,
    },
    dedupDistance: m.frameDedupDistance,
    minQuality: m.minQuality,
    maxBagFrames: m.maxFrames,
  };
}
