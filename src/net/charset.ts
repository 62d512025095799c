import iconv from 'iconv-lite';

/** Pure charset detection: header, then BOM, then <meta> / XML declaration in the first 4 KB, default utf-8. */
export function detectCharset(contentType: string | undefined, bytes: Uint8Array): string {
  const fromHeader = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? '')?.[1];
  if (fromHeader) return fromHeader.toLowerCase();
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const meta =
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  return (meta ?? 'utf-8').toLowerCase();
}

/** Decodes with iconv-lite; an unknown label falls back to utf-8 (never throws). */
export function decodeBody(bytes: Uint8Array, charset: string): { text: string; charset: string } {
  const label = iconv.encodingExists(charset) ? charset : 'utf-8';
  return { text: iconv.decode(Buffer.from(bytes), label, { stripBOM: true }), charset: label };
}
