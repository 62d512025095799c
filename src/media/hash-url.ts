import type { Settings } from '../config/schema';
import type { Fetcher } from '../core/fetcher';
import { decodeImage } from './decode-image';
import { pdqDihedral, type PdqResult } from './pdq-hash';
import { isImage, sniff } from './sniff';

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp', 'application/octet-stream'] as const;

/**
 * Downloads and PDQ-hashes one image (avatars, candidate media); undefined when it cannot be had. Never throws.
 * `variants` holds the 8 dihedral hashes (index 0 is `hash`), so mirrored or rotated copies can be matched too.
 */
export async function hashImageUrl(
  fetcher: Fetcher,
  url: string,
  settings: Settings,
  timeoutName = 'media.image',
): Promise<(PdqResult & { bytes: Buffer; variants: string[] }) | undefined> {
  try {
    const res = await fetcher.fetchBytes({ url, timeoutName, timeoutMs: settings.media.timeoutMs, maxBytes: settings.media.maxBytes, accept: IMAGE_TYPES });
    if (!isImage(sniff(res.bytes))) return undefined;
    const img = await decodeImage(res.bytes, { maxPixels: settings.media.maxPixels });
    const variants = pdqDihedral(img.pixels, img.width, img.height, img.channels);
    const main = variants[0] as PdqResult;
    return { hash: main.hash, quality: main.quality, bytes: res.bytes, variants: variants.map((v) => v.hash) };
  } catch {
    return undefined;
  }
}
