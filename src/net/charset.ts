import iconv from 'iconv-lite';

/**
 * Pure charset choice for fetched text. Order: BOM, then the Content-Type header, then `<meta>` / the XML
 * declaration in the first 4 KB, default utf-8 — with two exceptions, each reported as a warning:
 * - UTF-7 (any label) is never used: it lets markup hide from filters. The body is decoded as utf-8 instead.
 * - A header charset that contradicts a `<meta>`/XML declaration of utf-8, on a body that is valid UTF-8 with
 *   non-ASCII text, is taken to be a mislabel (a server default): the body is decoded as utf-8.
 * Any other disagreement between header and `<meta>` keeps the header (as browsers do) and warns.
 */
export interface CharsetChoice {
  charset: string;
  from: 'bom' | 'header' | 'meta' | 'default';
  warning?: string;
}

const UTF7 = /^(x-)?(utf-?7|unicode-1-1-utf-7|csunicode11utf7)$/i;
const UTF8 = /^(utf-?8|unicode-1-1-utf-8|unicode11utf8|unicode20utf8|x-unicode20utf8)$/i;

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return true;
  return false;
}

export function chooseCharset(contentType: string | undefined, bytes: Uint8Array): CharsetChoice {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', from: 'bom' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', from: 'bom' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', from: 'bom' };
  const header = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const meta = (/<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ?? /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1])?.toLowerCase();
  const refused = [header, meta].find((l) => l !== undefined && UTF7.test(l));
  if (refused) return { charset: 'utf-8', from: 'default', warning: `charset "${refused}" is refused (UTF-7 can hide markup); decoded as utf-8` };
  if (header) {
    if (!UTF8.test(header) && meta && UTF8.test(meta) && hasNonAscii(bytes) && isValidUtf8(bytes)) {
      return {
        charset: 'utf-8',
        from: 'meta',
        warning: `header says charset=${header} but the body is valid UTF-8 and its <meta> says ${meta}: decoded as utf-8`,
      };
    }
    if (meta && meta !== header && !(UTF8.test(meta) && UTF8.test(header))) {
      return { charset: header, from: 'header', warning: `header says charset=${header}, <meta> says ${meta}: the header wins` };
    }
    return { charset: header, from: 'header' };
  }
  return meta ? { charset: meta, from: 'meta' } : { charset: 'utf-8', from: 'default' };
}

/** The charset only (see chooseCharset). */
export function detectCharset(contentType: string | undefined, bytes: Uint8Array): string {
  return chooseCharset(contentType, bytes).charset;
}

/** Decodes with iconv-lite; an unknown or refused (UTF-7) label falls back to utf-8 (never throws). */
export function decodeBody(bytes: Uint8Array, charset: string): { text: string; charset: string } {
  const label = iconv.encodingExists(charset) && !UTF7.test(charset) ? charset : 'utf-8';
  if (/^utf-?8$/i.test(label)) {
    // the common case, decoded natively (same replacement of bad sequences as iconv's, at a fraction of its CPU)
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, charset: label };
  }
  return { text: iconv.decode(Buffer.from(bytes), label, { stripBOM: true }), charset: label };
}
