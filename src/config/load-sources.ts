import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAlias, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { sourcesFileSchema, type Source } from './schema';
import { ConfigError, zodIssuesToConfigIssues, type ConfigIssue } from './format-issues';
import { aliasBudgetIssue, MAX_ALIASES } from './yaml-budget';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: ConfigIssue[] };

/**
 * Limits of config parsing. 4 MiB holds 12,000–24,000 sources (a watch list of 5,000 written by a YAML library is
 * about 1.2 MB) and parses in a few seconds (the parse is synchronous, so the cap bounds how long a scheduler can be
 * held up). A file may hold at most `MAX_ALIASES` aliases, counted before it is parsed (`yaml-budget.ts`): YAML's
 * parse resolves each alias by walking the document, so a dense alias file was quadratic. When the document is turned
 * into data, an alias's uses times what it expands to may not pass the same number, so a "billion laughs" file
 * (aliases of aliases) fails fast instead of expanding, while a watch list that reuses one anchored value in every
 * source (`schedule: *every5min`: one use of a scalar each) still loads.
 */
export const CONFIG_LIMITS = { maxBytes: 4 * 1024 * 1024, maxAliasCount: MAX_ALIASES } as const;

function oversize(fileName: string, bytes: number): ConfigIssue {
  return { file: fileName, line: 1, column: 1, path: '', message: `file is ${bytes} bytes, over the ${CONFIG_LIMITS.maxBytes}-byte limit for a config file` };
}

/** Reads a config file, refusing one over the size limit before reading it (ConfigError with the file name). */
export async function readConfigFile(path: string): Promise<string> {
  const st = await stat(path);
  if (st.size > CONFIG_LIMITS.maxBytes) throw new ConfigError([oversize(path, st.size)]);
  return readFile(path, 'utf8');
}

export function readConfigFileSync(path: string): string {
  const text = readFileSync(path, 'utf8');
  if (Buffer.byteLength(text) > CONFIG_LIMITS.maxBytes) throw new ConfigError([oversize(path, Buffer.byteLength(text))]);
  return text;
}

/** Turns a parsed document into plain data with the alias limit; an excessive expansion becomes a located issue. */
export function safeToJS(doc: Document, lc: LineCounter, fileName: string): { ok: true; value: unknown } | { ok: false; errors: ConfigIssue[] } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: CONFIG_LIMITS.maxAliasCount }) };
  } catch (err) {
    let offset = 0;
    visit(doc, {
      Alias(_k, node) {
        if (isAlias(node) && node.range) {
          offset = node.range[0];
          return visit.BREAK;
        }
        return undefined;
      },
    });
    const pos = lc.linePos(offset);
    const why =
      err instanceof ReferenceError
        ? `too many alias expansions (an alias's uses times its size over ${CONFIG_LIMITS.maxAliasCount}): refused as a resource-exhaustion ("billion laughs") document`
        : (err as Error).message;
    return { ok: false, errors: [{ file: fileName, line: pos.line, column: pos.col, path: '', message: `YAML: ${why}` }] };
  }
}

/** Parses YAML text against a zod schema; every problem comes back with file:line:col, path and value. */
export function parseYamlWith<T>(
  text: string,
  fileName: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } } },
): ParseResult<T> {
  if (text.length > CONFIG_LIMITS.maxBytes) return { ok: false, errors: [oversize(fileName, Buffer.byteLength(text))] };
  const aliases = aliasBudgetIssue(text, fileName);
  if (aliases) return { ok: false, errors: [aliases] };
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
  const js = safeToJS(doc, lc, fileName);
  if (!js.ok) return js;
  const r = schema.safeParse(js.value ?? {});
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: zodIssuesToConfigIssues(fileName, doc, lc, r.error.issues as Parameters<typeof zodIssuesToConfigIssues>[3]) };
}

export function parseSourcesYaml(text: string, fileName: string): { ok: true; sources: Source[] } | { ok: false; errors: ConfigIssue[] } {
  const r = parseYamlWith(text, fileName, sourcesFileSchema);
  if (r.ok) return { ok: true, sources: r.value.sources };
  // zod skips the duplicate-id refinement while other entries are invalid: report duplicates all the same (not for a
  // text refused before parsing: it is not parsed a second time).
  if (r.errors.some((e) => e.message.startsWith('YAML: more than'))) return { ok: false, errors: r.errors };
  const extra = duplicateIds(text, fileName).filter((d) => !r.errors.some((e) => e.path === d.path && /duplicate/.test(e.message)));
  return { ok: false, errors: [...r.errors, ...extra] };
}

function duplicateIds(text: string, fileName: string): ConfigIssue[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length) return [];
  const js = safeToJS(doc, lc, fileName);
  if (!js.ok) return [];
  const raw: unknown = js.value;
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
      out.push({
        file: fileName,
        line: pos.line,
        column: pos.col,
        path: `sources[${i}].id`,
        message: `duplicate source id "${id}" (also at sources[${prev}])`,
        value: JSON.stringify(id),
      });
    } else seen.set(id, i);
  });
  return out;
}

export async function loadSourcesFile(path: string): Promise<Source[]> {
  let text: string;
  try {
    text = await readConfigFile(path);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError([{ file: path, line: 1, column: 1, path: '', message: `cannot read file: ${(err as Error).message}` }]);
  }
  const r = parseSourcesYaml(text, path);
  if (!r.ok) throw new ConfigError(r.errors);
  return r.sources;
}
