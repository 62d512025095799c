import { isMap, isSeq, LineCounter, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';

export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** e.g. sources[2].schedule */
  path: string;
  message: string;
  value?: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`invalid configuration:\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function formatIssue(i: ConfigIssue): string {
  return `${i.file}:${i.line}:${i.column} ${i.path || '(root)'}: ${i.message}${i.value !== undefined ? ` (got ${i.value})` : ''}`;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** Finds the YAML node at a zod path (or its deepest existing ancestor) and returns its position. */
export function locate(doc: Document, lc: LineCounter, path: ReadonlyArray<PropertyKey>): { line: number; col: number; value?: unknown; found: boolean } {
  let node: unknown = doc.contents;
  let found = true;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      next = pair ? (pair.value ?? pair.key) : undefined;
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    }
    if (next === undefined) {
      found = false;
      break;
    }
    node = next;
  }
  const range = (node as YamlNode | null)?.range;
  const pos = lc.linePos(range ? range[0] : 0);
  const value = found && node && typeof node === 'object' && 'value' in node ? (node as { value: unknown }).value : undefined;
  return { line: pos.line, col: pos.col, value, found };
}

export function zodIssuesToConfigIssues(file: string, doc: Document, lc: LineCounter, issues: z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.map((i) => {
    const extraKeys = i.code === 'unrecognized_keys' ? (i as { keys?: string[] }).keys : undefined;
    const where = locate(doc, lc, extraKeys?.[0] ? [...i.path, extraKeys[0]] : i.path);
    const missing = !extraKeys && !where.found && /received undefined/.test(i.message);
    const message = extraKeys
      ? `unknown key${extraKeys.length > 1 ? 's' : ''} ${extraKeys.map((k) => `"${k}"`).join(', ')}`
      : missing
        ? `missing required key "${String(i.path[i.path.length - 1])}"`
        : i.message;
    const value = where.found && where.value !== undefined && !extraKeys && typeof where.value !== 'object' ? JSON.stringify(where.value) : undefined;
    return { file, line: where.line, column: where.col, path: formatPath(i.path), message, ...(value !== undefined ? { value } : {}) };
  });
}
