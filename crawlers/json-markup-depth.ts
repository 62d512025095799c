import { assertNestingDepth } from './nesting-depth';

/**
 * Pure pre-check for JSON answers whose text fields are HTML (the Internet Archive's descriptions, which the parsers
 * turn into text with a DOM parser): every string value holding markup is held to the nesting cap, so that a
 * description of 100k nested elements is refused in one linear pass instead of overflowing the DOM parser's stack
 * (or running quadratic in it). The error names the field ("response.docs[0].description"). A body that is not JSON is
 * left to the parser, which names that. Run it after `assertJsonDepth`: the walk is iterative all the same.
 */
export function assertJsonMarkupDepth(body: string, maxDepth: number, what: string, url?: string): void {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return;
  }
  const stack: Array<[unknown, string]> = [[json, '']];
  while (stack.length) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (v.includes('<')) assertNestingDepth(v, maxDepth, `${what} (HTML in ${path || 'the answer'})`, url ? { url } : {});
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, `${path}[${i}]`]));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) stack.push([x, path ? `${path}.${k}` : k]);
    }
  }
}
