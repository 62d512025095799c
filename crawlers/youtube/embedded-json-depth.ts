import { assertJsonDepth } from '../json-depth';

/**
 * Pure pre-check of a YouTube page: every object the page assigns to `name` (`var ytInitialData = {…}`,
 * `window["ytInitialData"] = {…}`: the forms ./embedded-json.ts reads, matched a little more loosely here) is held to
 * the nesting cap before the parser cuts it out and JSON.parses it. Linear; the page's other scripts are not scanned.
 */
export function assertAssignedJsonDepth(html: string, name: string, maxDepth: number, what: string, url?: string): void {
  const re = new RegExp(`${name}(?:["']\\s*\\])?\\s*=\\s*`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) {
    const start = m.index + m[0].length;
    if (html[start] === '{') assertJsonDepth(html, maxDepth, what, { start, label: `the ${name} JSON`, ...(url ? { url } : {}) });
  }
}
