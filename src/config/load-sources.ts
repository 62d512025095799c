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
  if (r.ok) return { ok: true, sources: r.value.sources };
  // zod skips the duplicate-id refinement while other entries are invalid: report duplicates all the same.
  const extra = duplicateIds(text, fileName).filter((d) => !r.errors.some((e) => e.path === d.path && /duplicate/.test(e.message)));
  return { ok: false, errors: [...r.errors, ...extra] };
}

function duplicateIds(text: string, fileName: string): ConfigIssue[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length) return [];
  const raw: unknown = doc.toJS();
  const list = (raw as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(list)) return [];
  const seen = new Map<string, number>();
  const out: ConfigIssue[] = [];
  list.forEach((entry: unknown, i) => {
    const id = (entry as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return;
    const prev = seen.get(id);
    if (prev !== undefined) {
      const node = doc.getIn(['sources', i, 'id'], true) as { range?: [number, number, number] } | undefined;
      const pos = lc.linePos(node?.range?.[0] ?? 0);
      out.push({ file: fileName, line: pos.line, column: pos.col, path: `sources[${i}].id`, message: `duplicate source id "${id}" (also at sources[${prev}])`, value: JSON.stringify(id) });
    } else seen.set(id, i);
  });
  return out;
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
