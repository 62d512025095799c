import * as cheerio from 'cheerio';
import { ParseError } from '../../src/core/errors';
import { stripControlChars } from '../../src/core/text/control-chars';
import { pick, pickCount, pickString } from '../youtube/embedded-json';

export interface SearchDoc {
  identifier: string;
  title?: string;
  description?: string;
  publicdate?: Date;
  uploader?: string;
  /** The Archive's download counter: its view count. */
  downloads?: number;
  mediatype?: string;
}

export interface SearchResult {
  numFound: number;
  docs: SearchDoc[];
}

export interface ArchiveFile {
  name: string;
  format?: string;
  size?: number;
  source?: string;
}

export type ItemMetadata =
  | {
      state: 'public';
      identifier: string;
      title?: string;
      description?: string;
      uploader?: string;
      publicdate?: Date;
      mediatype?: string;
      collections: string[];
      files: ArchiveFile[];
    }
  | { state: 'dark' }
  | { state: 'missing' };

/** Archive.org identifiers: letters, digits, "_", "-" and "." (as the metadata API accepts them). */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function parseJson(body: string, what: string, url?: string): unknown {
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new ParseError(what, `not JSON: ${(err as Error).message}`, url);
  }
}

/** A metadata value that may be a string or a list of strings (title, description, collection, uploader…). */
function first(v: unknown): string | undefined {
  const s = Array.isArray(v) ? v.find((x) => typeof x === 'string') : v;
  return typeof s === 'string' ? s : undefined;
}

function list(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Elements whose start and end are line boundaries when a description is read as text (`<br>` is one too). */
const BLOCKS = 'address,article,blockquote,center,dd,div,dl,dt,figcaption,figure,footer,form,h1,h2,h3,h4,h5,h6,header,hr,li,ol,p,pre,section,table,td,th,tr,ul';

/** Pure: the text of a description's HTML, `<br>` and block boundaries as line breaks (not glued words). */
function htmlText(html: string): string {
  const $ = cheerio.load(html, { scriptingEnabled: false });
  $('br').replaceWith('\n');
  $(BLOCKS).each((_, el) => {
    $(el).before('\n').after('\n');
  });
  return $.root().text();
}

/**
 * Descriptions are HTML on the Archive: their text, control characters removed, runs of spaces as one, `<br>` and
 * block boundaries (`</p><p>`, `<div>`, `<li>`…) as line breaks, blank lines dropped.
 */
export function archiveText(v: unknown): string | undefined {
  const s = first(v);
  if (s === undefined) return undefined;
  const plain = /[<&]/.test(s) ? htmlText(s) : s;
  const t = stripControlChars(plain)
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
  return t || undefined;
}

/** "2026-11-20T06:00:00Z" (search) or "2026-11-20 06:00:00" (metadata, UTC). */
export function archiveDate(v: unknown): Date | undefined {
  const s = first(v)?.trim();
  if (!s) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s) ? `${s.replace(' ', 'T')}Z` : s;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Pure: the advanced-search JSON (`/advancedsearch.php?…&output=json`: `responseHeader` and
 * `response: {numFound, start, docs: [...]}`) → its documents. Docs without a valid identifier are skipped; a body
 * that is not that shape is a ParseError naming what is missing.
 */
export function parseAdvancedSearch(body: string, url?: string): SearchResult {
  const what = 'Internet Archive advanced search';
  const json = parseJson(body, what, url);
  const err = pickString(json, 'error');
  if (err) throw new ParseError(what, `the search answered an error: ${err}`, url);
  const docs = pick(json, 'response', 'docs');
  if (!Array.isArray(docs)) throw new ParseError(what, 'no response.docs array', url);
  const out: SearchDoc[] = [];
  for (const d of docs) {
    const identifier = pickString(d, 'identifier');
    if (!identifier || !IDENTIFIER.test(identifier)) continue;
    const title = archiveText(pick(d, 'title'));
    const description = archiveText(pick(d, 'description'));
    const publicdate = archiveDate(pick(d, 'publicdate'));
    const uploader = first(pick(d, 'uploader'));
    const downloads = pickCount(d, 'downloads');
    const mediatype = first(pick(d, 'mediatype'));
    out.push({
      identifier,
      ...(title ? { title } : {}),
      ...(description ? { description } : {}),
      ...(publicdate ? { publicdate } : {}),
      ...(uploader ? { uploader } : {}),
      ...(downloads !== undefined ? { downloads } : {}),
      ...(mediatype ? { mediatype } : {}),
    });
  }
  return { numFound: pickCount(json, 'response', 'numFound') ?? out.length, docs: out };
}

/**
 * Pure: the metadata API's answer (`/metadata/<identifier>`) → a public item (metadata and files), a dark one
 * (`"is_dark": true`: taken down by the Archive), or a missing one (the API answers `{}` for an identifier that does
 * not exist). An answer about another identifier, or not an object, is a ParseError.
 */
export function parseItemMetadata(body: string, identifier: string, url?: string): ItemMetadata {
  const what = 'Internet Archive item metadata';
  const json = parseJson(body, what, url);
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ParseError(what, 'not a JSON object', url);
  if (Object.keys(json).length === 0) return { state: 'missing' };
  if (pick(json, 'is_dark') === true) return { state: 'dark' };
  const md = pick(json, 'metadata');
  if (!md || typeof md !== 'object') throw new ParseError(what, 'neither "metadata", "is_dark" nor an empty object', url);
  const id = pickString(md, 'identifier');
  if (id !== undefined && id !== identifier) throw new ParseError(what, `the answer is about "${id}", not "${identifier}"`, url);
  const rawFiles = pick(json, 'files');
  const files: ArchiveFile[] = [];
  if (Array.isArray(rawFiles)) {
    for (const f of rawFiles) {
      const name = pickString(f, 'name');
      if (!name || name.includes('..') || name.startsWith('/')) continue;
      const size = pickCount(f, 'size');
      const format = pickString(f, 'format');
      const source = pickString(f, 'source');
      files.push({ name, ...(size !== undefined ? { size } : {}), ...(format ? { format } : {}), ...(source ? { source } : {}) });
    }
  }
  const title = archiveText(pick(md, 'title'));
  const description = archiveText(pick(md, 'description'));
  const uploader = first(pick(md, 'uploader'));
  const publicdate = archiveDate(pick(md, 'publicdate')) ?? archiveDate(pick(md, 'addeddate'));
  const mediatype = first(pick(md, 'mediatype'));
  return {
    state: 'public',
    identifier,
    collections: list(pick(md, 'collection')),
    files,
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(uploader ? { uploader } : {}),
    ...(publicdate ? { publicdate } : {}),
    ...(mediatype ? { mediatype } : {}),
  };
}

const VIDEO_FORMATS = /mpeg4|h\.264|ogg video|webm|matroska|quicktime/i;
const VIDEO_NAME = /\.(mp4|m4v|webm|ogv|mkv|mov)$/i;

/** Pure: the item's smallest video file (derivatives such as "512Kb MPEG4" are smaller than originals), if any. */
export function smallestVideo(files: readonly ArchiveFile[], maxBytes: number): ArchiveFile | undefined {
  return files
    .filter((f) => (f.format ? VIDEO_FORMATS.test(f.format) : false) || VIDEO_NAME.test(f.name))
    .filter((f) => f.size === undefined || f.size <= maxBytes)
    .sort((a, b) => (a.size ?? Number.MAX_SAFE_INTEGER) - (b.size ?? Number.MAX_SAFE_INTEGER))[0];
}
