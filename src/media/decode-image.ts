import sharp from 'sharp';

export type ImageDecodeReason = 'too_many_pixels' | 'unsupported' | 'corrupt';

export class ImageDecodeError extends Error {
  constructor(
    readonly reason: ImageDecodeReason,
    message: string,
  ) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

export interface DecodedImage {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
}

/** Decodes with sharp, honouring EXIF orientation; a pixel limit rejects decompression bombs. */
export async function decodeImage(bytes: Buffer, opts: { maxPixels: number }): Promise<DecodedImage> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: opts.maxPixels, failOn: 'error', animated: false })
      .rotate()
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: info.channels, pixels: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    const msg = (err as Error).message;
    if (/pixel limit/i.test(msg)) throw new ImageDecodeError('too_many_pixels', `image exceeds the pixel limit of ${opts.maxPixels} (decompression bomb?)`);
    if (/unsupported image format/i.test(msg)) throw new ImageDecodeError('unsupported', 'unsupported image format');
    throw new ImageDecodeError('corrupt', `corrupt image: ${msg}`);
  }
}
