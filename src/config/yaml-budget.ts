import { Lexer } from 'yaml';
import type { ConfigIssue } from './format-issues';

/**
 * Aliases allowed in one config file, counted before the file is parsed. The parse of a YAML document with many
 * aliases costs far more than its bytes suggest (a 900 KB file of 400,000 aliases to one anchor took 40 s and 3.2 GB
 * to load, a 300 KB one 11 s and 1 GB), and the `maxAliasCount` of `toJS` only bounds the expansion, after the parse.
 * 25,000 is above the largest legitimate use: one alias (`schedule: *every5min`) per source in a 4 MiB watch list
 * (12,000–24,000 sources).
 */
export const MAX_ALIASES = 25_000;

/** Whether a text may hold more than `limit` aliases: counts every `*name` after a separator (an upper bound: it
 * also counts some inside quotes), stopping at the first past the limit. */
function mayPassLimit(text: string, limit: number): boolean {
  const re = /(?:^|[\s,[{])\*[^\s,[\]{}"']/gm;
  let n = 0;
  while (re.exec(text) !== null) if (++n > limit) return true;
  return false;
}

/** The lexer's control tokens (document start, flow end, scalar marker): not source text. */
const CONTROL_TOKENS = new Set(['\x02', '\x18', '\x1f']);

/** Offset of the alias past `limit` as YAML's own lexer reads the text (stops there), or undefined. */
function aliasPastLimit(text: string, limit: number): number | undefined {
  let count = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token[0] === '*' && ++count > limit) return offset;
    if (!CONTROL_TOKENS.has(token)) offset += token.length;
  }
  return undefined;
}

/**
 * The issue to report when a config text holds more than `limit` aliases, located at the first one past the limit;
 * undefined when it holds fewer. Linear in the text and stops at the limit: an alias bomb is refused in milliseconds.
 */
export function aliasBudgetIssue(text: string, fileName: string, limit = MAX_ALIASES): ConfigIssue | undefined {
  if (!mayPassLimit(text, limit)) return undefined;
  const offset = aliasPastLimit(text, limit);
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return {
    file: fileName,
    line,
    column,
    path: '',
    message: `YAML: more than ${limit} aliases in one file: refused before parsing as a resource-exhaustion ("billion laughs") document`,
  };
}
