import { ParseError } from '../src/core/errors';

/** The error for JSON nested deeper than the cap (final: the answer would do it again). */
export function jsonTooDeepError(what: string, maxDepth: number, url?: string, label = 'JSON'): ParseError {
  return new ParseError(what, `${label} nested deeper than ${maxDepth} levels (limits.maxHtmlDepth)`, url);
}

export interface JsonDepthOptions {
  url?: string;
  /** Scan only the one value that starts at this index (JSON embedded in a page), up to its closing bracket. */
  start?: number;
  /** Names the value in the error ("ytInitialData JSON"); default "JSON". */
  label?: string;
}

/**
 * Pure, linear pre-scan for JSON answers and embedded JSON: counts `{`/`[` nesting outside string literals in one
 * pass and throws ParseError as soon as it passes `maxDepth`, before JSON.parse builds anything (a 150k-deep array
 * parses, but every recursive walk or structured clone of it then overflows the stack). It does not validate the JSON:
 * JSON.parse does that after it. Real answers nest a few dozen levels (YouTube's ytInitialData, the Archive's API).
 */
export function assertJsonDepth(text: string, maxDepth: number, what: string, opts: JsonDepthOptions = {}): void {
  const oneValue = opts.start !== undefined;
  let depth = 0;
  let inString = false;
  for (let i = opts.start ?? 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth > maxDepth) throw jsonTooDeepError(what, maxDepth, opts.url, opts.label);
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && oneValue) return;
    }
  }
}
