import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TimeoutError } from '../core/errors';

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
    const chunks: Buffer[] = [];
    let total = 0;
    let stderr = '';
    const cap = size * size * 3 * opts.maxFrames;
    child.stdout.on('data', (d: Buffer) => {
      total += d.length;
      if (total <= cap) chunks.push(d);
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
    if (code !== 0) throw new VideoDecodeError(`ffmpeg could not decode the video: ${stderr.trim().split('\n')[0] ?? `exit ${code}`}`);
    const all = Buffer.concat(chunks);
    const frameBytes = size * size * 3;
    const frames: Uint8Array[] = [];
    for (let off = 0; off + frameBytes <= all.length; off += frameBytes) frames.push(new Uint8Array(all.buffer, all.byteOffset + off, frameBytes));
    if (frames.length === 0) throw new VideoDecodeError('the video has no decodable frames');
    return frames;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
