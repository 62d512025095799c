/**
 * Real photographs for the re-upload bench: the sample pictures shipped in the scikit-image wheel (PyPI), fetched
 * at bench time by scripts/bench-photos.sh into .bench/photos/ (never committed). Each one's licence as stated in
 * scikit-image's data docstrings. Pictures whose licence is not stated there (moon, page, the Middlebury stereo pair)
 * are left out. Larger pictures are scaled to 640 px on the longer side (re-uploads are seldom larger).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RawPicture } from '../src/simulator/reupload-variants';

export interface RealPhoto {
  file: string;
  what: string;
  licence: string;
}

export const REAL_PHOTOS: RealPhoto[] = [
  { file: 'astronaut.png', what: 'astronaut Eileen Collins (NASA)', licence: 'public domain' },
  { file: 'camera.png', what: 'cameraman (Lav Varshney)', licence: 'CC0' },
  { file: 'chelsea.png', what: 'Chelsea the cat (Stéfan van der Walt)', licence: 'CC0' },
  { file: 'coffee.png', what: 'cup of coffee (Rachel Michetti)', licence: 'CC0' },
  { file: 'coins.png', what: 'Greek coins (Brooklyn Museum)', licence: 'no known copyright restrictions' },
  { file: 'hubble_deep_field.jpg', what: 'Hubble deep field (NASA)', licence: 'public domain' },
  { file: 'rocket.jpg', what: 'Falcon 9 launch (SpaceX)', licence: 'public domain' },
  { file: 'retina.jpg', what: 'fundus photograph (Mikael Häggström)', licence: 'CC0' },
  { file: 'text.png', what: 'text on a sign (Wikipedia)', licence: 'public domain' },
  { file: 'clock_motion.png', what: 'motion-blurred clock (Stéfan van der Walt)', licence: 'public domain' },
  { file: 'brick.png', what: 'brick wall (CC0Textures)', licence: 'CC0' },
  { file: 'grass.png', what: 'grass (linolafett)', licence: 'CC0' },
  { file: 'gravel.png', what: 'gravel (CC0Textures)', licence: 'CC0' },
  { file: 'ihc.png', what: 'IHC-stained tissue (CMMI)', licence: 'no known copyright restrictions' },
  { file: 'cell.png', what: 'cell, phase image (Paul Müller)', licence: 'CC0' },
];

const DIR = join(__dirname, '..', '..', '.bench', 'photos');
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'bench-photos.sh');

/** The photographs as RGB pictures (fetched first when missing); [] when they cannot be fetched (said on stderr). */
export async function loadRealPhotos(maxSide = 640): Promise<Array<RealPhoto & { picture: RawPicture }>> {
  if (!REAL_PHOTOS.every((p) => existsSync(join(DIR, p.file)))) {
    try {
      execFileSync('bash', [SCRIPT], { stdio: 'inherit', timeout: 600_000 });
    } catch (err) {
      console.error(`real photographs unavailable (${String(err)}): generated pictures only`);
      return [];
    }
  }
  const out: Array<RealPhoto & { picture: RawPicture }> = [];
  for (const p of REAL_PHOTOS) {
    const { data, info } = await sharp(join(DIR, p.file))
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    let rgb = new Uint8Array(data);
    if (info.channels === 1) rgb = Uint8Array.from({ length: info.width * info.height * 3 }, (_, i) => data[Math.floor(i / 3)] as number);
    out.push({ ...p, picture: { width: info.width, height: info.height, rgb } });
  }
  return out;
}
