import { ParseError } from '../../src/core/errors';

/** Pages larger than this are not scanned for embedded JSON (a watch page is ~1 MB). */
const MAX_SCAN = 8 * 1024 * 1024;

/**
 * Pure: the JSON object a page assigns to a script variable, as YouTube serves it
 * (`var ytInitialPlayerResponse = {...};var meta = …` or `window["ytInitialData"] = {...};`). The object is cut out by
 * matching braces outside string literals (the JSON may contain `};` inside strings), then parsed.
 * Returns undefined when the page has no such assignment; a present but broken object is a ParseError.
 */
export function extractAssignedJson(html: string, name: string, what: string, url?: string): Record<string, unknown> | undefined {
  const text = html.length > MAX_SCAN ? html.slice(0, MAX_SCAN) : html;
  const re = new RegExp(`(?:window\\s*\\[\\s*["']${name}["']\\s*\\]|\\b${name})\\s*=\\s*`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    if (text[start] !== '{') continue; // `ytInitialPlayerResponse = null` and the like: look for the next one
    const end = matchingBrace(text, start);
    if (end < 0) throw new ParseError(what, `the ${name} object is not terminated (page cut short?)`, url);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.slice(start, end + 1));
    } catch (err) {
      throw new ParseError(what, `the ${name} object is not valid JSON: ${(err as Error).message}`, url);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ParseError(what, `${name} is not a JSON object`, url);
    return parsed as Record<string, unknown>;
  }
  return undefined;
}

/** Index of the `}` closing the `{` at `start`, skipping string literals; -1 when it never closes. */
function matchingBrace(s: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Pure accessors for untrusted JSON: a path of keys, typed at the end (anything else: undefined). */
export function pick(obj: unknown, ...path: Array<string | number>): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

export function pickString(obj: unknown, ...path: Array<string | number>): string | undefined {
  const v = pick(obj, ...path);
  return typeof v === 'string' ? v : undefined;
}

/** A count that YouTube and the Archive serve as a string ("13042") or a number; anything else: undefined. */
export function pickCount(obj: unknown, ...path: Array<string | number>): number | undefined {
  const v = pick(obj, ...path);
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,15}$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** YouTube's text objects: `{simpleText}` or `{runs:[{text}]}`. */
export function ytText(obj: unknown): string | undefined {
  const simple = pickString(obj, 'simpleText');
  if (simple !== undefined) return simple;
  const runs = pick(obj, 'runs');
  if (!Array.isArray(runs)) return undefined;
  const t = runs.map((r) => pickString(r, 'text') ?? '').join('');
  return t || undefined;
}
