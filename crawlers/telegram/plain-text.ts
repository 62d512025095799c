import type { AnyNode, Element } from 'domhandler';

/** Elements whose start and end are line boundaries in rendered text. */
export const BLOCK_TAGS: ReadonlySet<string> = new Set(['p', 'div', 'li', 'ul', 'ol', 'blockquote', 'pre', 'tr', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * Accumulates the plain text of rendered markup, the way a browser lays it out: raw newlines in markup are spaces,
 * `<br>` is a line break, and a block's start and end are line boundaries that never add a blank line of their own
 * (a quote followed by text is `quote\ntext`, not `quote\n\ntext`). Runs of blank lines made with `<br>` are kept.
 */
export class TextBuilder {
  private out = '';
  /** True when nothing but spaces follows the last line break (or nothing was written yet). */
  private lineStart = true;

  text(s: string): void {
    if (!s) return;
    const flat = s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 ? s.replace(/[\r\n]+/g, ' ') : s;
    this.out += flat;
    if (this.lineStart && /[^ \t\f\v\u00a0]/.test(flat)) this.lineStart = false;
  }

  br(): void {
    this.out += '\n';
    this.lineStart = true;
  }

  /** A block boundary: a line break unless the text is already at the start of a line. */
  block(): void {
    if (this.lineStart) return;
    this.out += '\n';
    this.lineStart = true;
  }

  /** Spaces collapsed, lines trimmed, the whole trimmed; blank lines kept as they are. */
  result(): string {
    return normaliseLines(this.out);
  }

  /** The text on one line (link preview descriptions, titles): all whitespace collapsed to single spaces. */
  oneLine(): string {
    return this.out.replace(/[\s\u00a0]+/g, ' ').trim();
  }
}

export function normaliseLines(s: string): string {
  return s
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .trim();
}

/** Plain text of a DOM element (cheerio/domhandler), with the same rules as {@link TextBuilder}. Iterative (deep trees). */
export function plainText(root: AnyNode | undefined): string {
  if (!root) return '';
  const tb = new TextBuilder();
  const stack: Array<AnyNode | 'block'> = [root];
  while (stack.length) {
    const node = stack.pop() as AnyNode | 'block';
    if (node === 'block') {
      tb.block();
      continue;
    }
    if (node.type === 'text') {
      tb.text((node as unknown as { data: string }).data);
      continue;
    }
    if (node.type === 'script' || node.type === 'style' || node.type === 'comment') continue;
    const el = node as Element;
    if (!('children' in el)) continue;
    if (el.name === 'br') {
      tb.br();
      continue;
    }
    const isBlock = BLOCK_TAGS.has(el.name);
    if (isBlock) {
      tb.block();
      stack.push('block');
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i] as AnyNode);
  }
  return tb.result();
}
