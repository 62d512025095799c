import { Parser } from 'htmlparser2';
import { ParseError } from '../src/core/errors';

/** Default of `limits.maxHtmlDepth` (defined in the core, next to the page parser contract). */
export { DEFAULT_MAX_HTML_DEPTH } from '../src/core/parse-task';

/** The error every parser gives for markup nested deeper than its cap (final: the page would do it again). */
export function tooDeepError(what: string, maxDepth: number, url?: string): ParseError {
  return new ParseError(what, `elements nested deeper than ${maxDepth} levels (limits.maxHtmlDepth)`, url);
}

/**
 * Pure, linear pre-scan for the DOM-building parsers (cheerio's parse5 and htmlparser2 DOM cost grows with depth, and
 * quadratically for some unclosed markup): counts open elements in one streaming pass and throws ParseError as soon
 * as the nesting passes `maxDepth`, before any DOM is built. Void and implied-closed elements close as browsers do
 * (htmlparser2's rules), so the count is the real tree depth.
 */
export function assertNestingDepth(markup: string, maxDepth: number, what: string, opts: { url?: string; xml?: boolean } = {}): void {
  let depth = 0;
  const parser = new Parser(
    {
      onopentag: () => {
        depth += 1;
        if (depth > maxDepth) throw tooDeepError(what, maxDepth, opts.url);
      },
      onclosetag: () => {
        depth = Math.max(0, depth - 1);
      },
    },
    { xmlMode: opts.xml === true, decodeEntities: false },
  );
  parser.write(markup);
  parser.end();
}
