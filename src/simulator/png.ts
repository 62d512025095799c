import { deflateSync } from 'node:zlib';
import { prng } from './text-generator';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = (CRC_TABLE[(c ^ (buf[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encodes RGB pixels (row-major, 3 bytes per pixel) as PNG. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Synthetic structured image by seed: a gradient background with rectangles, circles and stripes. */
export function generateRgb(seed: number, width: number, height: number): Uint8Array {
  const rnd = prng(seed * 7919 + 17);
  const px = new Uint8Array(width * height * 3);
  const c0 = [rnd() * 255, rnd() * 255, rnd() * 255];
  const c1 = [rnd() * 255, rnd() * 255, rnd() * 255];
  const angle = rnd() * Math.PI * 2;
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + ((x / width - 0.5) * dx + (y / height - 0.5) * dy)));
      const i = (y * width + x) * 3;
      for (let k = 0; k < 3; k++) px[i + k] = (c0[k] as number) * (1 - t) + (c1[k] as number) * t;
    }
  }
  const shapes = 6 + Math.floor(rnd() * 6);
  for (let s = 0; s < shapes; s++) {
    const kind = Math.floor(rnd() * 3);
    const col = [rnd() * 255, rnd() * 255, rnd() * 255];
    const cx = rnd() * width;
    const cy = rnd() * height;
    const r = (0.15 + rnd() * 0.3) * Math.min(width, height);
    const period = 24 + Math.floor(rnd() * 40);
    for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(height, Math.ceil(cy + r)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(width, Math.ceil(cx + r)); x++) {
        const inside = kind === 0 ? true : kind === 1 ? (x - cx) ** 2 + (y - cy) ** 2 <= r * r : Math.floor((x + y) / period) % 2 === 0;
        if (!inside) continue;
        const i = (y * width + x) * 3;
        for (let k = 0; k < 3; k++) px[i + k] = col[k] as number;
      }
    }
  }
  return px;
}

// Generated images are pure functions of (seed, size): the simulator serves the same ones again and again.
const imageCache = new Map<string, Buffer>();
const IMAGE_CACHE_MAX = 256;

export function generateImage(seed: number, opts: { width: number; height: number } = { width: 320, height: 240 }): Buffer {
  const key = `${seed}:${opts.width}x${opts.height}`;
  let png = imageCache.get(key);
  if (!png) {
    png = encodePng(opts.width, opts.height, generateRgb(seed, opts.width, opts.height));
    if (imageCache.size >= IMAGE_CACHE_MAX) imageCache.delete(imageCache.keys().next().value as string);
    imageCache.set(key, png);
  }
  return png;
}
