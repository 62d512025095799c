import sharp from 'sharp';
import { generateImage } from './png';
import { makeSlideshow, reencode } from '../media/synthetic-video';

export type PhotoTransform = 'jpeg' | 'resize' | 'crop' | 'caption' | 'mirror';

/** A generated image with the edits re-uploaders make: recompression, resize, small crop, caption bar, mirror. */
const photoCache = new Map<string, Promise<{ bytes: Buffer; type: string }>>();

export function transformedPhoto(seed: number, transforms: PhotoTransform[]): Promise<{ bytes: Buffer; type: string }> {
  const key = `${seed}:${transforms.join('~')}`;
  let p = photoCache.get(key);
  if (!p) {
    p = makeTransformedPhoto(seed, transforms);
    p.catch(() => photoCache.delete(key));
    if (photoCache.size >= 256) photoCache.delete(photoCache.keys().next().value as string);
    photoCache.set(key, p);
  }
  return p;
}

async function makeTransformedPhoto(seed: number, transforms: PhotoTransform[]): Promise<{ bytes: Buffer; type: string }> {
  let img = sharp(generateImage(seed, { width: 480, height: 360 }));
  let w = 480;
  let h = 360;
  for (const t of transforms) {
    if (t === 'mirror') img = sharp(await img.flop().png().toBuffer());
    if (t === 'resize') {
      w = Math.round(w * 0.6);
      h = Math.round(h * 0.6);
      img = sharp(await img.resize(w, h).png().toBuffer());
    }
    if (t === 'crop') {
      const dx = Math.round(w * 0.01);
      const dy = Math.round(h * 0.01);
      img = sharp(
        await img
          .extract({ left: dx, top: dy, width: w - 2 * dx, height: h - 2 * dy })
          .png()
          .toBuffer(),
      );
      w -= 2 * dx;
      h -= 2 * dy;
    }
    if (t === 'caption') {
      const bar = Math.round(h * 0.08);
      const svg = Buffer.from(
        `<svg width="${w}" height="${bar}"><rect width="100%" height="100%" fill="black" opacity="0.55"/><text x="10" y="${Math.round(bar * 0.7)}" font-size="${Math.round(bar * 0.6)}" fill="white" font-family="sans-serif">synthetic caption</text></svg>`,
      );
      img = sharp(
        await img
          .composite([{ input: svg, top: h - bar, left: 0 }])
          .png()
          .toBuffer(),
      );
    }
  }
  if (transforms.includes('jpeg')) return { bytes: await img.jpeg({ quality: 55 }).toBuffer(), type: 'image/jpeg' };
  return { bytes: await img.png().toBuffer(), type: 'image/png' };
}

const videoCache = new Map<string, Promise<Buffer>>();

/** "11-12-13" → slideshow of those seeds; "~reencode" → a smaller, lower-quality re-encode of it. */
export function syntheticVideo(spec: string): Promise<Buffer> {
  let v = videoCache.get(spec);
  if (!v) {
    const [seeds, mode] = spec.split('~');
    const original = makeSlideshow((seeds ?? '').split('-').map(Number), { secondsPerSlide: 2 });
    v = mode === 'reencode' ? original.then((o) => reencode(o, { scale: 0.5, crf: 36 })) : original;
    videoCache.set(spec, v);
  }
  return v;
}
