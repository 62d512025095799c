/** Content type by magic bytes (pure). The server's Content-Type is never trusted for media. */
export type SniffedType =
  | 'image/jpeg'
  | 'image/png'
  | 'image/gif'
  | 'image/webp'
  | 'image/bmp'
  | 'image/avif'
  | 'video/mp4'
  | 'video/webm'
  | 'video/quicktime'
  | 'application/pdf'
  | 'unknown';

export function sniff(b: Uint8Array): SniffedType {
  const at = (i: number, ...bytes: number[]): boolean => bytes.every((x, k) => b[i + k] === x);
  const ascii = (i: number, s: string): boolean => [...s].every((c, k) => b[i + k] === c.charCodeAt(0));
  if (b.length < 12) return 'unknown';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  if (ascii(0, 'BM')) return 'image/bmp';
  if (ascii(4, 'ftyp')) {
    const brand = String.fromCharCode(...b.subarray(8, 12));
    if (brand === 'avif' || brand === 'avis') return 'image/avif';
    if (brand === 'qt  ') return 'video/quicktime';
    return 'video/mp4';
  }
  if (at(0, 0x1a, 0x45, 0xdf, 0xa3)) return 'video/webm';
  if (ascii(0, '%PDF-')) return 'application/pdf';
  return 'unknown';
}

export function isImage(t: SniffedType): boolean {
  return t.startsWith('image/');
}

export function isVideo(t: SniffedType): boolean {
  return t.startsWith('video/');
}
