import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { sourcesFileSchema, type Source } from './schema';
import { ConfigError, zodIssuesToConfigIssues, type ConfigIssue } from './format-issues';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: ConfigIssue[] };

/** Parses YAML text against a zod schema; every problem comes back with file:line:col, path and value. */
export function parseYamlWith<T>(text: string, fileName: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } } }): ParseResult<T> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = lc.linePos(e.pos[0]);
        return { file: fileName, line: pos.line, column: pos.col, path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  const r = schema.safeParse(doc.toJS() ?? {});
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: zodIssuesToConfigIssues(fileName, doc, lc, r.error.issues as Parameters<typeof zodIssuesToConfigIssues>[3]) };
}

export function parseSourcesYaml(text: string, fileName: string): { ok: true; sources: Source[] } | { ok: false; errors: ConfigIssue[] } {
  const r = parseYamlWith(text, fileName, sourcesFileSchema);
  return r.ok ? { ok: true, sources: r.value.sources } : r;
}

export async function loadSourcesFile(path: string): Promise<Source[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file: path, line: 1, column: 1, path: '', message: `cannot read file: ${(err as Error).message}` }]);
  }
  const r = parseSourcesYaml(text, path);
  if (!r.ok) throw new ConfigError(r.errors);
  return r.sources;
}
