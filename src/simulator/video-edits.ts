/**
 * Deterministic video edits for the video re-upload bench (issue 23): synthetic moving clips (generated scenes with
 * a slow zoom and pan, a cut every 2 s) and the edits re-posters make to them: a caption band drawn over the
 * frames, a band of bold text appended below, a 16:9 clip letterboxed into a vertical 9:16 frame (Shorts, Reels),
 * speed changes, compilations. Made with ffmpeg from generated pictures only: nothing real, nothing harmful.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encodePicture, scene } from './reupload-variants';

const run = promisify(execFile);

/** The bold font the caption edits draw with (Debian's fonts-dejavu-core). */
export const BOLD_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

/** Clip size: 16:9. */
export const CLIP_W = 224;
export const CLIP_H = 126;
const FPS = 10;

async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-v', 'error', '-y', ...args], { timeout: 120000 });
}

const x264 = (out: string): string[] => ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23', '-pix_fmt', 'yuv420p', out];

/**
 * A moving clip: one generated scene per 2 s, each with a slow zoom (1 → 1 + `zoom`, 0.12 by default) and a pan
 * across it, 16:9 at 10 fps; `filter` is applied after (an edit made while encoding the original, e.g. a
 * compilation's scaling).
 */
export async function movingClip(seeds: readonly number[], filter?: string, zoom = 0.12): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'hw-moving-'));
  try {
    for (let i = 0; i < seeds.length; i++)
      await writeFile(join(dir, `s${String(i).padStart(4, '0')}.png`), await encodePicture(scene(seeds[i] as number, 2 * CLIP_W, 2 * CLIP_H)));
    const d = 2 * FPS;
    const zoompan = `zoompan=z='1+${zoom}*mod(on,${d})/${d}':x='(iw-iw/zoom)*mod(on,${d})/${d}':y='(ih-ih/zoom)/2':d=${d}:s=${CLIP_W}x${CLIP_H}:fps=${FPS}`;
    await ffmpeg([
      '-framerate',
      '1',
      '-i',
      join(dir, 's%04d.png'),
      '-vf',
      filter ? `${zoompan},${filter}` : zoompan,
      '-r',
      String(FPS),
      ...x264(join(dir, 'out.mp4')),
    ]);
    return await readFile(join(dir, 'out.mp4'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A re-encoded copy of a clip through an ffmpeg filter chain (the edit). */
export async function editClip(video: Buffer, filter: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'hw-edit-'));
  try {
    await writeFile(join(dir, 'in.mp4'), video);
    await ffmpeg(['-i', join(dir, 'in.mp4'), '-vf', filter, '-r', String(FPS), ...x264(join(dir, 'out.mp4'))]);
    return await readFile(join(dir, 'out.mp4'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const text = (t: string, size: string, y: string, color: string): string =>
  `drawtext=fontfile=${BOLD_FONT}:text='${t}':x=(w-text_w)/2:y=${y}:fontsize=${size}:fontcolor=${color}`;

const WORDS = ['SHARE NOW', 'WATCH THIS', 'BREAKING', 'MUST SEE', 'FULL VIDEO', 'SPREAD IT', 'LIVE NOW', 'NEW CLIP', 'REPOST'];

/** Edit k of each family (k picks the band height, colours and words, so that the 9 copies differ). */
export const VIDEO_EDITS = {
  /** A caption band (10–26% of the height) drawn over the bottom of the frames, bold text on it. */
  captionOver: (k: number): string => {
    const band = 0.1 + 0.02 * k;
    const [box, ink] = k % 2 ? ['white', 'black'] : ['black', 'white'];
    return `drawbox=x=0:y=ih*${(1 - band).toFixed(2)}:w=iw:h=ih*${band.toFixed(2)}:color=${box}:t=fill,${text(WORDS[k % 9] as string, `h*${(band * 0.6).toFixed(3)}`, `h*${(1 - band * 0.8).toFixed(3)}`, ink)}`;
  },
  /**
   * A band (18–34% of the clip's height) appended below or above the clip, one line of large bold text centred in
   * it (the glyphs fill about 60% of the band's height).
   */
  appendedBold: (k: number): string => {
    const band = 0.18 + 0.02 * k;
    const [box, ink] = k % 2 ? ['white', 'black'] : ['black', 'white'];
    const above = k % 3 === 2;
    const share = band / (1 + band);
    const y = above ? 'oh-ih' : '0';
    const mid = above ? share / 2 : 1 - share / 2;
    return `pad=iw:trunc(ih*${(1 + band).toFixed(2)}/2)*2:0:${y}:${box},${text(WORDS[k % 9] as string, `h*${(share * 0.6).toFixed(3)}`, `h*${mid.toFixed(3)}-text_h/2`, ink)}`;
  },
  /** The 16:9 clip letterboxed into a vertical 9:16 frame (black or dark bars), scaled to 360×640 or 270×480. */
  vertical: (k: number): string => {
    const [w, h] = k % 2 ? [270, 480] : [360, 640];
    const bar = ['black', '0x101010', 'black'][k % 3] as string;
    return `scale=${w}:-2,pad=${w}:${h}:0:(oh-ih)/2:${bar}`;
  },
  /** The vertical re-post with a title of bold text in its top bar, as Shorts and Reels re-posts often have. */
  verticalTitled: (k: number): string =>
    `${VIDEO_EDITS.vertical(k)},${text(WORDS[(k + 3) % 9] as string, `h*${(0.035 + 0.004 * k).toFixed(3)}`, `h*${(0.16 + 0.01 * (k % 4)).toFixed(3)}-text_h/2`, 'white')}`,
  /** Played `factor` times faster. */
  speed: (factor: number): string => `setpts=PTS/${factor}`,
};
