/**
 * A conservative static check for regular expressions that analysts put in the settings (pure). JavaScript's
 * backtracking engine can take exponential time on patterns such as `(a+)+$`, `(a|aa)*$` or `(\w+)\1`; a rule
 * run on every handle variant must not hang a worker. Refused (with the reason):
 * - a quantified group whose body can itself repeat (a quantifier inside a group that is quantified: nested
 *   quantifiers, the classic catastrophic shape);
 * - a quantified group holding an alternation (`(a|ab)+`: overlapping branches backtrack the same way);
 * - backreferences (`\1`, `\k<name>`);
 * - lookbehind and lookahead holding a quantifier;
 * - more than 4 repeats in all (`.*.*.*.*.*` is polynomial, but of a high degree).
 * `?`, `{0,1}` and `{n}` are not repeats, so `(ab+)?` is accepted. Being static, the check refuses some linear
 * patterns too (`(a|b)+` is refused; write `[ab]+`).
 */

/** Why the pattern is refused, or undefined when it is accepted. */
export function unsafeRegexReason(pattern: string): string | undefined {
  interface Group {
    repeats: boolean;
    alternation: boolean;
    lookaround: boolean;
  }
  const stack: Group[] = [];
  let inClass = false;
  let repeatsInAll = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || next === 'k')) return `backreference "\\${next}" at ${i}`;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      continue;
    }
    if (ch === '(') {
      const look = /^\(\?<?[=!]/.test(pattern.slice(i, i + 4));
      stack.push({ repeats: false, alternation: false, lookaround: look });
      continue;
    }
    if (ch === '|') {
      const top = stack[stack.length - 1];
      if (top) top.alternation = true;
      continue;
    }
    const quant = quantifierAt(pattern, i);
    if (ch === ')') {
      const g = stack.pop();
      if (!g) return undefined; // unbalanced: the compiler reports it
      const q = quantifierAt(pattern, i + 1);
      if (q?.repeats && g.repeats) return `nested quantifier: a repeating group ending at ${i} holds a repeat`;
      if (q?.repeats && g.alternation) return `alternation inside a repeating group ending at ${i}`;
      if (g.lookaround && g.repeats) return `repeat inside a lookaround ending at ${i}`;
      const parent = stack[stack.length - 1];
      if (parent && (g.repeats || q?.repeats)) parent.repeats = true;
      if (q?.repeats && ++repeatsInAll > 4) return 'more than 4 repeats';
      if (q) i += q.length;
      continue;
    }
    if (quant) {
      const top = stack[stack.length - 1];
      if (top && quant.repeats) top.repeats = true;
      if (quant.repeats && ++repeatsInAll > 4) return 'more than 4 repeats';
      i += quant.length - 1;
    }
  }
  return undefined;
}

/** The quantifier starting at `i` (with its lazy `?`), and whether it can repeat (more than once). */
function quantifierAt(p: string, i: number): { length: number; repeats: boolean } | undefined {
  const ch = p[i];
  const lazy = (at: number): number => (p[at] === '?' ? 1 : 0);
  if (ch === '*' || ch === '+') return { length: 1 + lazy(i + 1), repeats: true };
  if (ch === '?') return { length: 1 + lazy(i + 1), repeats: false };
  if (ch === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    return { length: m[0].length + lazy(i + m[0].length), repeats: max > 1 };
  }
  return undefined;
}
