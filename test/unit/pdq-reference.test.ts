import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeImage } from '../../src/media/decode-image';
import sharp from 'sharp';
import { hamming, pdqDihedral, pdqFromPixels } from '../../src/media/pdq-hash';
import { generateImage } from '../../src/simulator/png';

/** Conformance with Meta's reference hashes in ../shared/reference/pdq (read in place, never copied). */
const ROOT = resolve(__dirname, '../../../shared/reference/pdq');

function rows(): Array<[string, string]> {
  const file = join(ROOT, 'expected-pdq.tsv');
  if (!existsSync(file)) throw new Error(`reference PDQ data missing: ${file} (shared/ must sit next to the repo)`);
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t') as [string, string]);
}

async function hashFile(rel: string) {
  const img = await decodeImage(readFileSync(join(ROOT, rel)), { maxPixels: 50_000_000 });
  return pdqFromPixels(img.pixels, img.width, img.height, img.channels);
}

describe('PDQ conformance with the reference', () => {
  const table = rows();
  it('has the reference table', () => {
    expect(table.length).toBeGreaterThanOrEqual(10);
  });
  it.each(table)('%s: within Hamming distance 10 of the reference when quality >= 80', async (rel, expected) => {
    const r = await hashFile(rel);
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    if (r.quality >= 80) expect(hamming(r.hash, expected)).toBeLessThanOrEqual(10);
    else expect(hamming(r.hash, expected)).toBeLessThanOrEqual(32); // low quality: kept, never matched
  });
});

describe('dihedral variants', () => {
  const files = ['1-original', '2-rotate-90', '3-rotate-180', '4-rotate-270', '5-flipx', '6-flipy', '7-flip-plus-1', '8-flip-minus-1'];
  it('the 8 variants of the original find each rotated/flipped file within distance 31, and the plain hash does not', async () => {
    const img = await decodeImage(readFileSync(join(ROOT, 'reg-test-input/dih/bridge-1-original.jpg')), { maxPixels: 50_000_000 });
    const variants = pdqDihedral(img.pixels, img.width, img.height, img.channels);
    expect(variants).toHaveLength(8);
    expect(variants[0]?.hash).toBe(pdqFromPixels(img.pixels, img.width, img.height, img.channels).hash);
    for (const f of files.slice(1)) {
      const other = await hashFile(`reg-test-input/dih/bridge-${f}.jpg`);
      const best = Math.min(...variants.map((v) => hamming(v.hash, other.hash)));
      expect(best).toBeLessThanOrEqual(31);
      expect(hamming(variants[0]?.hash as string, other.hash)).toBeGreaterThan(31);
    }
  });
  it('EXIF orientation is honoured: a photo stored rotated with an orientation tag hashes like the upright one', async () => {
    const upright = await sharp(generateImage(42, { width: 320, height: 200 }))
      .jpeg({ quality: 95 })
      .toBuffer();
    // pixels stored rotated 90° counter-clockwise, with EXIF orientation 6 ("rotate 90° clockwise to display")
    const tagged = await sharp(upright).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    const a = await decodeImage(upright, { maxPixels: 1e7 });
    const b = await decodeImage(tagged, { maxPixels: 1e7 });
    expect([b.width, b.height]).toEqual([320, 200]);
    const ha = pdqFromPixels(a.pixels, a.width, a.height, a.channels);
    const hb = pdqFromPixels(b.pixels, b.width, b.height, b.channels);
    expect(hamming(ha.hash, hb.hash)).toBeLessThanOrEqual(10);
  });
  it('hamming', () => {
    expect(hamming('0'.repeat(64), 'f'.repeat(64))).toBe(256);
    expect(hamming('0'.repeat(63) + '1', '0'.repeat(64))).toBe(1);
  });
});
